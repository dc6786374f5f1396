// W1 imported and exported through HTTP by the single-process embedded server (SQLite and the
// data folder) and by the scaled-out one (an API process and a worker process, each with a
// --data of its own, meeting through PostgreSQL, Redis and S3 (s3rver) started here), one after
// the other on the same machine. Times are from the POST to the job's end (import) and to the
// last byte of the downloaded zip (export). Usage:
//   node bench/scale-w1.mjs        (W1 = COCOKIT_BENCH_W1, else made by ../shared/tools/gen_coco_synth.py;
//                                   needs the postgresql and redis-server packages and a built dist/)
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, createDataset, importFile, startServer, testServers, waitForJob, workload } from "./_http.mjs";

/** W1 imported, then exported and downloaded, through `url`; times in seconds. */
async function importExport(url, w1) {
  const dataset = await createDataset(url, "w1");
  let started = performance.now();
  const imported = await importFile(url, dataset, w1, "instances_train2017.json");
  const importS = (performance.now() - started) / 1000;
  if (imported.status !== "finished") throw new Error(`import ${imported.status}: ${imported.message}`);
  started = performance.now();
  const job = await api(`${url}/api/datasets/${dataset}/export`, {
    method: "POST",
    headers: { "content-type": "application/json" },
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

  const { startPostgres, startRedis, startS3, createDatabase, S3_CREDENTIALS } = await testServers();
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
