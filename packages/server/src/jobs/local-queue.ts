import type { FastifyBaseLogger } from "fastify";
import type { JobsRepository } from "../repositories/jobs-repository.js";
import { createJobRunner, type JobRunnerOptions } from "./job-runner.js";
import type { JobQueue } from "./queue.js";
import { isTerminal, type JobState } from "./state.js";

/** What the in-process queue needs. */
export interface LocalQueueOptions extends JobRunnerOptions {
  workers: number;
  jobs: JobsRepository;
  log: FastifyBaseLogger;
}

/**
 * The in-process queue of a single server: queued rows are claimed oldest first, up to `workers`
 * at once. On close, running jobs stop and become failed ("interrupted"): nobody else would run them.
 */
export function createLocalQueue(options: LocalQueueOptions): JobQueue {
  const { jobs, log } = options;
  const runner = createJobRunner(options);
  let closing = false;
  let pumping: Promise<void> | undefined;
  let idleWaiters: (() => void)[] = [];

  async function checkIdle() {
    if (runner.size > 0 || pumping) return;
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
      while (!closing && runner.size < options.workers) {
        const row = await jobs.claimNext();
        if (!row) break;
        void runner.run(row).then(() => {
          pump();
          void checkIdle();
        });
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

  return {
    async start() {
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
      runner.cancel(id);
      // The mark covers a worker that has not read its job yet; best effort while one commits.
      await options.progressJobs.requestCancel(id).catch(() => undefined);
      return true;
    },
    live(id) {
      return runner.live(id);
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
      await runner.stopAll();
      const interrupted = await jobs.interruptStarted("interrupted: the server stopped while the job ran");
      if (interrupted) log.warn({ count: interrupted }, "running jobs marked as interrupted");
    },
  };
}
