// Runs cocokit over a folder of real COCO files from other projects and checks the result with
// pycocotools, the reference. For each dataset (a .json, a .zip or a directory in any layout):
//   1. validatePath: the report summary (errors, warnings, codes, layout);
//   2. importPath → exportToPath(<tmp>/out.zip) → importPath(zip): counts of the two imports;
//   3. pycocotools (corpus_compare.py): every original task file and the written one loaded with
//      COCO(); images, annotations and categories compared as dicts per id, top-level keys too,
//      panoptic PNGs pixel by pixel; COCO() must not raise on a written file;
//   4. the CLI (validate, convert): exit codes, and any printed `undefined`, `NaN` or `[object Object]`.
// One line per dataset, then the details of what failed.
//
//   node oracle/corpus.mjs <folder> [--src] [--json] [--only <name>]
//   COCOKIT_CORPUS=<folder> node oracle/corpus.mjs
//
// <folder>: each top-level .json/.zip is a dataset; each sub-folder is either one dataset (when it
// holds folders other than a panoptic PNG folder named like a .json beside it: a CVAT, Roboflow or
// mmdet layout) or a group whose .json/.zip files are datasets. SOURCE.md files are ignored.
// --src bundles the current sources (like oracle/run.mjs) instead of the built dist/.
// The Python is COCOKIT_REF_PYTHON, else ../../.venv-ref/bin/python from the repository root.
// Not part of the test suite (it needs Python, pycocotools and files that are not committed).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--only");
const folder = positional[0] ?? process.env.COCOKIT_CORPUS;
if (!folder) {
  process.stderr.write(
    "usage: node oracle/corpus.mjs <folder> [--src] [--json] [--only <name>] (or set COCOKIT_CORPUS)\n",
  );
  process.exit(2);
}
if (!existsSync(folder) || !statSync(folder).isDirectory()) {
  process.stderr.write(`expected a folder of datasets, found nothing at ${folder}\n`);
  process.exit(2);
}
const python = process.env.COCOKIT_REF_PYTHON ?? here("../../../.venv-ref/bin/python");
if (!existsSync(python)) {
  process.stderr.write(
    `no reference Python at ${python}; set COCOKIT_REF_PYTHON to a python with pycocotools\n`,
  );
  process.exit(2);
}
const cliBin = here("../../cli/bin/cocokit.js");
const work = mkdtempSync(join(tmpdir(), "cocokit-corpus-"));

/** Datasets of the folder: `{ name, path }`, sorted by name. */
function datasetsOf(root) {
  const out = [];
  const isData = (n) => /\.(json|zip)$/i.test(n) && !/^source\.md$/i.test(n);
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    const info = statSync(path);
    if (info.isFile()) {
      if (isData(name)) out.push({ name, path });
      continue;
    }
    const entries = readdirSync(path, { withFileTypes: true });
    const jsons = new Set(entries.filter((e) => e.isFile() && /\.json$/i.test(e.name)).map((e) => e.name));
    const layoutDirs = entries.filter((e) => e.isDirectory() && !jsons.has(`${e.name}.json`));
    if (layoutDirs.length > 0) out.push({ name, path });
    else
      for (const e of entries)
        if (e.isFile() && isData(e.name)) out.push({ name: `${name}/${e.name}`, path: join(path, e.name) });
  }
  return out;
}

async function loadCore() {
  if (!flag("--src")) return import(pathToFileURL(here("../dist/node/index.js")).href);
  const { build } = await import("esbuild");
  const bundle = join(work, "core-node.mjs");
  await build({
    entryPoints: [here("../src/node/index.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: bundle,
    alias: { "@cocokit/rle": here("../../rle/src/index.ts") },
    logLevel: "error",
  });
  return import(pathToFileURL(bundle).href);
}

const errorText = (e) =>
  e && typeof e === "object" && "code" in e
    ? `${e.code}: ${String(e.message).slice(0, 300)}${e.issues?.length ? ` (${e.issues.length} issues: ${codesOf(e.issues)})` : ""}`
    : String(e?.stack ?? e)
        .split("\n")
        .slice(0, 3)
        .join(" | ");

function codesOf(issues) {
  const counts = {};
  for (const i of issues) counts[i.code] = (counts[i.code] ?? 0) + 1;
  return Object.entries(counts)
    .map(([c, n]) => `${c}×${n}`)
    .join(", ");
}
const summary = (r) =>
  `${r.errorCount} errors, ${r.warningCount} warnings${
    Object.keys(r.counts ?? {}).length
      ? ` (${Object.entries(r.counts)
          .map(([c, n]) => `${c}×${n}`)
          .join(", ")})`
      : ""
  }`;

/** Counts that two imports of the same data must share. */
function countsOf(dataset) {
  let shapes = 0;
  const ids = new Set();
  for (const item of dataset.items) {
    shapes += item.annotations.length;
    for (const a of item.annotations) ids.add(`${item.subset}\u0000${a.id}`);
  }
  return {
    items: dataset.items.length,
    categories: dataset.categories.length,
    shapes,
    annotationIds: ids.size,
  };
}

const BAD_TEXT = /undefined|NaN|\[object Object\]/;
function runCli(argv) {
  const r = spawnSync(process.execPath, [cliBin, ...argv, "--quiet"], { encoding: "utf8", timeout: 300_000 });
  const text = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  const bad = text
    .split("\n")
    .filter((l) => BAD_TEXT.test(l))
    .slice(0, 3)
    .map((l) => l.trim().slice(0, 200));
  return {
    code: r.status ?? r.signal,
    bad,
    first: text.trim().split("\n").slice(0, 2).join(" | ").slice(0, 300),
  };
}

/** The original task files of an import, paired with the file the export wrote for them. */
function pairsOf(dataset, layout, written, outDir) {
  const pairs = [];
  const used = new Set();
  for (const f of layout.files) {
    const original = isAbsolute(f.path) ? f.path : join(dataset.path, f.path);
    let task = f.task;
    let name = task ? `annotations/${task}_${f.subset}.json` : undefined;
    let note = null;
    if (!name || !written.includes(name)) {
      // The task from the name may not be the one the content decided (cocokit reads the content).
      const candidates = written.filter((w) => w.endsWith(`_${f.subset}.json`) && !used.has(w));
      const found = candidates.length === 1 ? candidates[0] : undefined;
      if (found && task) note = `layout says task ${task} for ${f.path}, written as ${found}`;
      name = found;
    }
    if (name) used.add(name);
    if (name)
      task =
        /annotations\/(person_keypoints|image_info|instances|captions|panoptic|labels|stuff)_/.exec(
          name,
        )?.[1] ?? task;
    const pngDir = task === "panoptic" ? originalPngDir(dataset.path, f) : undefined;
    pairs.push({
      note,
      original,
      task: task ?? null,
      subset: f.subset,
      written: name ? join(outDir, name) : null,
      writtenName: name ?? null,
      originalPngDir: pngDir ?? null,
      writtenPngDir: name ? join(outDir, name.replace(/\.json$/, "")) : null,
    });
  }
  const extra = written.filter((w) => w.endsWith(".json") && !used.has(w));
  return { pairs, extra };
}

function originalPngDir(root, file) {
  if (isAbsolute(file.path)) return file.path.replace(/\.json$/i, "");
  return join(root, file.path.replace(/\.json$/i, ""));
}

function unzip(zip, dir) {
  const r = spawnSync(
    python,
    ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", zip, dir],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`unzip failed: ${r.stderr}`);
}

async function runOne(core, ds, index) {
  const res = { name: ds.name, path: ds.path, failures: [], notes: [] };
  const fail = (what) => res.failures.push(what);
  // 1. validate
  try {
    const v = await core.validatePath(ds.path);
    res.layout = `${v.layout.name}/${v.layout.container}, ${v.layout.files.length} file(s)`;
    res.validate = summary(v);
    res.validateFirst = v.issues
      .slice(0, 4)
      .map((i) => `${i.severity} ${i.code} ${i.file ?? ""}${i.pointer ?? ""}: ${i.message}`);
    if (!v.ok) res.notes.push(`validate: ${res.validate}`);
  } catch (e) {
    fail(`validatePath threw ${errorText(e)}`);
  }
  // 2. import → export → import
  let first;
  let lenientSkipped = 0;
  try {
    first = await core.importPath(ds.path);
    res.import = "strict ok";
  } catch (e) {
    res.import = `strict threw ${errorText(e)}`;
    try {
      first = await core.importPath(ds.path, { mode: "lenient" });
      lenientSkipped = first.report.skipped ?? 0;
      res.import += `; lenient ok (skipped ${lenientSkipped})`;
    } catch (e2) {
      fail(`importPath (lenient) threw ${errorText(e2)}`);
      return res;
    }
  }
  const dir = join(work, String(index));
  mkdirSync(dir, { recursive: true });
  const zip = join(dir, "out.zip");
  let exported;
  try {
    exported = await core.exportToPath(first.dataset, zip);
    res.export = `${exported.files.length} entries${exported.report.errorCount + exported.report.warningCount ? `, ${summary(exported.report)}` : ""}`;
  } catch (e) {
    fail(`exportToPath threw ${errorText(e)}`);
    return res;
  }
  try {
    const again = await core.importPath(zip);
    const a = countsOf(first.dataset);
    const b = countsOf(again.dataset);
    const diff = Object.keys(a).filter((k) => a[k] !== b[k]);
    if (diff.length) fail(`re-import counts differ: ${diff.map((k) => `${k} ${a[k]} → ${b[k]}`).join(", ")}`);
    if (again.report.errorCount) fail(`re-import of the written zip: ${summary(again.report)}`);
    res.reimport = `${b.items} items, ${b.annotationIds} annotation ids, ${b.categories} categories`;
  } catch (e) {
    fail(`importPath(written zip) threw ${errorText(e)}`);
  }
  // 3. pycocotools
  const outDir = join(dir, "out");
  unzip(zip, outDir);
  const { pairs, extra } = pairsOf(ds, first.layout, exported.files, outDir);
  for (const p of pairs) if (p.note) res.notes.push(p.note);
  for (const p of pairs)
    if (!p.written) fail(`no written file for ${p.original} (task ${p.task}, subset ${p.subset})`);
  if (extra.length) res.notes.push(`written without an original: ${extra.join(", ")}`);
  const casesFile = join(dir, "cases.json");
  writeFileSync(casesFile, JSON.stringify(pairs.filter((p) => p.written)));
  const py = spawnSync(python, [here("corpus_compare.py"), casesFile], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (py.status !== 0)
    fail(`corpus_compare.py failed: ${py.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  res.pycocotools = [];
  for (const line of py.stdout.trim().split("\n").filter(Boolean)) {
    const r = JSON.parse(line);
    res.pycocotools.push(r);
    const label = r.writtenName ?? basename(r.original);
    if (r.originalError) res.notes.push(`${label}: pycocotools cannot load the original: ${r.originalError}`);
    // pycocotools' COCO() cannot index panoptic files (no annotation `id`): only a new error counts.
    if (r.writtenError && r.writtenError === r.originalError)
      res.notes.push(`${label}: COCO() raises on the written file as on the original: ${r.writtenError}`);
    else if (r.writtenError) fail(`${label}: COCO() raises on the written file: ${r.writtenError}`);
    for (const d of r.diffs) {
      // Records a lenient import skipped are expected to be missing.
      const missing = /^(annotations|images): (\d+) \S+ missing/.exec(d);
      if (lenientSkipped && missing && Number(missing[2]) <= lenientSkipped)
        res.notes.push(`${label}: ${d} (skipped by the lenient import)`);
      else fail(`${label}: ${d}`);
    }
  }
  // 4. the CLI
  const v = runCli(["validate", ds.path]);
  const c = runCli(["convert", ds.path, join(dir, "cli.zip")]);
  res.cli = `validate=${v.code} convert=${c.code}`;
  if (c.code !== 0) {
    const l = runCli(["convert", ds.path, join(dir, "cli-lenient.zip"), "--lenient"]);
    res.cli += ` (convert: ${c.first}) convert --lenient=${l.code}`;
    if (l.bad.length) fail(`cli convert --lenient printed: ${l.bad.join(" / ")}`);
  }
  if (typeof v.code !== "number" || v.code > 1) fail(`cli validate exit ${v.code}: ${v.first}`);
  for (const [cmd, r] of [
    ["validate", v],
    ["convert", c],
  ])
    if (r.bad.length) fail(`cli ${cmd} printed: ${r.bad.join(" / ")}`);
  return res;
}

const core = await loadCore();
const only = option("--only");
const datasets = datasetsOf(resolve(folder)).filter(
  (d) => !only || d.name === only || d.name.startsWith(`${only}/`),
);
let failed = 0;
const results = [];
try {
  for (const [i, ds] of datasets.entries()) {
    const r = await runOne(core, ds, i);
    results.push(r);
    if (r.failures.length) failed++;
    if (flag("--json")) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      continue;
    }
    const head = r.failures.length ? `FAIL ${r.name}` : `ok   ${r.name}`;
    process.stdout.write(
      `${head} — ${r.layout ?? "?"}; validate: ${r.validate ?? "threw"}; import: ${r.import ?? "-"}; export: ${r.export ?? "-"}; cli: ${r.cli ?? "-"}\n`,
    );
    for (const n of r.notes) process.stdout.write(`       note: ${n}\n`);
    const shown = r.failures.slice(0, 12);
    for (const f of shown) process.stdout.write(`       - ${f}\n`);
    if (r.failures.length > shown.length)
      process.stdout.write(`       … and ${r.failures.length - shown.length} more\n`);
  }
  const built = flag("--src")
    ? "src bundled now"
    : `dist built ${statSync(here("../dist/node/index.js")).mtime.toISOString()}`;
  process.stdout.write(`${datasets.length - failed}/${datasets.length} datasets ok (core: ${built})\n`);
} finally {
  if (!flag("--keep")) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`kept ${work}\n`);
}
process.exitCode = failed ? 1 : 0;
