// core-export: W1 imported, then exported to plain JSON and to a deflated zip; beside the import
// time and Python's json.dump of the same data, each variant in its own child process so peak
// RSS is per variant. Variants:
// - "json", "zip": the in-memory path, importFiles → Dataset → exportJson / exportDataset + writeZip.
// - "streaming export": W1 re-written record by record (scanRecords → writeDocument) without
//   building a Dataset: the import side offers no streaming source of model objects yet, so this
//   is the bounded-memory path that exists today (the 700 MB RSS target applies to it).
// - "round trip": import → exportJson → import; prints whether the re-imported Dataset equals the
//   first one, and whether the written JSON equals W1 key order aside (per top-level member, a
//   digest of every record with sorted keys, so neither file is held whole).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { build } from "esbuild";
import { workload } from "./_workload.mjs";

const self = fileURLToPath(import.meta.url);
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const [variant, path, bundle, outDir] = process.argv.slice(2);

const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A JSON value with object keys sorted, as text: equal for values equal key order aside. */
function canonical(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** Per top-level member of a JSON file: a SHA-256 of its records in order (key order aside). */
async function digests(core, file) {
  const hashes = new Map();
  for await (const { key, value } of core.scanRecords(createReadStream(file))) {
    if (!hashes.has(key)) hashes.set(key, createHash("sha256"));
    const hash = hashes.get(key);
    hash.update(canonical(value));
    hash.update("\n");
  }
  return Object.fromEntries([...hashes].map(([k, h]) => [k, h.digest("hex")]));
}

/** The first place two datasets differ ("" when equal), comparing item by item. */
function firstDifference(a, b) {
  for (const key of ["info", "licenses", "categories", "extra"])
    if (!isDeepStrictEqual(a[key], b[key])) return key;
  if (a.items.length !== b.items.length) return `items: ${a.items.length} vs ${b.items.length}`;
  for (let i = 0; i < a.items.length; i++)
    if (!isDeepStrictEqual(a.items[i], b.items[i])) return `items/${i} (image id ${a.items[i].id})`;
  return "";
}

async function roundTrip(core, sourceOf, outDir) {
  const t0 = performance.now();
  const first = (await core.importFiles([sourceOf(path)])).dataset;
  const out = join(outDir, "round-trip.json");
  await pipeline(Readable.from(core.exportJson(first)), createWriteStream(out));
  // Read back under the same name, so every `source` pointer must come back equal too.
  const again = await core.importFiles([sourceOf(out)]);
  const difference = firstDifference(first, again.dataset);
  const [original, written] = [await digests(core, path), await digests(core, out)];
  const jsonDifferences = Object.keys({ ...original, ...written }).filter((k) => original[k] !== written[k]);
  return {
    datasetEqual: difference === "",
    ...(difference ? { datasetFirstDifference: difference } : {}),
    reimportErrors: again.report.errorCount,
    jsonEqualKeyOrderAside: jsonDifferences.length === 0,
    ...(jsonDifferences.length ? { jsonMembersDiffering: jsonDifferences } : {}),
    ms: Math.round(performance.now() - t0),
    maxRssMb: rss(),
  };
}

async function measure(name) {
  const core = await import(bundle);
  const sourceOf = (file) => ({
    name: "instances_train.json",
    task: "instances",
    subset: "train",
    open: () => createReadStream(file),
  });
  const source = sourceOf(path);
  if (name === "round trip") return roundTrip(core, sourceOf, outDir);
  const t0 = performance.now();
  if (name === "streaming export") {
    // Records in → records out: each top-level array is passed through element by element.
    const it = core.scanRecords(createReadStream(path))[Symbol.asyncIterator]();
    let next = await it.next();
    const members = async function* () {
      while (!next.done) {
        const { key, index, value } = next.value;
        if (index < 0) {
          yield { key, value };
          next = await it.next();
          continue;
        }
        yield {
          key,
          records: (async function* () {
            while (!next.done && next.value.key === key && next.value.index >= 0) {
              yield next.value.value;
              next = await it.next();
            }
          })(),
        };
      }
    };
    const out = join(outDir, "stream.json");
    await pipeline(Readable.from(core.writeDocument(members())), createWriteStream(out));
    return { ms: Math.round(performance.now() - t0), maxRssMb: rss(), bytes: statSync(out).size };
  }
  const { dataset } = await core.importFiles([source]);
  const importMs = Math.round(performance.now() - t0);
  if (name === "import") return { ms: importMs, maxRssMb: rss(), items: dataset.items.length };
  const t1 = performance.now();
  const out = join(outDir, name === "zip" ? "w1.zip" : "w1.json");
  const chunks = name === "zip" ? core.writeZip(core.exportDataset(dataset).files) : core.exportJson(dataset);
  await pipeline(Readable.from(chunks), createWriteStream(out));
  return { ms: Math.round(performance.now() - t1), importMs, maxRssMb: rss(), bytes: statSync(out).size };
}

function pythonDump(file, outDir) {
  const script = [
    "import sys, json, time, resource",
    "d = json.load(open(sys.argv[1]))",
    "t = time.perf_counter()",
    "with open(sys.argv[2], 'w') as f: json.dump(d, f, separators=(',', ':'))",
    "ms = (time.perf_counter() - t) * 1000",
    "print(json.dumps({'ms': round(ms), 'maxRssMb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))",
  ].join("\n");
  return JSON.parse(
    execFileSync("python3", ["-c", script, file, join(outDir, "py.json")], { encoding: "utf8" }),
  );
}

if (variant) {
  console.log(JSON.stringify(await measure(variant)));
} else {
  const file = workload();
  const work = mkdtempSync(join(tmpdir(), "cocokit-bench-export-"));
  try {
    const bundlePath = join(work, "core.mjs");
    await build({
      entryPoints: [here("../src/index.ts")],
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: bundlePath,
      alias: { "@cocokit/rle": here("../../rle/src/index.ts") },
      logLevel: "error",
    });
    const run = (v) =>
      JSON.parse(
        execFileSync(process.execPath, ["--max-old-space-size=16384", self, v, file, bundlePath, work], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        }),
      );
    const r = {
      import: run("import"),
      json: run("json"),
      zip: run("zip"),
      "streaming export": run("streaming export"),
      "python json.dump": pythonDump(file, work),
      "round trip": run("round trip"),
    };
    for (const [name, m] of Object.entries(r))
      console.log(JSON.stringify({ case: "core-export", workload: "w1", variant: name, ...m }));
    const ratio = (a, b) => (a && b ? +(a / b).toFixed(2) : null);
    console.log(
      JSON.stringify({
        case: "core-export",
        ratios: {
          jsonExportVsImportTime: ratio(r.json.ms, r.json.importMs),
          zipExportVsImportTime: ratio(r.zip.ms, r.zip.importMs),
          jsonExportVsPythonDumpTime: ratio(r.json.ms, r["python json.dump"].ms),
          zipExportVsPythonDumpTime: ratio(r.zip.ms, r["python json.dump"].ms),
          streamingExportVsPythonDumpTime: ratio(r["streaming export"].ms, r["python json.dump"].ms),
          inMemoryJsonExportRssMb: r.json.maxRssMb,
          streamingExportRssMb: r["streaming export"].maxRssMb,
          streamingExportUnder700Mb: r["streaming export"].maxRssMb < 700,
          jsonExportWithin1_5xImport: r.json.ms <= 1.5 * r.json.importMs,
        },
        roundTrip: {
          datasetEqual: r["round trip"].datasetEqual,
          jsonEqualKeyOrderAside: r["round trip"].jsonEqualKeyOrderAside,
        },
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
