// End-to-end tests of the commands that read and write whole datasets through core's import and
// export (importPath / validatePath / exportToPath).
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instances, runCli, tempTree } from "./run-cli.js";

let dir: string;
let cleanup: () => Promise<void>;

const broken = {
  ...instances,
  annotations: [
    ...instances.annotations,
    { id: 4, image_id: 2, category_id: 99, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
    { id: 5, image_id: 2, category_id: 98, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 },
  ],
};
const other = {
  images: [{ id: 1, file_name: "c.jpg", width: 50, height: 50 }],
  categories: [
    { id: 1, name: "car" },
    { id: 2, name: "dog" },
  ],
  annotations: [{ id: 1, image_id: 1, category_id: 2, bbox: [1, 1, 5, 5], area: 25, iscrowd: 0 }],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempTree({
    "instances_val.json": instances,
    "broken.json": broken,
    "other.json": other,
    "truncated.json": JSON.stringify(instances).slice(0, 120),
    "empty-dir/readme.md": "no annotations here",
  }));
  await mkdir(join(dir, "again"));
});
afterEach(() => cleanup());

const readJson = async (name: string) => JSON.parse(await readFile(join(dir, name), "utf8"));

describe("cocokit validate", () => {
  it("exits 0 and says so for a valid file", async () => {
    const result = await runCli(["validate", "instances_val.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no problems found");
  });

  it("exits 1 and groups problems by code with their count and pointers", async () => {
    const result = await runCli(["validate", "broken.json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("unknown_category (2)");
    expect(result.stdout).toContain("→ at /annotations/3/category_id");
  });

  it("prints the report object with --json", async () => {
    const result = await runCli(["validate", "broken.json", "--json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, counts: { unknown_category: 2 } });
  });

  it("reads JSON from stdin with -", async () => {
    const result = await runCli(["validate", "-"], { cwd: dir, stdin: JSON.stringify(broken) });
    expect(result.code).toBe(1);
  });

  it.each([
    ["truncated JSON", "truncated.json"],
    ["a directory without annotations", "empty-dir"],
  ])("exits 2 for %s", async (_, input) => {
    const result = await runCli(["validate", input], { cwd: dir });
    expect(result.code).toBe(2);
  });
});

describe("cocokit convert", () => {
  it("writes a JSON file with the same images and categories", async () => {
    const result = await runCli(["convert", "instances_val.json", "out.json"], { cwd: dir });
    expect(result.code).toBe(0);
    const out = await readJson("out.json");
    expect(out.images.map((i: { file_name: string }) => i.file_name)).toEqual(["a.jpg", "b.jpg"]);
    expect(out.categories.map((c: { name: string }) => c.name)).toEqual(["person", "car"]);
  });

  it("writes JSON to stdout with -", async () => {
    const result = await runCli(["convert", "instances_val.json", "-"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).annotations).toHaveLength(3);
  });

  it("exits 1 for invalid input and leaves no output behind", async () => {
    const result = await runCli(["convert", "broken.json", "out.zip"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(await readdir(dir)).not.toContain("out.zip");
    expect((await readdir(dir)).filter((name) => name.includes("out.zip"))).toEqual([]);
  });

  it("exits 2 for an unknown --segmentation-mode", async () => {
    const result = await runCli(
      ["convert", "instances_val.json", "out.json", "--segmentation-mode", "blobs"],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('found "blobs"');
  });
});

describe("cocokit merge, split, filter, remap", () => {
  it("merges categories by name, keeping each input's subset as a task file of the output", async () => {
    const result = await runCli(["merge", "instances_val.json", "other.json", "-o", "merged"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const files = (await readdir(join(dir, "merged", "annotations"))).sort();
    expect(files).toEqual(["instances_default.json", "instances_val.json"]);
    for (const name of files) {
      const doc = await readJson(join("merged", "annotations", name));
      expect(doc.categories.map((c: { name: string }) => c.name)).toEqual(["person", "car", "dog"]);
    }
  });

  it("renumbers clashing annotation ids so every task file has unique ids, and reports them", async () => {
    // The same annotation ids (1, 2, 3) on other images of the same subset.
    const again = {
      ...instances,
      images: instances.images.map((image) => ({
        ...image,
        id: image.id + 10,
        file_name: `x-${image.file_name}`,
      })),
      annotations: instances.annotations.map((a) => ({ ...a, image_id: a.image_id + 10 })),
    };
    await writeFile(join(dir, "again", "instances_val.json"), JSON.stringify(again));
    const result = await runCli(["merge", "instances_val.json", "again/instances_val.json", "-o", "m"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("duplicate_annotation_id (3)");
    expect(result.stderr).toContain(
      "annotation id 1 (image 11, x-a.jpg) is already used in instances_val; it became 4 (from again/instances_val.json)",
    );
    const doc = await readJson(join("m", "annotations", "instances_val.json"));
    const ids = doc.annotations.map((a: { id: number }) => a.id);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    // The polygon of annotation 1 is still one annotation with its box, now id 4.
    expect(doc.annotations[3]).toMatchObject({ id: 4, image_id: 11, bbox: [0, 0, 10, 10] });
    expect(doc.annotations[3].segmentation).toEqual([[0, 0, 10, 0, 10, 10, 0, 10]]);
    expect((await runCli(["validate", "m"], { cwd: dir })).code).toBe(0);
  });

  it("exits 2 with a hint when inputs of several subsets are merged into one .json", async () => {
    const result = await runCli(["merge", "instances_val.json", "other.json", "-o", "merged.json"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("expected one task file for a single JSON output");
    expect(await readdir(dir)).not.toContain("merged.json");
  });

  it("filters by category name", async () => {
    const result = await runCli(["filter", "instances_val.json", "-o", "cars.json", "--categories", "car"], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect((await readJson("cars.json")).annotations.map((a: { id: number }) => a.id)).toEqual([2]);
  });

  it("exits 2 naming the category when filter is given one that does not exist", async () => {
    const result = await runCli(["filter", "instances_val.json", "-o", "x.json", "--categories", "cat"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('found "cat"');
    expect(await readdir(dir)).not.toContain("x.json");
  });

  it("remaps two categories into one", async () => {
    const result = await runCli(
      ["remap", "instances_val.json", "-o", "r.json", "--map", "person=thing,car=thing"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect((await readJson("r.json")).categories.map((c: { name: string }) => c.name)).toEqual(["thing"]);
  });

  it("exits 2 for a --map that is not old=new", async () => {
    const result = await runCli(["remap", "instances_val.json", "-o", "r.json", "--map", "person"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected --map pairs like "old=new,car=vehicle", found "person"');
  });

  it("splits deterministically for a seed", async () => {
    const args = (out: string) => [
      "split",
      "instances_val.json",
      "-o",
      out,
      "--ratio",
      "train=0.5,val=0.5",
      "--seed",
      "3",
    ];
    expect((await runCli(args("a.zip"), { cwd: dir })).code).toBe(0);
    expect((await runCli(args("b.zip"), { cwd: dir })).code).toBe(0);
    const [a, b] = await Promise.all([readFile(join(dir, "a.zip")), readFile(join(dir, "b.zip"))]);
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBe(b.length);
  });

  it("exits 2 for a --ratio that is not name=share", async () => {
    const result = await runCli(["split", "instances_val.json", "-o", "s.zip", "--ratio", "train:0.8"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('found "train:0.8"');
  });
});
