// json-scan: scanRecords over W1 counting records, vs @streamparser/json, vs JSON.parse of the
// whole file. Each variant runs in its own child process so peak RSS is per variant.
import { execFileSync } from "node:child_process";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workload } from "./_workload.mjs";

const variant = process.argv[2];
const large = process.env.COCOKIT_BENCH_LARGE === "1";

async function measure(name, path) {
  const start = performance.now();
  let records = 0;
  if (name === "scanRecords") {
    const { scanRecords } = await import("../dist/index.js");
    for await (const _ of scanRecords(createReadStream(path, { highWaterMark: 1 << 20 }))) records++;
  } else if (name === "streamparser") {
    const { JSONParser } = await import("@streamparser/json");
    const parser = new JSONParser({ paths: ["$.*.*"], keepStack: false });
    parser.onValue = () => records++;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.write(chunk);
  } else {
    const doc = JSON.parse(readFileSync(path, "utf8"));
    for (const value of Object.values(doc)) records += Array.isArray(value) ? value.length : 1;
  }
  const ms = performance.now() - start;
  return { ms: Math.round(ms), records, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

if (variant) {
  try {
    console.log(JSON.stringify(await measure(variant, process.argv[3])));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error).slice(0, 200) }));
  }
} else {
  const cases = [["w1", workload()]];
  if (large) cases.push(["w1-large", workload(473148)]);
  for (const [name, path] of cases) {
    const bytes = statSync(path).size;
    const run = (v) =>
      JSON.parse(
        execFileSync(process.execPath, [fileURLToPath(import.meta.url), v, path], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        }),
      );
    const results = {};
    for (const v of ["JSON.parse", "scanRecords", "streamparser"]) results[v] = run(v);
    const base = results["JSON.parse"];
    for (const [v, r] of Object.entries(results)) {
      const ratio =
        base.ms && r.ms
          ? {
              timeVsJsonParse: +(r.ms / base.ms).toFixed(2),
              rssVsJsonParse: +(r.maxRssMb / base.maxRssMb).toFixed(2),
            }
          : {};
      console.log(JSON.stringify({ case: "json-scan", workload: name, bytes, variant: v, ...r, ...ratio }));
    }
  }
}
