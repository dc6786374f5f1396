import type { JobRow } from "../repositories/jobs-repository.js";
import type { JobType } from "./state.js";

/** A running job's latest progress, fresher than its row (rows are written at most every interval). */
export interface LiveProgress {
  progress: number;
  phase: string;
}

/**
 * Where jobs wait and run. Two implementations: the in-process queue (`local-queue.ts`, one
 * server) and the BullMQ queue (`bullmq-queue.ts`, API and worker processes sharing Redis). The
 * job's row is the truth either way: state changes are atomic updates, so however a job is
 * delivered, only one run can finish it.
 */
export interface JobQueue {
  /** Stores a queued job and starts it when a worker is free. */
  enqueue(job: { type: JobType; dataset_id: number | null; params: unknown }): Promise<JobRow>;
  /** Cancels a queued job at once, or asks a running one to stop; false when the job has already ended. */
  cancel(id: number): Promise<boolean>;
  /** The in-memory progress of a job running in this process; callers fall back to the row. */
  live(id: number): LiveProgress | undefined;
  /** Resolves when no job is queued or running (tests, graceful stop). */
  idle(): Promise<void>;
  /** Starts taking jobs; called once the database is migrated and the app is ready. */
  start(): Promise<void>;
  /** Stops taking jobs and stops the running ones (what becomes of them depends on the queue). */
  close(): Promise<void>;
}
