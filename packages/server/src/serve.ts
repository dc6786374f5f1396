/**
 * The `cocokit-server` command: reads options and `COCOKIT_*` variables, listens, prints the URL,
 * and on SIGTERM/SIGINT stops taking requests, stops running jobs (marked interrupted; with a
 * shared queue, put back in it for another worker), closes the db.
 */
import { Command } from "commander";
import { buildApp } from "./app.js";
import { type ConfigInput, configFromEnv, parseConfig } from "./config.js";
import { VERSION } from "./version.js";

const program = new Command()
  .name("cocokit-server")
  .description("Serve COCO datasets and import/export/validate jobs over HTTP (OpenAPI at /docs).")
  .version(VERSION)
  .option("--host <host>", "address to listen on (COCOKIT_HOST)", undefined)
  .option("--port <port>", "port, 0 for any free one (COCOKIT_PORT)")
  .option("--data <dir>", "folder for the database, uploads and results (COCOKIT_DATA)")
  .option("--token <token>", "require Authorization: Bearer <token> (COCOKIT_TOKEN)")
  .option("--max-upload <size>", "largest upload, such as 20GB (COCOKIT_MAX_UPLOAD)")
  .option("--workers <n>", "jobs run at once, each in a worker thread (COCOKIT_WORKERS)")
  .option("--upload-ttl <hours>", "hours a resumable upload no job took is kept (COCOKIT_UPLOAD_TTL)")
  .option("--web <dir>", "serve this folder (the built web page) at / (COCOKIT_WEB)")
  .option("--database <url>", "postgres://… store (COCOKIT_DATABASE; default SQLite in --data)")
  .option("--queue <url>", "redis://… queue shared by processes (COCOKIT_QUEUE; default in-process)")
  .option("--storage <url>", "s3://bucket?endpoint=…&region=… (COCOKIT_STORAGE; default --data)")
  .option("--role <role>", "api, worker or all (COCOKIT_ROLE)")
  .option("--queue-prefix <prefix>", "Redis key prefix of the shared queue (COCOKIT_QUEUE_PREFIX)")
  .option(
    "--queue-lock-ms <ms>",
    "a dead worker's job moves on after about twice this (COCOKIT_QUEUE_LOCK_MS)",
  )
  .option(
    "--queue-attempts <n>",
    "runs a job may lose to dead workers before it fails (COCOKIT_QUEUE_ATTEMPTS)",
  )
  .option("--presign", "results download through presigned S3 URLs (COCOKIT_PRESIGN)")
  .addHelpText("after", "\nExample:\n  cocokit-server --port 8080 --data ./cocokit-data --token secret\n");

async function main(): Promise<void> {
  program.parse();
  const { uploadTtl, ...flags } = program.opts<Partial<Record<keyof ConfigInput | "uploadTtl", string>>>();
  // --upload-ttl is in hours; the setting says so in its name.
  const named = { ...flags, uploadTtlHours: uploadTtl };
  const given = Object.fromEntries(Object.entries(named).filter(([, v]) => v !== undefined));
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig({ ...configFromEnv(process.env), ...given });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(config);
  } catch (error) {
    // A store that cannot be reached is a setting to fix, not a crash: its message, no stack.
    process.stderr.write(`cocokit-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "stopping");
    // A second signal, or a close that hangs, ends the process anyway.
    setTimeout(() => process.exit(1), 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, "could not stop cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(
    `cocokit-server ${VERSION} listening on ${address} (docs: ${address}/docs, data: ${config.data})\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`cocokit-server: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
