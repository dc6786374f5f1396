import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instances, runCli, tempTree } from "./run-cli.js";

const results = [
  { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
  { image_id: 1, category_id: 2, bbox: [0, 0, 40, 50], score: 0.8 },
  { image_id: 2, category_id: 1, bbox: [5, 5, 10, 10], score: 0.4 },
];

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempTree({
    "instances_val.json": instances,
    "results.json": results,
    "bad-results.json": [{ ...results[0], image_id: 99 }],
  }));
});
afterEach(() => cleanup());

describe("cocokit eval", () => {
  it("prints pycocotools' summary table", async () => {
    const result = await runCli(["eval", "instances_val.json", "results.json", "--iou-type", "bbox"], {
      cwd: dir,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(
      /^ Average Precision {2}\(AP\) @\[ IoU=0\.50:0\.95 \| area= {3}all \| maxDets=100 \] = \d\.\d{3}$/,
    );
    expect(lines[11]).toMatch(
      /^ Average Recall {5}\(AR\) @\[ IoU=0\.50:0\.95 \| area= large \| maxDets=100 \] = -?\d\.\d{3}$/,
    );
  });

  it("prints stats, per-category numbers and params with --json", async () => {
    const result = await runCli(
      [
        "eval",
        "instances_val.json",
        "results.json",
        "--iou-type",
        "bbox",
        "--json",
        "--max-dets",
        "1,10,100",
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.stats).toHaveLength(12);
    expect(out.per_category.map((c: { category_id: number }) => c.category_id)).toEqual([1, 2]);
    expect(out.params).toMatchObject({
      iouType: "bbox",
      maxDets: [1, 10, 100],
      imgIds: [1, 2],
      useCats: true,
    });
  });

  it("adds a per-category table and honours --no-use-cats and id subsets", async () => {
    const result = await runCli(
      [
        "eval",
        "instances_val.json",
        "results.json",
        "--iou-type",
        "bbox",
        "--per-category",
        "--img-ids",
        "1",
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("category");
    expect(result.stdout).toContain("1 person");
    const pooled = await runCli(
      ["eval", "instances_val.json", "results.json", "--iou-type", "bbox", "--json", "--no-use-cats"],
      { cwd: dir },
    );
    expect(JSON.parse(pooled.stdout).per_category).toEqual([expect.objectContaining({ category_id: -1 })]);
  });

  it("exits 2 with the results pointer for an image the ground truth lacks", async () => {
    const result = await runCli(["eval", "instances_val.json", "bad-results.json", "--iou-type", "bbox"], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("/0/image_id");
    expect(result.stderr).not.toContain("bug");
  });

  it("requires --iou-type", async () => {
    const result = await runCli(["eval", "instances_val.json", "results.json"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--iou-type");
  });
});
