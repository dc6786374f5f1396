import { Worker } from "node:worker_threads";
import type { FastifyBaseLogger } from "fastify";
import type { JobRow, JobsRepository } from "../repositories/jobs-repository.js";
import { removeJobTemporaries, resultsDir } from "../storage/results.js";
import { overallProgress } from "./progress.js";
import { isTerminal, type JobState, type JobType } from "./state.js";
import type { FromWorker, ToWorker, WorkerInput } from "./thread/protocol.js";

/** A running job's latest progress, fresher than its row (rows are written at most every interval). */
export interface LiveProgress {
  progress: number;
  phase: string;
}

/** The in-process job queue: durable rows in SQLite, each running job in its own worker thread. */
export interface JobQueue {
  /** Stores a queued job and starts it when a worker is free. */
  enqueue(job: { type: JobType; dataset_id: number | null; params: unknown }): Promise<JobRow>;
  /** Cancels a queued job at once, or asks a running one to stop; false when the job has already ended. */
  cancel(id: number): Promise<boolean>;
  /** The in-memory progress of a running job. */
  live(id: number): LiveProgress | undefined;
  /** Resolves when no job is queued or running (tests, graceful stop). */
  idle(): Promise<void>;
  /** Stops taking jobs, stops the running ones (they become failed, "interrupted") and waits for their threads. */
  close(): Promise<void>;
}

/** What the queue needs. */
export interface JobQueueOptions {
  jobs: JobsRepository;
  /** A connection that never waits for a lock: progress writes are dropped while a worker commits. */
  progressJobs: JobsRepository;
  workers: number;
  workerUrl: URL;
  dataDir: string;
  database?: string | undefined;
  resultTtlHours: number;
  progressIntervalMs: number;
  log: FastifyBaseLogger;
  storage?: string;
}

interface Running {
  worker: Worker;
  type: JobType;
  live: LiveProgress;
  lastWrite: number;
  ended?: "finished" | "failed" | "cancelled";
  cancelTimer?: NodeJS.Timeout;
  cancelAsked?: boolean;
  exited: Promise<void>;
}

// A running job that ignores its signal this long after a cancel is stopped by force.
const CANCEL_GRACE_MS = 1000;

/** Creates the queue; call `start()` once the database is migrated. */
export function createJobQueue(options: JobQueueOptions): JobQueue & { start(): void } {
  const { jobs, log } = options;
  const running = new Map<number, Running>();
  let closing = false;
  let pumping: Promise<void> | undefined;
  let idleWaiters: (() => void)[] = [];

  async function checkIdle() {
    if (running.size > 0 || pumping) return;
    // At shutdown the db may close before this answers (PostgreSQL answers later than SQLite).
    const queued = await jobs.list({ status: "queued", offset: 0, limit: 1 }).catch((error) => {
      if (closing) return { count: 0 };
      throw error;
    });
    if (queued.count > 0 && !closing) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  }

  async function drain(): Promise<void> {
    // Yield first: the caller's `pumping = drain()` must be set before the loop can end and clear it.
    await Promise.resolve();
    try {
      while (!closing && running.size < options.workers) {
        const row = await jobs.claimNext();
        if (!row) break;
        launch(row);
      }
    } catch (error) {
      log.error({ err: error }, "could not start queued jobs");
    } finally {
      pumping = undefined;
      void checkIdle();
    }
  }

  function pump(): void {
    if (closing) return;
    if (pumping) {
      // A drain is running: run another after it, so a job queued meanwhile is not missed.
      void pumping.then(pump);
      return;
    }
    pumping = drain();
  }

  function launch(row: JobRow): void {
    const jobLog = log.child({ job_id: row.id, job_type: row.type });
    const workerData: WorkerInput = {
      jobId: row.id,
      dataDir: options.dataDir,
      database: options.database,
      resultTtlHours: options.resultTtlHours,
      ...(options.storage === undefined ? {} : { storage: options.storage }),
    };
    const worker = new Worker(options.workerUrl, { workerData });
    let exit!: () => void;
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
      void (async () => {
        clearTimeout(entry.cancelTimer);
        // The worker writes the final state; when it could not (crash, forced stop), do it here.
        if (!entry.ended && !closing) {
          // Nothing partial stays: a thread stopped mid-write left its temporary file.
          await removeJobTemporaries(resultsDir(options.dataDir), row.id);
          const current = await jobs.get(row.id);
          if (current && !isTerminal(current.status as JobState)) {
            if (current.cancel_requested || entry.cancelAsked)
              await jobs.cancel(row.id, "cancelled by request (stopped by force)");
            else
              await jobs.fail(row.id, {
                code: "worker_crashed",
                message: `the job's worker stopped: ${lastError instanceof Error ? lastError.message : "no reason given"}`,
                issues_count: 0,
              });
          }
        }
        running.delete(row.id);
        exit();
        pump();
      })().catch((error) => log.error({ err: error }, "could not record a job's end"));
    });
  }

  function onProgress(id: number, entry: Running, message: Extract<FromWorker, { type: "progress" }>): void {
    entry.live = {
      phase: message.phase,
      progress: overallProgress(entry.type, message.phase, message.done, message.total, entry.live.progress),
    };
    const now = Date.now();
    if (now - entry.lastWrite < options.progressIntervalMs) return;
    entry.lastWrite = now;
    options.progressJobs.setProgress(id, entry.live.progress, entry.live.phase).catch(() => {
      // SQLITE_BUSY while a worker commits: the next report writes it; `live` serves reads meanwhile.
      entry.lastWrite = 0;
    });
  }

  return {
    start() {
      pump();
    },
    async enqueue(job) {
      const row = await jobs.create(job);
      pump();
      return row;
    },
    async cancel(id) {
      const row = await jobs.get(id);
      if (!row || isTerminal(row.status as JobState)) return false;
      if (row.status === "queued" && (await jobs.cancel(id, "cancelled while queued"))) return true;
      const entry = running.get(id);
      if (entry) {
        // Tell the worker before writing anything: while it holds the write lock (storing an
        // import), a write from this thread would wait for the very transaction it should stop.
        entry.cancelAsked = true;
        entry.worker.postMessage({ type: "cancel" } satisfies ToWorker);
        entry.cancelTimer ??= setTimeout(() => void entry.worker.terminate(), CANCEL_GRACE_MS);
      }
      // The mark covers a worker that has not read its job yet; best effort while one commits.
      await options.progressJobs.requestCancel(id).catch(() => undefined);
      return true;
    },
    live(id) {
      return running.get(id)?.live;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        void checkIdle();
      });
    },
    async close() {
      closing = true;
      await pumping;
      const exits = [...running.values()].map((entry) => {
        void entry.worker.terminate();
        return entry.exited;
      });
      await Promise.all(exits);
      const interrupted = await jobs.interruptStarted("interrupted: the server stopped while the job ran");
      if (interrupted) log.warn({ count: interrupted }, "running jobs marked as interrupted");
    },
  };
}
