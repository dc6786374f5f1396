import { describe, expect, it } from "vitest";
import { isTerminal, JOB_STATES, type JobEvent, type JobState, statesAllowing, transition } from "./state.js";

describe("transition", () => {
  const table: [JobState, JobEvent, JobState | undefined][] = [
    ["queued", "start", "started"],
    ["queued", "cancel", "cancelled"],
    ["queued", "fail", "failed"],
    ["queued", "finish", undefined],
    ["queued", "interrupt", undefined],
    ["started", "finish", "finished"],
    ["started", "fail", "failed"],
    ["started", "cancel", "cancelled"],
    ["started", "interrupt", "failed"],
    ["started", "start", undefined],
    ["finished", "cancel", undefined],
    ["failed", "start", undefined],
    ["cancelled", "finish", undefined],
  ];
  it.each(table)("%s + %s → %s", (state, event, next) => {
    expect(transition(state, event)).toBe(next);
  });

  it("lists the states each event is allowed from, consistent with the table", () => {
    for (const event of ["start", "finish", "fail", "cancel", "interrupt"] as const)
      for (const state of JOB_STATES)
        expect(statesAllowing(event).includes(state)).toBe(transition(state, event) !== undefined);
  });

  it("knows the terminal states", () => {
    expect(JOB_STATES.filter(isTerminal)).toEqual(["finished", "failed", "cancelled"]);
  });
});
