import fp from "fastify-plugin";
import { createBullQueue } from "../jobs/bullmq-queue.js";
import { createLocalQueue } from "../jobs/local-queue.js";
import type { JobQueue } from "../jobs/queue.js";
import { checkRedis } from "../jobs/redis-check.js";
import { resultsDir } from "../storage/results.js";
import { removeLeftovers } from "../storage/uploads.js";

declare module "fastify" {
  interface FastifyInstance {
    queue: JobQueue;
    /** Deletes result files past their `expires_at`; runs at boot and every `SWEEP_INTERVAL_MS`. */
    sweepExpired(): Promise<number>;
  }
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** What the queue plugin needs beside the db plugin. */
export interface QueuePluginOptions {
  workers: number;
  workerUrl: URL;
  dataDir: string;
  /** The `postgres://` store job threads open, when not the data folder's SQLite. */
  database?: string | undefined;
  resultTtlHours: number;
  progressIntervalMs: number;
  storage?: string;
  /** The shared queue (`redis://…`); without it, the in-process queue. */
  queue?: { url: string; prefix: string; runJobs: boolean; lockMs: number; attempts: number };
}

/**
 * The job queue. In-process: at boot, jobs a stopped server left `started` become failed
 * ("interrupted") and queued ones run; on close, running jobs stop and are marked interrupted
 * before the db closes. Shared (BullMQ): see `createBullQueue`.
 */
export const queuePlugin = fp<QueuePluginOptions>(
  async (app, options) => {
    const { queue: shared, ...local } = options;
    const common = { ...local, jobs: app.jobs, progressJobs: app.progressJobs, log: app.log };
    let queue: JobQueue;
    if (shared) {
      // Other processes share the data folder and the queue: their running jobs, uploads and
      // temporaries are not leftovers. BullMQ's stalled-job check decides what a dead worker left.
      await checkRedis(shared.url);
      queue = createBullQueue({ ...common, ...shared });
    } else {
      const interrupted = await app.jobs.interruptStarted(
        "interrupted: the server stopped while the job ran",
      );
      if (interrupted)
        app.log.warn({ count: interrupted }, "jobs left running by a stopped server marked as interrupted");
      const removed = await removeLeftovers(
        options.dataDir,
        await app.jobs.queuedInputs(),
        resultsDir(options.dataDir),
      );
      if (removed)
        app.log.info({ count: removed }, "removed uploads and partial results a stopped server left");
      queue = createLocalQueue(common);
    }
    app.decorate("queue", queue);
    app.decorate("sweepExpired", async () => {
      const paths = await app.jobs.takeExpiredResults(new Date().toISOString());
      for (const path of paths) await app.storage.delete(path);
      if (paths.length) app.log.info({ count: paths.length }, "removed expired results");
      return paths.length;
    });
    const sweep = () =>
      void app
        .sweepExpired()
        .catch((error) => app.log.error({ err: error }, "could not remove expired results"));
    const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
    app.addHook("onReady", async () => sweep());
    app.addHook("onReady", async () => queue.start());
    // Registered after the db plugin's hook, so it runs first (fastify runs onClose in reverse).
    app.addHook("onClose", async () => {
      clearInterval(timer);
      await queue.close();
    });
  },
  { name: "queue", dependencies: ["db", "storage"] },
);
