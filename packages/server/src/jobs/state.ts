/** The states of a job, in the order a successful job goes through them. */
export const JOB_STATES = ["queued", "started", "finished", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The kinds of job. */
export const JOB_TYPES = ["import", "export", "validate", "media"] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** What happens to a job. */
export type JobEvent = "start" | "finish" | "fail" | "cancel" | "interrupt";

const TABLE: Record<JobEvent, Partial<Record<JobState, JobState>>> = {
  start: { queued: "started" },
  finish: { started: "finished" },
  fail: { queued: "failed", started: "failed" },
  cancel: { queued: "cancelled", started: "cancelled" },
  // A job that was running when the server stopped cannot be trusted to have finished.
  interrupt: { started: "failed" },
};

/** The state after `event`, or undefined when the event is not allowed in `state`. */
export function transition(state: JobState, event: JobEvent): JobState | undefined {
  return TABLE[event][state];
}

/** The states in which `event` is allowed (for `WHERE status IN (…)`, so a transition is atomic). */
export function statesAllowing(event: JobEvent): JobState[] {
  return Object.keys(TABLE[event]) as JobState[];
}

/** True once nothing more will happen to the job. */
export function isTerminal(state: JobState): boolean {
  return state === "finished" || state === "failed" || state === "cancelled";
}
