// core-records: the record-level API on W1 without a Dataset, each case in its own child process
// so peak RSS is per case (issue 13's goal: ≤ 300 MB both ways):
// - read: `readCocoRecords(json)`, every batch counted;
// - json → zip: `recordsZip(readCocoRecords(json))` written to a file (Node's parallel zlib);
// - zip → json: `recordsJson(readCocoRecords(zip))` written to a file.
// Usage: node bench/records-w1.mjs   (COCOKIT_BENCH_IMAGES=N for a smaller file)
import { spawnSync } from "node:child_process";
import { createWriteStream, openAsBlob, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { workload } from "./_workload.mjs";

const self = fileURLToPath(import.meta.url);

async function measure(name, input, output) {
  const core = await import("../dist/index.js");
  const node = await import("../dist/node/index.js");
  await node.useNodeZlib();
  const start = performance.now();
  const records = core.readCocoRecords(await openAsBlob(input), { name: input });
  let count = 0;
  if (name === "read") {
    for await (const batch of records) if (batch.kind === "annotations") count += batch.records.length;
  } else {
    const bytes = name === "json → zip" ? core.recordsZip(records) : core.recordsJson(records);
    await pipeline(Readable.from(bytes), createWriteStream(output));
  }
  return {
    ms: Math.round(performance.now() - start),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(name === "read" ? { annotations: count } : { outMb: Math.round(statSync(output).size / 1e6) }),
  };
}

if (process.argv[2] === "child") {
  const [, , , name, input, output] = process.argv;
  process.stdout.write(`${JSON.stringify(await measure(name, input, output))}\n`);
} else {
  const images = process.env.COCOKIT_BENCH_IMAGES ? Number(process.env.COCOKIT_BENCH_IMAGES) : undefined;
  const w1 = workload(images);
  const dir = join(tmpdir(), "cocokit-bench");
  const zip = join(dir, "records-w1.zip");
  const back = join(dir, "records-w1-back.json");
  const cases = [
    ["read", w1, ""],
    ["json → zip", w1, zip],
    ["zip → json", zip, back],
  ];
  console.log(`\n## core-records: W1 ${w1} (${Math.round(statSync(w1).size / 1e6)} MB)`);
  console.log("| case | time | peak RSS | detail |");
  console.log("|---|---|---|---|");
  for (const [name, input, output] of cases) {
    const child = spawnSync(process.execPath, [self, "child", name, input, output], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr.slice(-2000)}`);
    const { ms, maxRssMb, ...detail } = JSON.parse(child.stdout.trim().split("\n").at(-1));
    console.log(`| ${name} | ${(ms / 1000).toFixed(1)} s | ${maxRssMb} MB | ${JSON.stringify(detail)} |`);
  }
  rmSync(zip, { force: true });
  rmSync(back, { force: true });
}
