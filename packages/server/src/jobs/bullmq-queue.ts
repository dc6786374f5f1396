import { type Job, Queue, WaitingError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { JobRow } from "../repositories/jobs-repository.js";
import { removeJobTemporaries, resultsDir } from "../storage/results.js";
import { createJobRunner, type JobRunner, type JobRunnerOptions } from "./job-runner.js";
import type { JobQueue, LiveProgress } from "./queue.js";
import { isTerminal, type JobState } from "./state.js";

/** What the BullMQ queue needs beside the runner's options. */
export interface BullQueueOptions extends JobRunnerOptions {
  /** `redis://…` */
  url: string;
  /** Key prefix: processes with the same prefix share one queue. */
  prefix: string;
  /** Run jobs here (roles `worker` and `all`); an `api` process only enqueues and cancels. */
  runJobs: boolean;
  /** Jobs run at once in this process. */
  workers: number;
  /** BullMQ's `lockDuration` and `stalledInterval`, in ms. */
  lockMs: number;
  /** Stalls (runs lost to a dead worker) before a job is failed. */
  attempts: number;
}

const QUEUE_NAME = "jobs";
// BullMQ refuses integer-like custom ids; the row's id with a prefix keeps one job per row.
const bullId = (id: number) => `job-${id}`;
// How long a cancel heard before its job started here is remembered.
const PENDING_CANCEL_MS = 60_000;
const PRUNE_MS = 5 * 60_000;

/**
 * Jobs through BullMQ: the row is created first, then a BullMQ job whose id is the row's id, so
 * adding twice (an API and a reconcile at boot) is one job. A worker process runs BullMQ jobs
 * with concurrency `workers`, each in its own thread as in one process. Every run reads the row
 * first: a row already ended completes the BullMQ job without running, a row left `started` by
 * a worker that died is started over cleanly, and after `attempts` stalls it is failed. Cancels
 * travel over a Redis channel to whichever worker runs the job. On SIGTERM a worker stops its
 * threads and puts their jobs back in the queue (as BullMQ users expect of a deploy), where
 * another worker starts them over.
 */
export function createBullQueue(options: BullQueueOptions): JobQueue {
  const { jobs, log } = options;
  // null: commands wait for Redis to come back instead of failing (BullMQ requires it of workers).
  const connection = { url: options.url, maxRetriesPerRequest: null };
  const queue = new Queue(QUEUE_NAME, { connection, prefix: options.prefix });
  queue.on("error", (error) => log.warn({ err: error }, "queue connection error"));
  const publisher = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
  publisher.on("error", (error) => log.warn({ err: error }, "queue connection error"));
  const channel = `${options.prefix}:${QUEUE_NAME}:cancel`;
  const progressChannel = `${options.prefix}:${QUEUE_NAME}:progress`;
  // Progress of jobs running in other processes. An import's rows are one transaction, during
  // which SQLite takes no other write: the row's progress would stand still, so workers also
  // publish each throttled report and every process keeps the latest.
  const remote = new Map<number, { live: LiveProgress; at: number }>();
  const publish = (name: string, message: string) =>
    void publisher.publish(name, message).catch((error) => log.warn({ err: error }, "could not publish"));
  const runner: JobRunner | undefined = options.runJobs
    ? createJobRunner({
        ...options,
        onProgress: (id, live) => publish(progressChannel, JSON.stringify({ id, live: live ?? null })),
      })
    : undefined;
  const pendingCancels = new Map<number, NodeJS.Timeout>();
  let worker: Worker | undefined;
  let subscriber: Redis | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let closing = false;

  const add = (id: number) =>
    queue.add("job", { id }, { jobId: bullId(id), removeOnComplete: true, removeOnFail: { count: 1000 } });

  async function process(job: Job, token?: string): Promise<string> {
    const id = (job.data as { id: number }).id;
    // Taken by a fetch that was under way when this worker began to stop: hand it back unrun.
    if (closing) return handBack(job, token);
    let row: JobRow | undefined = await jobs.get(id);
    // Ended already (cancelled while queued, or finished just before its worker died): nothing to run.
    if (!row || isTerminal(row.status as JobState)) return "skipped";
    if (row.status === "started") {
      // A worker stopped while it ran the job (kill -9, lost lock, SIGTERM). Imports are one
      // transaction and results are renamed into place, so only temporaries can be left.
      await removeJobTemporaries(resultsDir(options.dataDir), id);
      // Only stalls count (a worker that died or lost its lock), not jobs handed back on SIGTERM.
      if (job.stalledCounter >= options.attempts) {
        await jobs.fail(id, {
          code: "worker_lost",
          message: `the job's worker stopped ${options.attempts} times while it ran; not tried again`,
          issues_count: 0,
        });
        log.warn({ job_id: id }, "job failed after too many attempts");
        return "failed";
      }
      log.warn({ job_id: id, stalls: job.stalledCounter }, "starting over a job a stopped worker left");
      await jobs.setProgress(id, 0, "start");
    } else {
      row = await jobs.claim(id);
      if (!row) return "skipped";
    }
    const outcome = runner?.run(row);
    if (!outcome) throw new Error("expected a worker process to run jobs");
    if (pendingCancels.has(id)) runner?.cancel(id);
    const result = await outcome;
    if (result === "stopped") return handBack(job, token);
    return result;
  }

  // Back to the queue for another worker; the row stays `started`, as after a stall.
  async function handBack(job: Job, token?: string): Promise<never> {
    await job.moveToWait(token);
    throw new WaitingError();
  }

  function heardCancel(id: number): void {
    if (runner?.cancel(id)) return;
    // Not running here (yet): the job may be about to start on this worker.
    clearTimeout(pendingCancels.get(id));
    pendingCancels.set(id, setTimeout(() => pendingCancels.delete(id), PENDING_CANCEL_MS).unref());
  }

  /** Rows the queue should hold but does not (an enqueue cut off by a crash, a Redis that lost data). */
  async function reconcile(): Promise<void> {
    let added = 0;
    for (const id of await jobs.idsWithStatus("queued")) {
      const state = await queue.getJobState(bullId(id));
      if (state === "completed" || state === "failed") await queue.remove(bullId(id));
      if (state === "unknown" || state === "completed" || state === "failed") {
        await add(id);
        added++;
      }
    }
    for (const id of await jobs.idsWithStatus("started")) {
      const state = await queue.getJobState(bullId(id));
      if (state === "unknown") {
        // Its worker's job is gone: run it again (the run starts it over).
        await add(id);
        added++;
      } else if (state === "failed" || state === "completed")
        await jobs.fail(id, { code: "worker_lost", message: "the job's worker stopped", issues_count: 0 });
    }
    if (added) log.warn({ count: added }, "queued jobs missing from the queue added again");
  }

  function heardProgress(message: string): void {
    const { id, live } = JSON.parse(message) as { id: number; live: LiveProgress | null };
    if (live) remote.set(id, { live, at: Date.now() });
    else remote.delete(id);
  }

  async function subscribe(): Promise<void> {
    const sub = new Redis(options.url, { maxRetriesPerRequest: null });
    sub.on("error", (error) => log.warn({ err: error }, "queue connection error"));
    sub.on("message", (name, message) => {
      if (name === channel) heardCancel(Number(message));
      else heardProgress(message);
    });
    await sub.subscribe(channel, progressChannel);
    subscriber = sub;
  }

  async function startWorker(): Promise<void> {
    worker = new Worker(QUEUE_NAME, process, {
      connection,
      prefix: options.prefix,
      concurrency: options.workers,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // The run itself counts starts and fails the job with a clear message; BullMQ's own limit
      // would leave the row `started`.
      maxStalledCount: options.attempts + 1,
    });
    worker.on("error", (error) => log.warn({ err: error }, "queue worker error"));
    worker.on("failed", (job, error) => {
      if (!job || error instanceof WaitingError || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      // The run could not even read or claim its row (the store was unreachable).
      void jobs
        .fail((job.data as { id: number }).id, {
          code: "queue_error",
          message: error.message,
          issues_count: 0,
        })
        .catch((err) => log.error({ err }, "could not record a job's failure"));
    });
    await worker.waitUntilReady();
  }

  return {
    async start() {
      await reconcile();
      await subscribe();
      if (runner) await startWorker();
      // A worker that died never said its job ended: forget reports nobody renewed.
      pruneTimer = setInterval(() => {
        for (const [id, entry] of remote) if (Date.now() - entry.at > PRUNE_MS) remote.delete(id);
      }, PRUNE_MS).unref();
    },
    async enqueue(job) {
      const row = await jobs.create(job);
      await add(row.id);
      return row;
    },
    async cancel(id) {
      const row = await jobs.get(id);
      if (!row || isTerminal(row.status as JobState)) return false;
      if (row.status === "queued" && (await jobs.cancel(id, "cancelled while queued"))) {
        // 0 when a worker holds it already: that run reads the row, finds it cancelled and stops.
        await queue.remove(bullId(id));
      }
      publish(channel, String(id));
      // The mark covers a worker that starts it over later. Best effort now, without waiting for
      // a worker's import transaction, and patiently in the background when that fails.
      void options.progressJobs
        .requestCancel(id)
        .catch(() => jobs.requestCancel(id))
        .catch((error) => log.error({ err: error }, "could not mark a job cancelled"));
      return true;
    },
    live(id) {
      return runner?.live(id) ?? remote.get(id)?.live;
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
        if (!runner?.size && Object.values(counts).every((n) => n === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      closing = true;
      if (worker) {
        await worker.pause(true);
        await runner?.stopAll();
        await worker.close();
      }
      for (const timer of pendingCancels.values()) clearTimeout(timer);
      clearInterval(pruneTimer);
      await subscriber?.quit();
      await queue.close();
      await publisher.quit().catch(() => undefined);
    },
  };
}
