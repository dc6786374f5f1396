// COCOeval benchmark: the 5,000-image workload of ../shared/tools/gen_coco_eval.py per IoU type,
// cocokit against pycocotools in the same run. Prints one JSON line per IoU type with three ratios:
// - ratio_evaluate_accumulate, like for like: pycocotools' COCOeval.evaluate() + accumulate()
//   against the same stages of evaluateCoco (its `timings.evaluate + timings.accumulate`);
// - ratio_whole_call: the same pycocotools stages against the whole evaluateCoco on parsed JSON,
//   which also indexes the ground truth, does loadRes' work and computes the stats;
// - ratio_same_scope: pycocotools from parsed JSON to the stats (createIndex + loadRes + evaluate +
//   accumulate + summarize), what evaluateCoco does, against the whole evaluateCoco;
// each stage's time on both sides, whole-process times (`cocokit eval … --json` against a Python
// process that loads, evaluates and summarizes, ratio_process) and the largest stats difference.
// Usage: node bench/run.mjs [bbox|segm|keypoints] (each type in a fresh process). Env:
// COCOKIT_BENCH_IMAGES (default 5000), COCOKIT_BENCH_REPEAT (calls per process, default 3; the
// median of each figure is printed), COCOKIT_REF_PYTHON (a Python with pycocotools; default the
// repository's .venv-ref).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluateCoco } from "../dist/index.js";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const images = Number(process.env.COCOKIT_BENCH_IMAGES ?? 5000);
const repeat = Number(process.env.COCOKIT_BENCH_REPEAT ?? 3);
// ../shared beside the repository, as the project's other benchmarks read it.
const generator = [here("../../../../shared/tools/gen_coco_eval.py")].find(existsSync);
const refPython =
  process.env.COCOKIT_REF_PYTHON ?? [here("../../../.venv-ref/bin/python")].find((p) => existsSync(p));
const dir = join(tmpdir(), "cocokit-eval-bench", `w${images}`);
const cli = here("../../cli/bin/cocokit.js");
// The whole-process figure runs the built `cocokit eval`; without a CLI build it is left out.
const haveCli = existsSync(here("../../cli/dist/cli.js"));
if (!haveCli) console.log("note: packages/cli is not built (pnpm build); skipping the whole-process figures");

if (!existsSync(join(dir, "keypoints_results.json"))) {
  const python = refPython ?? "python3";
  if (generator === undefined) {
    console.log(JSON.stringify({ skipped: "gen_coco_eval.py not found (../shared/tools)" }));
    process.exit(0);
  }
  const gen = spawnSync(python, [generator, dir, "--images", String(images), "--seed", "2017"], {
    stdio: "inherit",
  });
  if (gen.status !== 0) {
    console.log(JSON.stringify({ skipped: `could not generate the workload with ${python}` }));
    process.exit(0);
  }
}
if (refPython === undefined)
  console.log("note: no Python with pycocotools (set COCOKIT_REF_PYTHON); skipping the reference run");

// One process per IoU type: code V8 optimised for one type's run would otherwise serve the next,
// and the first call of each (COCOKIT_BENCH_REPEAT=1) would not be a cold one.
if (process.argv[2] === undefined) {
  for (const t of ["bbox", "segm", "keypoints"]) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), t], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = (cmd, args) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { s, stdout: r.stdout };
};

for (const [iouType, gtName] of [
  ["bbox", "instances_gt.json"],
  ["segm", "instances_gt.json"],
  ["keypoints", "person_keypoints_gt.json"],
].filter(([t]) => t === process.argv[2])) {
  const gtPath = join(dir, gtName);
  const resPath = join(dir, `${iouType}_results.json`);
  const gt = JSON.parse(readFileSync(gtPath, "utf8"));
  const results = JSON.parse(readFileSync(resPath, "utf8"));
  const whole = [];
  const stages = [];
  let result;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = evaluateCoco(gt, results, { iouType });
    whole.push((performance.now() - t0) / 1000);
    stages.push(result.timings);
  }
  // the median of each figure over the calls (ms to s)
  const stage = (name) => median(stages.map((t) => t[name])) / 1000;
  const evalAcc = median(stages.map((t) => t.evaluate + t.accumulate)) / 1000;
  const wholeS = median(whole);
  const proc = haveCli
    ? wall(process.execPath, [cli, "eval", gtPath, resPath, "--iou-type", iouType, "--json"])
    : undefined;
  const r4 = (v) => +v.toFixed(4);
  const line = {
    case: `eval-${iouType}`,
    images,
    detections: results.length,
    cocokit_evaluate_accumulate_s: r4(evalAcc),
    cocokit_whole_s: r4(wholeS),
    cocokit_stages_s: Object.fromEntries(
      ["index", "loadResults", "evaluate", "accumulate", "stats"].map((n) => [n, r4(stage(n))]),
    ),
    ...(proc ? { cocokit_process_s: +proc.s.toFixed(3) } : {}),
  };
  if (refPython !== undefined) {
    const ref = wall(refPython, [here("reference.py"), gtPath, resPath, iouType]);
    const out = JSON.parse(ref.stdout.trim().split("\n").pop());
    const diff = Math.max(...out.stats.map((v, i) => Math.abs(v - result.stats[i])));
    Object.assign(line, {
      pycocotools_evaluate_accumulate_s: +out.evaluate_accumulate_s.toFixed(3),
      pycocotools_same_scope_s: +out.same_scope_s.toFixed(3),
      pycocotools_stages_s: {
        createIndex: r4(out.create_index_s),
        loadRes: r4(out.load_res_s),
        evaluate: r4(out.evaluate_s),
        accumulate: r4(out.accumulate_s),
        summarize: r4(out.summarize_s),
      },
      pycocotools_process_s: +ref.s.toFixed(3),
      ratio_evaluate_accumulate: +(out.evaluate_accumulate_s / evalAcc).toFixed(1),
      ratio_whole_call: +(out.evaluate_accumulate_s / wholeS).toFixed(1),
      ratio_same_scope: +(out.same_scope_s / wholeS).toFixed(1),
      ...(proc ? { ratio_process: +(ref.s / proc.s).toFixed(1) } : {}),
      max_stats_diff: diff,
    });
  }
  console.log(JSON.stringify(line));
}
