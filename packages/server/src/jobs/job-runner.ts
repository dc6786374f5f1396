import { Worker } from "node:worker_threads";
import type { FastifyBaseLogger } from "fastify";
import type { JobRow, JobsRepository } from "../repositories/jobs-repository.js";
import { removeJobTemporaries, resultsDir } from "../storage/results.js";
import { overallProgress } from "./progress.js";
import type { LiveProgress } from "./queue.js";
import { isTerminal, type JobState, type JobType } from "./state.js";
import type { FromWorker, ToWorker, WorkerInput } from "./thread/protocol.js";

/** How a job's thread ended: its final state, or `stopped` when `stopAll` ended it (its row is left as it was). */
export type RunOutcome = "finished" | "failed" | "cancelled" | "stopped";

/** What the runner needs. */
export interface JobRunnerOptions {
  jobs: JobsRepository;
  /** A connection that never waits for a lock: progress writes are dropped while a worker commits. */
  progressJobs: JobsRepository;
  workerUrl: URL;
  dataDir: string;
  /** The `postgres://` store job threads open, when not the data folder's SQLite. */
  database?: string | undefined;
  /** The `s3://` storage job threads use, when not the data folder. */
  storage?: string | undefined;
  resultTtlHours: number;
  progressIntervalMs: number;
  log: FastifyBaseLogger;
  /** Told each progress report (after the row write's throttle check), and `undefined` once the job ended here. */
  onProgress?: (id: number, live: LiveProgress | undefined) => void;
}

/** Runs claimed jobs, each in its own worker thread; both queues use it. */
export interface JobRunner {
  /** Runs a job whose row is `started`; resolves once its thread exited and its end is recorded. */
  run(row: JobRow): Promise<RunOutcome>;
  /** Asks a job running here to stop (stopped by force after a grace); false when it does not run here. */
  cancel(id: number): boolean;
  /** The in-memory progress of a job running here. */
  live(id: number): LiveProgress | undefined;
  /** Jobs running here. */
  readonly size: number;
  /** Ends every thread; their `run` resolve `stopped`, their rows left for the caller to decide. */
  stopAll(): Promise<void>;
}

interface Running {
  worker: Worker;
  type: JobType;
  live: LiveProgress;
  lastWrite: number;
  ended?: "finished" | "failed" | "cancelled";
  cancelTimer?: NodeJS.Timeout;
  cancelAsked?: boolean;
  exited: Promise<RunOutcome>;
}

// A running job that ignores its signal this long after a cancel is stopped by force.
const CANCEL_GRACE_MS = 1000;

/** Creates a runner. */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { jobs, log } = options;
  const running = new Map<number, Running>();
  let stopping = false;

  function onProgress(id: number, entry: Running, message: Extract<FromWorker, { type: "progress" }>): void {
    entry.live = {
      phase: message.phase,
      progress: overallProgress(entry.type, message.phase, message.done, message.total, entry.live.progress),
    };
    const now = Date.now();
    if (now - entry.lastWrite < options.progressIntervalMs) return;
    entry.lastWrite = now;
    options.onProgress?.(id, entry.live);
    options.progressJobs.setProgress(id, entry.live.progress, entry.live.phase).catch(() => {
      // SQLITE_BUSY while a worker commits: the next report writes it; `live` serves reads meanwhile.
      entry.lastWrite = 0;
    });
  }

  // The worker writes the final state; when it could not (crash, forced stop), do it here.
  async function recordEnd(row: JobRow, entry: Running, lastError: unknown): Promise<RunOutcome> {
    clearTimeout(entry.cancelTimer);
    if (entry.ended) return entry.ended;
    // Nothing partial stays: a thread stopped mid-write left its temporary file.
    await removeJobTemporaries(resultsDir(options.dataDir), row.id);
    if (stopping) return "stopped";
    const current = await jobs.get(row.id);
    if (!current || isTerminal(current.status as JobState))
      return (current?.status as RunOutcome) ?? "failed";
    if (current.cancel_requested || entry.cancelAsked) {
      await jobs.cancel(row.id, "cancelled by request (stopped by force)");
      return "cancelled";
    }
    await jobs.fail(row.id, {
      code: "worker_crashed",
      message: `the job's worker stopped: ${lastError instanceof Error ? lastError.message : "no reason given"}`,
      issues_count: 0,
    });
    return "failed";
  }

  return {
    run(row) {
      const jobLog = log.child({ job_id: row.id, job_type: row.type });
      const workerData: WorkerInput = {
        jobId: row.id,
        dataDir: options.dataDir,
        database: options.database,
        resultTtlHours: options.resultTtlHours,
        ...(options.storage === undefined ? {} : { storage: options.storage }),
      };
      const worker = new Worker(options.workerUrl, { workerData });
      let exit!: (outcome: RunOutcome) => void;
      const entry: Running = {
        worker,
        type: row.type as JobType,
        live: { progress: 0, phase: "start" },
        lastWrite: 0,
        exited: new Promise((resolve) => {
          exit = resolve;
        }),
      };
      running.set(row.id, entry);
      jobLog.info("job started");
      let lastError: unknown;
      worker.on("message", (message: FromWorker) => {
        if (message.type === "progress") return onProgress(row.id, entry, message);
        entry.ended = message.type;
        if (message.type === "failed") jobLog.warn({ code: message.code }, `job failed: ${message.message}`);
        else jobLog.info(`job ${message.type}`);
      });
      worker.on("error", (error) => {
        lastError = error;
        jobLog.error({ err: error }, "job worker crashed");
      });
      worker.on("exit", () => {
        recordEnd(row, entry, lastError)
          .catch((error) => {
            log.error({ err: error }, "could not record a job's end");
            return "failed" as const;
          })
          .then((outcome) => {
            running.delete(row.id);
            options.onProgress?.(row.id, undefined);
            exit(outcome);
          });
      });
      return entry.exited;
    },
    cancel(id) {
      const entry = running.get(id);
      if (!entry) return false;
      // Tell the worker before writing anything: while it holds the write lock (storing an
      // import), a write from this thread would wait for the very transaction it should stop.
      entry.cancelAsked = true;
      entry.worker.postMessage({ type: "cancel" } satisfies ToWorker);
      entry.cancelTimer ??= setTimeout(() => void entry.worker.terminate(), CANCEL_GRACE_MS);
      return true;
    },
    live(id) {
      return running.get(id)?.live;
    },
    get size() {
      return running.size;
    },
    async stopAll() {
      stopping = true;
      const exits = [...running.values()].map((entry) => {
        void entry.worker.terminate();
        return entry.exited;
      });
      await Promise.all(exits);
    },
  };
}
