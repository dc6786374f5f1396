// W1 imported and exported through HTTP by the single-process embedded server (SQLite and the
// data folder) and by the scaled-out one (an API process and a worker process, each with a
// --data of its own, meeting through PostgreSQL, Redis and S3 (s3rver) started here), one after
// the other on the same machine. Times are from the POST to the job's end (import) and to the
// last byte of the downloaded zip (export). Usage:
//   node bench/scale-w1.mjs        (W1 = COCOKIT_BENCH_W1, else made by ../shared/tools/gen_coco_synth.py;
//                                   needs the postgresql and redis-server packages and a built dist/)
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SERVER_BIN = here("../bin/cocokit-server.js");
const GENERATOR = here("../../../../shared/tools/gen_coco_synth.py");

function workload() {
  if (process.env.COCOKIT_BENCH_W1) return process.env.COCOKIT_BENCH_W1;
  const dir = join(tmpdir(), "cocokit-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "w1-seed7.json");
  if (!existsSync(path)) {
    execFileSync("python3", [GENERATOR, `${path}.partial`, "--seed", "7"], { stdio: "inherit" });
    renameSync(`${path}.partial`, path);
  }
  return path;
}

/** The tests' real-server starters (TypeScript), bundled once for this script. */
async function servers() {
  // Inside the package, so the bundle's imports (pg, s3rver) resolve from its node_modules.
  const outfile = here("../node_modules/.cache/cocokit-bench/servers.mjs");
  await build({
    stdin: {
      contents: `export * from "./postgres.ts"; export * from "./redis.ts"; export * from "./s3.ts";`,
      resolveDir: here("../test/servers"),
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return import(outfile);
}

function startServer(args, env = {}) {
  const child = spawn(process.execPath, [SERVER_BIN, "--host", "127.0.0.1", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    const listen = (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      child.stdout.off("data", listen);
      child.stdout.resume();
      resolve({ url: match[1], stop: () => child.kill("SIGTERM"), exited });
    };
    child.stdout.on("data", listen);
    child.once("exit", () => reject(new Error(`server exited: ${out.slice(-2000)}`)));
  });
}

async function api(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function waitForJob(url, id) {
  for (;;) {
    const job = await api(`${url}/api/jobs/${id}`);
    if (["finished", "failed", "cancelled"].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** W1 imported, then exported and downloaded, through `url`; times in seconds. */
async function importExport(url, w1) {
  const json = { "content-type": "application/json" };
  const dataset = (await api(`${url}/api/datasets`, { method: "POST", headers: json, body: '{"name":"w1"}' }))
    .id;
  let started = performance.now();
  const accepted = await api(`${url}/api/datasets/${dataset}/import?filename=instances_train2017.json`, {
    method: "POST",
    headers: { ...json, "content-length": String(statSync(w1).size) },
    body: Readable.toWeb(createReadStream(w1)),
    duplex: "half",
  });
  const imported = await waitForJob(url, accepted.id);
  const importS = (performance.now() - started) / 1000;
  if (imported.status !== "finished") throw new Error(`import ${imported.status}: ${imported.message}`);
  started = performance.now();
  const job = await api(`${url}/api/datasets/${dataset}/export`, {
    method: "POST",
    headers: json,
    body: '{"format":"COCO 1.0"}',
  });
  const exported = await waitForJob(url, job.id);
  if (exported.status !== "finished") throw new Error(`export ${exported.status}: ${exported.message}`);
  let bytes = 0;
  for await (const chunk of (await fetch(`${url}/api/jobs/${job.id}/result`)).body) bytes += chunk.length;
  return { importS, exportS: (performance.now() - started) / 1000, zipMb: bytes / 1e6 };
}

const w1 = workload();
const work = await mkdtemp(join(tmpdir(), "cocokit-scale-w1-"));
const stops = [];
try {
  const embedded = await startServer(["--data", join(work, "embedded"), "--workers", "2"]);
  stops.push(embedded);
  const single = await importExport(embedded.url, w1);
  console.log(`embedded: import ${single.importS.toFixed(1)} s, export ${single.exportS.toFixed(1)} s`);
  embedded.stop();
  await embedded.exited;

  const { startPostgres, startRedis, startS3, createDatabase, S3_CREDENTIALS } = await servers();
  const [pg, redis, s3] = await Promise.all([startPostgres(), startRedis(), startS3()]);
  stops.push({ stop: () => Promise.all([pg.stop(), redis.stop(), s3.stop()]) });
  const database = await createDatabase(pg.url, "w1");
  const shared = [
    ...["--database", database, "--queue", redis.url, "--queue-prefix", `w1-${randomUUID()}`],
    ...["--storage", s3.storageUrl("cocokit")],
  ];
  const apiProc = await startServer(
    ["--data", join(work, "api"), "--role", "api", ...shared],
    S3_CREDENTIALS,
  );
  const worker = await startServer(
    ["--data", join(work, "worker"), "--role", "worker", "--workers", "2", ...shared],
    S3_CREDENTIALS,
  );
  stops.unshift(apiProc, worker);
  const scaled = await importExport(apiProc.url, w1);
  const mb = statSync(w1).size / 1e6;
  console.log(`\nW1 (${w1}, ${mb.toFixed(0)} MB) through HTTP, seconds\n`);
  console.log("| server | import | export + download | zip MB |\n| --- | --- | --- | --- |");
  const row = (name, r) =>
    console.log(`| ${name} | ${r.importS.toFixed(1)} | ${r.exportS.toFixed(1)} | ${r.zipMb.toFixed(0)} |`);
  row("embedded: one process, SQLite + data folder", single);
  row("scaled out: API + worker, PostgreSQL + Redis + S3", scaled);
  console.log(
    `\nscaled out / embedded: import ${(scaled.importS / single.importS).toFixed(2)}x, export ${(scaled.exportS / single.exportS).toFixed(2)}x`,
  );
} finally {
  for (const s of stops) await s.stop();
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
