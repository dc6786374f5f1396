import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Config } from "./config.js";
import { installAuth } from "./plugins/auth.js";
import { dbPlugin } from "./plugins/db.js";
import { installErrorHandling } from "./plugins/errors.js";
import { registerOpenApi } from "./plugins/openapi.js";
import { queuePlugin } from "./plugins/queue.js";
import { storagePlugin } from "./plugins/storage.js";
import { tusPlugin } from "./plugins/tus.js";
import { registerWeb } from "./plugins/web.js";
import { datasetRoutes } from "./routes/datasets.js";
import { healthCheck, healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { mediaRoutes } from "./routes/media.js";
import { uploadRoutes } from "./routes/uploads.js";

/** Options of `buildApp` beside the parsed config. */
export interface BuildAppOptions {
  /** fastify's logger option (default: pino JSON at `info`). Tests pass `false`. */
  logger?: FastifyServerOptions["logger"];
  /** The job worker's script; default `worker.js` beside the bundle. */
  workerUrl?: URL;
  /** fastify's `forceCloseConnections` (default `"idle"`): `true` also ends keep-alive sockets a client holds open. */
  forceCloseConnections?: boolean | "idle";
}

/**
 * Builds the server: database and queue, auth, errors, OpenAPI and routes, in that order. It
 * never listens and never reads the environment (`serve.ts` does both). With `role: "api"` it
 * runs no job; with `role: "worker"` it serves only `/api/health`.
 * @example
 * const app = await buildApp(parseConfig({ data: "./cocokit-data" }));
 * const health = await app.inject({ url: "/api/health" });
 */
export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: "info" },
    // A client's X-Request-Id is kept so its logs and ours line up; otherwise one is made.
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    // Uploads are streamed by their own parser; every other body is small JSON.
    bodyLimit: 1024 * 1024,
    forceCloseConnections: options.forceCloseConnections ?? "idle",
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  installErrorHandling(app);
  installAuth(app, config.token);
  await app.register(dbPlugin, { dataDir: config.data, database: config.database });
  await app.register(storagePlugin, {
    dataDir: config.data,
    ...(config.storage ? { storage: config.storage } : {}),
  });
  await app.register(queuePlugin, {
    workers: config.workers,
    workerUrl: options.workerUrl ?? new URL("./worker.js", import.meta.url),
    dataDir: config.data,
    database: config.database,
    resultTtlHours: config.resultTtlHours,
    progressIntervalMs: config.progressIntervalMs,
    ...(config.storage ? { storage: config.storage } : {}),
    queue: config.queue
      ? {
          url: config.queue,
          prefix: config.queuePrefix,
          runJobs: config.role !== "api",
          lockMs: config.queueLockMs,
          attempts: config.queueAttempts,
        }
      : undefined,
  });
  // A worker only runs jobs; it answers `/api/health` for probes (Kubernetes, load balancers).
  if (config.role === "worker") {
    await app.register(healthCheck);
    return app;
  }
  await registerOpenApi(app);
  await app.register(tusPlugin, {
    dataDir: config.data,
    maxUpload: config.maxUpload,
    uploadTtlHours: config.uploadTtlHours,
  });
  await app.register(healthRoutes);
  await app.register(datasetRoutes, { dataDir: config.data });
  await app.register(jobRoutes, { presign: config.presign });
  await app.register(uploadRoutes, { dataDir: config.data, maxUpload: config.maxUpload });
  await app.register(mediaRoutes, { dataDir: config.data, maxUpload: config.maxUpload });
  if (config.web !== undefined) await registerWeb(app, config.web);
  return app;
}
