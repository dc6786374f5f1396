// End-to-end tests of what the writing commands (convert, merge, split, filter, remap) say about
// their output: the summary line or object, skipped records, refused empty outputs and outputs
// that cannot hold the dataset.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instances, runCli, tempTree } from "./run-cli.js";

let dir: string;
let cleanup: () => Promise<void>;

// Two records with errors: an unknown category and a bbox of three numbers.
const broken = {
  ...instances,
  annotations: [
    ...instances.annotations,
    { id: 4, image_id: 2, category_id: 99, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
    { id: 5, image_id: 2, category_id: 1, bbox: [0, 0, 5], area: 25, iscrowd: 0 },
  ],
};

// A 4×2 panoptic PNG: the top row is segment 1, the bottom row segment 2 (R = id).
function panopticPng(): Uint8Array {
  const data = new Uint8Array(4 * 2 * 3);
  for (let pixel = 0; pixel < 8; pixel++) data[pixel * 3] = pixel < 4 ? 1 : 2;
  return encodePng({ width: 4, height: 2, data, channels: 3, depth: 8 });
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempTree({
    "instances_val.json": instances,
    "broken.json": broken,
    "mmdet.json": { metainfo: { classes: ["cat"] }, data_list: [{ img_path: "a.jpg", instances: [] }] },
    "pan/annotations/panoptic_val.json": {
      images: [{ id: 1, file_name: "a.jpg", width: 4, height: 2 }],
      categories: [
        { id: 1, name: "sky", isthing: 0 },
        { id: 2, name: "road", isthing: 0 },
      ],
      annotations: [
        {
          image_id: 1,
          file_name: "a.png",
          segments_info: [
            { id: 1, category_id: 1, area: 4, bbox: [0, 0, 4, 1], iscrowd: 0 },
            { id: 2, category_id: 2, area: 4, bbox: [0, 1, 4, 1], iscrowd: 0 },
          ],
        },
      ],
    },
    "pan/annotations/panoptic_val/a.png": panopticPng(),
  }));
});
afterEach(() => cleanup());

const SUMMARY = /^wrote (.+): (.+) in \d+\.\d s$/m;

describe("the summary of a write", () => {
  it("convert prints the output, task files, images, annotations, categories and time on stdout", async () => {
    const result = await runCli(["convert", "instances_val.json", "out.zip"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^wrote out\.zip: 1 task file \(instances_val\), 2 images, 3 annotations, 2 categories in \d+\.\d s\n$/,
    );
    expect(result.stderr).toBe("");
  });

  it("goes to stderr when stdout carries the data (-), leaving stdout pure JSON", async () => {
    const result = await runCli(["convert", "instances_val.json", "-"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).images).toHaveLength(2);
    expect(result.stderr).toMatch(/^wrote <stdout>: 1 task file, 2 images, 3 annotations, 2 categories in/);
  });

  it("streams - straight from the export, without a temporary file", async () => {
    // A temporary directory that cannot exist: a detour through a temporary file would fail.
    const env = {
      TMPDIR: join(dir, "missing", "tmp"),
      TMP: join(dir, "missing", "tmp"),
      TEMP: join(dir, "missing", "tmp"),
    };
    const result = await runCli(["convert", "instances_val.json", "-"], { cwd: dir, env });
    expect(result.stderr).toMatch(/^wrote <stdout>/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).annotations).toHaveLength(3);
  });

  it("counts only the subsets and tasks written", async () => {
    const result = await runCli(["merge", "instances_val.json", "pan", "-o", "m.zip"], { cwd: dir });
    expect(result.stdout).toMatch(
      /^wrote m\.zip: 2 task files \(instances_val, panoptic_val\), 3 images, 5 annotations, 4 categories in/,
    );
    const picked = await runCli(
      ["convert", "m.zip", "val.json", "--tasks", "instances", "--subsets", "val"],
      {
        cwd: dir,
      },
    );
    expect(picked.stderr).toBe("");
    expect(picked.stdout).toMatch(/^wrote val\.json: 1 task file, 3 images, 3 annotations, 4 categories in/);
  });

  it("prints nothing with --quiet, and a JSON object with --json", async () => {
    const quiet = await runCli(["--quiet", "convert", "instances_val.json", "out.json"], { cwd: dir });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
    const json = await runCli(["convert", "instances_val.json", "out.zip", "--json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      output: "out.zip",
      kind: "zip",
      taskFiles: ["annotations/instances_val.json"],
      mediaFiles: 0,
      images: 2,
      annotations: 3,
      categories: 2,
      seconds: expect.any(Number),
    });
  });

  it("merge --json counts the conflicts by code", async () => {
    const result = await runCli(["merge", "instances_val.json", "instances_val.json", "-o", "m", "--json"], {
      cwd: dir,
    });
    expect(JSON.parse(result.stdout)).toMatchObject({
      images: 4,
      annotations: 6,
      conflicts: { duplicate_image_id: 2, duplicate_file_name: 2, duplicate_annotation_id: 3 },
    });
  });

  it.each([
    ["merge", ["merge", "instances_val.json", "instances_val.json", "-o", "m"]],
    ["split", ["split", "instances_val.json", "-o", "s.zip", "--ratio", "train=0.5,val=0.5"]],
    ["filter", ["filter", "instances_val.json", "-o", "f.json", "--categories", "car"]],
    ["remap", ["remap", "instances_val.json", "-o", "r.json", "--map", "car=vehicle"]],
  ])("%s prints the summary line too", async (_, args) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(SUMMARY);
  });
});

describe("records with errors", () => {
  it("without --lenient: the report grouped by code, exit 1, nothing written, and how to proceed", async () => {
    const result = await runCli(["convert", "broken.json", "out.zip"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown_category (1)");
    expect(result.stderr).toContain("invalid_bbox (1)");
    expect(result.stderr).toContain("→ at /annotations/3/category_id in broken.json");
    expect(result.stderr).toContain(
      "found 2 errors in 2 records of broken.json (listed above); nothing was written: run again with --lenient to skip those 2 records and write the rest",
    );
    expect(result.stdout).toBe("");
    expect(await readdir(dir)).not.toContain("out.zip");
  });

  it("with --lenient: the issues, the number of records skipped, and the rest written", async () => {
    const result = await runCli(["convert", "broken.json", "out.json", "--lenient"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("unknown_category (1)");
    expect(result.stderr).toMatch(/⚠ 2 records skipped \(see the issues above\)\n$/);
    expect(result.stdout).toMatch(/^wrote out\.json: 1 task file, 2 images, 3 annotations, 2 categories in/);
    const written = JSON.parse(await readFile(join(dir, "out.json"), "utf8"));
    expect(written.annotations.map((a: { id: number }) => a.id)).toEqual([1, 2, 3]);
  });

  it("with --lenient, still refuses input that could not be read (truncated JSON): exit 2, nothing written", async () => {
    await writeFile(join(dir, "truncated.json"), JSON.stringify(instances).slice(0, 120));
    const result = await runCli(["convert", "truncated.json", "out.json", "--lenient"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✖ expected the rest of the document .*found the end of input/);
    expect(result.stderr).toMatch(/→ (at \S+ )?in truncated\.json/);
    expect(await readdir(dir)).not.toContain("out.json");
  });

  it("with --lenient --quiet: only the number skipped, and where to see them", async () => {
    const result = await runCli(["convert", "broken.json", "out.json", "--lenient", "-q"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("⚠ 2 records skipped (run cocokit validate broken.json to list them)\n");
    const json = await runCli(["convert", "broken.json", "out.zip", "--lenient", "--json", "-q"], {
      cwd: dir,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ skipped: 2, annotations: 3 });
  });

  it("prints a found value told in words as it is, never quoted (RLE counts of the wrong sum)", async () => {
    const rle = structuredClone(instances);
    (rle.annotations[2] as { segmentation: unknown }).segmentation = { size: [100, 100], counts: [0, 50] };
    await writeFile(join(dir, "rle.json"), JSON.stringify(rle));
    const result = await runCli(["convert", "rle.json", "out.json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("found a sum of 50\n");
    expect(result.stderr).not.toMatch(/found "/);
  });

  it("shows an issue's place once, on its → line, not again in front of the message", async () => {
    const result = await runCli(["convert", "broken.json", "out.zip"], { cwd: dir });
    expect(result.stderr).toContain(
      "  ✖ expected the id of a category in the file, found 99\n    → at /annotations/3/category_id in broken.json",
    );
  });
});

describe("outputs that would be empty or cannot hold the dataset", () => {
  it("refuses a JSON file that is not COCO with core's reason, naming the file, exit 2 and no zip", async () => {
    const result = await runCli(["convert", "mmdet.json", "out.zip"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✖ expected a COCO file/);
    expect(result.stderr.match(/expected a COCO file/g)).toHaveLength(1);
    expect(result.stderr).toContain("→ in mmdet.json");
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.stdout).toBe("");
    expect(await readdir(dir)).not.toContain("out.zip");
  });

  it("refuses a filter that leaves no images, saying so, with exit 2 and no file", async () => {
    const result = await runCli(["filter", "instances_val.json", "-o", "none.zip", "--subset", "train"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "✖ expected at least one image to write to none.zip, found none left after filtering instances_val.json; nothing was written\n",
    );
    expect(await readdir(dir)).not.toContain("none.zip");
  });

  it("refuses --subsets that select no images", async () => {
    const result = await runCli(["convert", "instances_val.json", "x.zip", "--subsets", "test"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("found none in instances_val.json (subsets: test)");
  });

  it("refuses a panoptic dataset into one .json: the PNGs need a .zip or a directory", async () => {
    const result = await runCli(["convert", "pan", "pan.json"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✖ .*panoptic.*need a \.zip or directory output/);
    expect(await readdir(dir)).not.toContain("pan.json");
    const zip = await runCli(["convert", "pan", "pan.zip"], { cwd: dir });
    expect(zip.code).toBe(0);
    expect(zip.stdout).toMatch(
      /^wrote pan\.zip: 1 task file \(panoptic_val\), 1 image, 2 annotations, 2 categories/,
    );
  });
});
