// The server's benchmark: W1 imported and exported through HTTP against `cocokit convert` of the
// same file in the same run (wall time and peak RSS of each process), then 50 concurrent small
// imports while `/api/health` is timed. Usage:
//   node bench/run.mjs [--images N]
// COCOKIT_BENCH_DATABASE=postgres://… (an empty database) runs the server on PostgreSQL instead of SQLite.
// W1 is COCOKIT_BENCH_W1 when set, else generated under the OS temp folder by
// ../shared/tools/gen_coco_synth.py (seed 7; `--images N` or COCOKIT_BENCH_IMAGES for a smaller one).
// Exits 1 when a job fails or is lost.
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { api, createDataset, importFile, SERVER_BIN, waitForJob, workload } from "./_http.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CLI_BIN = here("../../cli/bin/cocokit.js");
const RSS_PRELOAD = here("./_max-rss.cjs");
const SMALL = here("../../core/test/corpus/coco2017-subset/annotations/instances_val2017.json");
const CONCURRENT = 50;

function argImages() {
  const at = process.argv.indexOf("--images");
  if (at > 0) return process.argv[at + 1];
  return process.env.COCOKIT_BENCH_IMAGES;
}

/** Runs node on a script with the max-RSS preload; resolves with its wall time, exit code and peak RSS. */
function runNode(args, { onStdout } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, ["--require", RSS_PRELOAD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (c) => {
    err += c;
  });
  if (onStdout) child.stdout.on("data", onStdout);
  else child.stdout.resume();
  const done = new Promise((resolve) =>
    child.on("exit", (code) => {
      const match = /cocokit-bench-max-rss (\d+)/.exec(err);
      resolve({
        code,
        wallMs: performance.now() - started,
        maxRssMb: match ? Number(match[1]) / 1024 : undefined,
        stderr: err.replace(/cocokit-bench-max-rss \d+\n?/, ""),
      });
    }),
  );
  return { child, done };
}

async function startServer(data) {
  let out = "";
  let resolveUrl;
  const url = new Promise((resolve) => {
    resolveUrl = resolve;
  });
  // COCOKIT_BENCH_DATABASE=postgres://… (an empty database) measures the PostgreSQL store.
  const database = process.env.COCOKIT_BENCH_DATABASE
    ? ["--database", process.env.COCOKIT_BENCH_DATABASE]
    : [];
  const run = runNode([SERVER_BIN, "--host", "127.0.0.1", "--port", "0", "--data", data, ...database], {
    onStdout: (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolveUrl(match[1]);
      // Only the start line matters; the request logs are not kept.
      if (out.length > 65_536) out = out.slice(-1024);
    },
  });
  const early = run.done.then((r) => {
    throw new Error(`the server exited before listening (${r.code}): ${r.stderr}`);
  });
  return { ...run, url: await Promise.race([url, early]) };
}

/**
 * Times `/api/health` back to back (5 ms apart) until `stop()`, which returns p50, p99 and max:
 * the API must stay responsive while worker threads import.
 */
function healthTimer(url) {
  const latencies = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await api(`${url}/api/health`);
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    latencies.sort((a, b) => a - b);
    return {
      n: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
    };
  };
}

const healthText = (h) =>
  `p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms, max ${h.max.toFixed(1)} ms (${h.n} requests)`;

/** W1 through HTTP: upload and import (with `/api/health` timed meanwhile), then export and download the zip. */
async function httpRun(url, w1) {
  const dataset = await createDataset(url, "w1");
  let started = performance.now();
  const stopHealth = healthTimer(url);
  const imported = await importFile(url, dataset, w1, "instances_train2017.json");
  const importMs = performance.now() - started;
  const health = await stopHealth();
  started = performance.now();
  const job = await api(`${url}/api/datasets/${dataset}/export`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ format: "COCO 1.0" }),
  });
  const exported = await waitForJob(url, job.id);
  let zipBytes = 0;
  if (exported.status === "finished") {
    const response = await fetch(`${url}/api/jobs/${job.id}/result`);
    for await (const chunk of response.body) zipBytes += chunk.length;
  }
  const exportMs = performance.now() - started;
  return { imported, exported, importMs, exportMs, zipBytes, health };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** 50 small imports at once (each into its own dataset) while `/api/health` is timed back to back. */
async function concurrentRun(url) {
  const body = await readFile(SMALL);
  const datasets = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => createDataset(url, `small-${i}`)),
  );
  const stopHealth = healthTimer(url);
  const started = performance.now();
  const accepted = await Promise.all(
    datasets.map((d) =>
      api(`${url}/api/datasets/${d}/import?filename=instances_val2017.json`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    ),
  );
  const jobs = await Promise.all(accepted.map((j) => waitForJob(url, j.id)));
  const wallMs = performance.now() - started;
  const health = await stopHealth();
  const listed = await api(`${url}/api/jobs?type=import&status=finished&limit=1000`);
  return {
    finished: jobs.filter((j) => j.status === "finished").length,
    listedFinished: listed.count,
    wallMs,
    health,
  };
}

const w1 = workload(argImages());
const sizeMb = statSync(w1).size / 1024 ** 2;
console.log(`server bench: W1 ${w1} (${sizeMb.toFixed(0)} MB)`);
const work = await mkdtemp(join(tmpdir(), "cocokit-server-bench-"));
let failed = false;
try {
  const cli = await runNode([CLI_BIN, "convert", w1, join(work, "cli.zip"), "--quiet"]).done;
  if (cli.code !== 0) throw new Error(`cocokit convert failed (${cli.code}): ${cli.stderr}`);

  const server = await startServer(join(work, "data"));
  const http = await httpRun(server.url, w1);
  const concurrent = await concurrentRun(server.url);
  server.child.kill("SIGTERM");
  const stopped = await server.done;

  const serverMs = http.importMs + http.exportMs;
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const mb = (v) => (v === undefined ? "?" : `${v.toFixed(0)} MB`);
  console.log(`
| run | wall | peak RSS |
| --- | --- | --- |
| cocokit convert W1.json W1.zip | ${s(cli.wallMs)} | ${mb(cli.maxRssMb)} |
| server: upload + import (${http.imported.status}) | ${s(http.importMs)} | |
| server: export + download (${http.exported.status}, ${(http.zipBytes / 1024 ** 2).toFixed(0)} MB zip) | ${s(http.exportMs)} | |
| server: import + export, whole process | ${s(serverMs)} (${(serverMs / cli.wallMs).toFixed(2)}× convert) | ${mb(stopped.maxRssMb)} |

/api/health during the W1 upload and import: ${healthText(http.health)}
${CONCURRENT} concurrent small imports: ${concurrent.finished}/${CONCURRENT} finished (${concurrent.listedFinished} listed) in ${s(concurrent.wallMs)}; /api/health meanwhile: ${healthText(concurrent.health)}`);
  console.log(
    JSON.stringify({
      w1: { path: w1, mb: sizeMb },
      cli: { wallMs: cli.wallMs, maxRssMb: cli.maxRssMb },
      server: {
        importMs: http.importMs,
        exportMs: http.exportMs,
        ratio: serverMs / cli.wallMs,
        maxRssMb: stopped.maxRssMb,
        healthDuringImport: http.health,
      },
      concurrent,
    }),
  );
  failed =
    http.imported.status !== "finished" ||
    http.exported.status !== "finished" ||
    concurrent.finished !== CONCURRENT ||
    concurrent.listedFinished < CONCURRENT;
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
