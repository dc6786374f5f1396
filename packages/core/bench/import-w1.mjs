// core-import: streaming validation and import of W1, beside JSON.parse + id index and
// pycocotools COCO(file), each in its own child process so peak RSS is per case.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workload } from "./_workload.mjs";

const self = fileURLToPath(import.meta.url);
const [variant, path] = process.argv.slice(2);

async function measure(name) {
  const node = await import("../dist/node/index.js").catch(() => ({}));
  const start = performance.now();
  let detail = {};
  if (name === "validatePath") {
    if (typeof node.validatePath !== "function") return { skipped: "validatePath not available yet" };
    const report = await node.validatePath(path);
    detail = { issues: report?.issues?.length };
  } else if (name === "importPath") {
    if (typeof node.importPath !== "function") return { skipped: "importPath not available yet" };
    const result = await node.importPath(path);
    detail = { items: result.dataset.items.length };
  } else {
    const doc = JSON.parse(readFileSync(path, "utf8"));
    const images = new Map(doc.images.map((image) => [image.id, image]));
    const byImage = new Map();
    for (const a of doc.annotations) {
      const list = byImage.get(a.image_id);
      if (list) list.push(a);
      else byImage.set(a.image_id, [a]);
    }
    detail = { items: images.size };
  }
  return {
    ms: Math.round(performance.now() - start),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...detail,
  };
}

function pycocotools(file) {
  const python =
    process.env.COCOKIT_REF_PYTHON ??
    [fileURLToPath(new URL("../../../.venv-ref/bin/python", import.meta.url))].find((p) => existsSync(p));
  if (!python) return { skipped: "no reference Python (set COCOKIT_REF_PYTHON)" };
  const script = [
    "import sys, time, json, resource, io, contextlib",
    "from pycocotools.coco import COCO",
    "t = time.perf_counter()",
    "with contextlib.redirect_stdout(io.StringIO()): c = COCO(sys.argv[1])",
    "ms = (time.perf_counter() - t) * 1000",
    "print(json.dumps({'ms': round(ms), 'maxRssMb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), 'items': len(c.imgs)}))",
  ].join("\n");
  return JSON.parse(execFileSync(python, ["-c", script, file], { encoding: "utf8" }));
}

if (variant) {
  console.log(JSON.stringify(await measure(variant)));
} else {
  const file = workload();
  // Single runs of a few seconds vary by ±10% here: every variant, the reference included, runs
  // REPEAT times, interleaved, and reports its median run.
  const repeat = Number(process.env.COCOKIT_BENCH_REPEAT ?? 3);
  const once = (v, f, flags = []) =>
    JSON.parse(execFileSync(process.execPath, [...flags, self, v, f], { encoding: "utf8" }));
  const median = (runs) => {
    const done = runs.filter((m) => m.ms !== undefined).sort((a, b) => a.ms - b.ms);
    return done.length === 0
      ? runs[0]
      : { ...done[Math.floor((done.length - 1) / 2)], runs: done.map((m) => m.ms) };
  };
  const variants = {
    "JSON.parse+index": () => once("JSON.parse+index", file),
    validatePath: () => once("validatePath", file),
    importPath: () => once("importPath", file),
    pycocotools: () => pycocotools(file),
  };
  const runs = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
  for (let k = 0; k < repeat; k++) for (const [v, run] of Object.entries(variants)) runs[v].push(run());
  const r = Object.fromEntries(Object.entries(runs).map(([v, list]) => [v, median(list)]));
  const run2 = once;
  // The same validation on a file over 2 GiB (W1 with 4.5x the images), past V8's string limit.
  if (process.env.COCOKIT_BENCH_LARGE === "1") {
    const large = workload(532292);
    r["validatePath (>2 GiB)"] = {
      ...run2("validatePath", large),
      fileMb: Math.round(statSync(large).size / 1e6),
    };
    // The model of a 2.2 GB file needs more than V8's default heap (about 4 GB here): the
    // streaming paths do not, building a Dataset of that size does.
    r["importPath (>2 GiB, --max-old-space-size=8192)"] = run2("importPath", large, [
      "--max-old-space-size=8192",
    ]);
  }
  const base = r["JSON.parse+index"];
  for (const [name, m] of Object.entries(r))
    console.log(JSON.stringify({ case: "core-import", workload: "w1", variant: name, ...m }));
  const ratio = (a, b) => (a?.ms && b?.ms ? +(a.ms / b.ms).toFixed(2) : null);
  console.log(
    JSON.stringify({
      case: "core-import",
      ratios: {
        importVsJsonParseTime: ratio(r.importPath, base),
        validateVsJsonParseTime: ratio(r.validatePath, base),
        pycocotoolsVsImportTime: ratio(r.pycocotools, r.importPath),
        importVsJsonParseRss: r.importPath.maxRssMb
          ? +(r.importPath.maxRssMb / base.maxRssMb).toFixed(2)
          : null,
        validateRssMb: r.validatePath.maxRssMb ?? null,
      },
    }),
  );
}
