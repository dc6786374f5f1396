import { join } from "node:path";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";
import { buildServerIfStale } from "./build-server.js";
import { startPostgres } from "./servers/postgres.js";
import { startRedis } from "./servers/redis.js";
import { startS3 } from "./servers/s3.js";

declare module "vitest" {
  export interface ProvidedContext {
    workerPath: string;
    /** The test PostgreSQL server (its `postgres` database), or `""` when it could not start. */
    postgresUrl: string;
    redisUrl: string;
    s3Endpoint: string;
    /** Why a server could not start, by name; tests that need it fail with this message. */
    serverErrors: Record<string, string>;
  }
}

/** Starts the real PostgreSQL, Redis and S3 servers the scale-out tests share, once per run. */
async function startServers(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, redis, s3] = await Promise.allSettled([startPostgres(), startRedis(), startS3()]);
  const errors: Record<string, string> = {};
  const url = <T>(name: string, result: PromiseSettledResult<T>, pick: (value: T) => string) => {
    if (result.status === "fulfilled") return pick(result.value);
    errors[name] = String(result.reason instanceof Error ? result.reason.message : result.reason);
    return "";
  };
  project.provide(
    "postgresUrl",
    url("postgres", postgres, (server) => server.url),
  );
  project.provide(
    "redisUrl",
    url("redis", redis, (server) => server.url),
  );
  project.provide(
    "s3Endpoint",
    url("s3", s3, (server) => server.endpoint),
  );
  project.provide("serverErrors", errors);
  return async () => {
    for (const result of [postgres, redis, s3]) if (result.status === "fulfilled") await result.value.stop();
  };
}

/**
 * Tests run the TypeScript sources, but a worker thread needs JavaScript: bundle the job worker
 * once (dependencies stay external, resolved from this package) and tell the tests where it is.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outfile = join(
    import.meta.dirname,
    "..",
    "node_modules",
    ".cache",
    "cocokit-server-test",
    "worker.js",
  );
  await build({
    entryPoints: [join(import.meta.dirname, "..", "src", "jobs", "thread", "worker.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  project.provide("workerPath", outfile);
  buildServerIfStale();
  return startServers(project);
}
