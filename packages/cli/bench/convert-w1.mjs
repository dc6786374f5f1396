// cli-convert: `cocokit convert` of W1 (the 485 MB synthetic train2017-scale file) json → zip and
// zip → json, beside a bare `JSON.parse` + `JSON.stringify` of the same file (issue 13's bar),
// each in its own child process so wall time and peak RSS are per case. Median of
// COCOKIT_BENCH_REPEAT runs (default 1: a W1 convert is long enough not to need more).
// Usage: node bench/convert-w1.mjs   (COCOKIT_BENCH_IMAGES=N for a smaller file)
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { workload } from "../../core/bench/_workload.mjs";

const self = fileURLToPath(import.meta.url);
const cli = fileURLToPath(new URL("../bin/cocokit.js", import.meta.url));

// In the child: run one case, then print its figures as the last line of stdout.
if (process.argv[2] === "child") {
  const [, , , name, input, output] = process.argv;
  const start = performance.now();
  process.on("exit", (code) => {
    const figures = {
      ms: Math.round(performance.now() - start),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      code,
    };
    process.stdout.write(`\n${JSON.stringify(figures)}\n`);
  });
  if (name === "bare") {
    writeFileSync(output, JSON.stringify(JSON.parse(readFileSync(input, "utf8"))));
  } else {
    process.argv = [process.argv[0], cli, "convert", input, output, "--quiet"];
    // The command runs on import; its work ends when the event loop empties.
    await import(cli);
  }
} else {
  const images = process.env.COCOKIT_BENCH_IMAGES ? Number(process.env.COCOKIT_BENCH_IMAGES) : undefined;
  const repeat = Math.max(1, Number(process.env.COCOKIT_BENCH_REPEAT ?? 1));
  const w1 = workload(images);
  const dir = join(tmpdir(), "cocokit-bench");
  const zip = join(dir, "convert-w1.zip");
  const cases = [
    ["bare JSON.parse + JSON.stringify", "bare", w1, join(dir, "bare-w1.json")],
    ["convert json → zip", "convert", w1, zip],
    ["convert zip → json", "convert", zip, join(dir, "convert-w1-back.json")],
  ];
  const run = (name, input, output) => {
    const child = spawnSync(process.execPath, [self, "child", name, input, output], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    const last = child.stdout.trim().split("\n").at(-1) ?? "";
    const figures = last.startsWith("{") ? JSON.parse(last) : undefined;
    if (child.status !== 0 || figures?.code !== 0)
      throw new Error(`${name} ${input} failed (${child.status}): ${child.stderr.slice(-2000)}`);
    return figures;
  };
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const results = cases.map(([label, name, input, output]) => {
    const runs = Array.from({ length: repeat }, () => run(name, input, output));
    return {
      label,
      ms: median(runs.map((r) => r.ms)),
      maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
      outMb: Math.round(statSync(output).size / 1e6),
    };
  });
  const bare = results[0].ms;
  console.log(`\n## cli-convert: W1 ${w1} (${Math.round(statSync(w1).size / 1e6)} MB), median of ${repeat}`);
  console.log("| case | time | peak RSS | output | vs bare |");
  console.log("|---|---|---|---|---|");
  for (const r of results)
    console.log(
      `| ${r.label} | ${(r.ms / 1000).toFixed(1)} s | ${r.maxRssMb} MB | ${r.outMb} MB | ${(r.ms / bare).toFixed(2)}× |`,
    );
  for (const [, , , output] of cases) rmSync(output, { force: true });
}
