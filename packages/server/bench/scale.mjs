// Jobs per minute through the shared queue: one API process and 1, then 2, worker processes
// (each `--workers 2`) over one data folder and one Redis, on the same workload of small import
// jobs (the coco2017-subset val instances into a fresh dataset each). Usage:
//   node bench/scale.mjs [--jobs N]        (default 100; needs `redis-server` on PATH, a built dist/)
// Exits 1 when a job fails or is lost.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, testServers } from "./_http.mjs";

const { startRedis } = await testServers();

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SMALL = here("../../core/test/corpus/coco2017-subset/annotations/instances_val2017.json");
const at = process.argv.indexOf("--jobs");
const JOBS = at > 0 ? Number(process.argv[at + 1]) : 100;

/** The bin with one role of the shared queue (`--workers 2`). */
function startRole(role, { data, queue, prefix }) {
  return startServer([
    ...["--data", data, "--queue", queue, "--queue-prefix", prefix, "--role", role, "--workers", "2"],
  ]);
}

async function post(url, body, type = "application/json") {
  const response = await fetch(url, { method: "POST", headers: { "content-type": type }, body });
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function run(workers) {
  const data = await mkdtemp(join(tmpdir(), "cocokit-scale-bench-"));
  // No persistence: the bench measures throughput, not durability.
  const redis = await startRedis({ durable: false });
  const settings = { data, queue: redis.url, prefix: `bench-${workers}` };
  const processes = [];
  try {
    const api = await startRole("api", settings);
    processes.push(api);
    const bytes = await readFile(SMALL);
    const datasets = [];
    for (let i = 0; i < JOBS; i++)
      datasets.push((await post(`${api.url}/api/datasets`, JSON.stringify({ name: `d${i}` }))).id);
    // Queue everything first, then start the workers: the clock measures the workers alone.
    const jobs = [];
    for (const id of datasets)
      jobs.push(
        (await post(`${api.url}/api/datasets/${id}/import?filename=instances_val2017.json`, bytes)).id,
      );
    const started = performance.now();
    for (let i = 0; i < workers; i++) processes.push(await startRole("worker", settings));
    const pending = new Set(jobs);
    let failed = 0;
    while (pending.size > 0) {
      const page = await (await fetch(`${api.url}/api/jobs?limit=500&offset=0`)).json();
      for (const job of page.results)
        if (pending.has(job.id) && ["finished", "failed", "cancelled"].includes(job.status)) {
          pending.delete(job.id);
          if (job.status !== "finished") failed++;
        }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    return { workers, jobs: JOBS, failed, seconds, perMinute: (JOBS / seconds) * 60 };
  } finally {
    for (const proc of processes) proc.stop();
    await Promise.all(processes.map((proc) => proc.exited));
    await redis.stop();
    await rm(data, { recursive: true, force: true });
  }
}

const results = [];
for (const workers of [1, 2]) results.push(await run(workers));
for (const r of results)
  console.log(
    `${r.workers} worker process(es) x 2 threads: ${r.jobs} small imports in ${r.seconds.toFixed(1)} s = ${r.perMinute.toFixed(0)} jobs/min${r.failed ? ` (${r.failed} failed)` : ""}`,
  );
process.exit(results.some((r) => r.failed) ? 1 : 0);
