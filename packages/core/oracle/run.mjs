// Checks exported COCO files with pycocotools, the reference: each case imports a file, exports
// it (unchanged, or with every annotation marked edited so CVAT's rules apply, in each
// segmentation mode), then Python loads both with pycocotools.coco.COCO and compares every
// annotation's annToRLE mask and `area`. Run where the reference venv exists:
//   COCOKIT_REF_PYTHON=/path/to/python pnpm oracle   (default: ../../.venv-ref/bin/python)
// Not part of the test suite, which must pass without Python packages.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const python = process.env.COCOKIT_REF_PYTHON ?? here("../../../.venv-ref/bin/python");
if (!existsSync(python)) {
  process.stderr.write(
    `no reference Python at ${python}; set COCOKIT_REF_PYTHON to a python with pycocotools\n`,
  );
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "cocokit-oracle-"));
try {
  // Bundle the current sources (no build step needed), with @cocokit/rle from its sources too.
  const bundle = join(work, "core.mjs");
  await build({
    entryPoints: [here("../src/index.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: bundle,
    alias: { "@cocokit/rle": here("../../rle/src/index.ts") },
    logLevel: "error",
  });
  const core = await import(bundle);

  const sourceOf = (name, bytes) => {
    const { task, subset } = core.taskFromFileName(name);
    return { name, subset, ...(task ? { task } : {}), open: () => core.chunksOf(bytes) };
  };
  const text = async (chunks) => {
    const parts = [];
    for await (const c of chunks) parts.push(c);
    return Buffer.concat(parts);
  };

  const w1 = join(work, "w1.json");
  execFileSync(
    "python3",
    [here("../../../../shared/tools/gen_coco_synth.py"), w1, "--images", "500", "--seed", "7"],
    {
      stdio: "ignore",
    },
  );
  const fixtures = here("../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset/");
  const inputs = [
    ["w1", w1, "instances_train.json"],
    ["coco_instances/train", join(fixtures, "coco_instances/annotations/instances_train.json")],
    ["coco_instances/val", join(fixtures, "coco_instances/annotations/instances_val.json")],
    ["coco_stuff/train", join(fixtures, "coco_stuff/annotations/stuff_train.json")],
    [
      "coco_person_keypoints/train",
      join(fixtures, "coco_person_keypoints/annotations/person_keypoints_train.json"),
    ],
  ];
  const variants = [
    ["unchanged", false, {}],
    ["edited-guess", true, {}],
    ["edited-polygons", true, { segmentationMode: "polygons" }],
    ["edited-mask", true, { segmentationMode: "mask", compressRle: true }],
  ];
  const cases = [];
  for (const [name, path, fileName] of inputs) {
    const bytes = readFileSync(path);
    for (const [variant, edit, options] of variants) {
      const { dataset } = await core.importFiles([sourceOf(fileName ?? path.split("/").pop(), bytes)], {
        mode: "lenient",
      });
      if (edit) for (const item of dataset.items) for (const a of item.annotations) delete a.area;
      const out = join(work, `${name.replaceAll("/", "-")}-${variant}.json`);
      writeFileSync(out, await text(core.exportJson(dataset, options)));
      cases.push({ case: `${name} ${variant}`, original: path, exported: out, edited: edit });
    }
  }
  writeFileSync(join(work, "cases.json"), JSON.stringify(cases));
  const output = execFileSync(python, [here("compare.py"), join(work, "cases.json")], { encoding: "utf8" });
  let failed = false;
  for (const line of output.trim().split("\n")) {
    const r = JSON.parse(line);
    if (r.maskMatched !== r.annotations || r.areaMatched !== r.annotations) failed = true;
    process.stdout.write(`${line}\n`);
  }
  process.stdout.write(`${JSON.stringify({ oracle: "pycocotools", ok: !failed })}\n`);
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
