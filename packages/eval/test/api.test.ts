import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { importJson } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { formatFixed } from "../src/format-fixed.js";
import { evaluate, evaluateCoco, summarize } from "../src/index.js";
import { pairwiseSum } from "../src/numpy-sum.js";
import { COCO_KEYPOINT_SIGMAS } from "../src/params.js";

const gt = {
  images: [{ id: 1, file_name: "a.jpg", width: 100, height: 100 }],
  categories: [{ id: 1, name: "cat", supercategory: "animal" }],
  annotations: [
    {
      id: 5,
      image_id: 1,
      category_id: 1,
      bbox: [10, 10, 20, 20],
      area: 400,
      iscrowd: 0,
      segmentation: [[10, 10, 30, 10, 30, 30, 10, 30]],
    },
    {
      id: 6,
      image_id: 1,
      category_id: 1,
      bbox: [60, 60, 20, 20],
      area: 400,
      iscrowd: 0,
      segmentation: [[60, 60, 80, 60, 80, 80, 60, 80]],
    },
  ],
};
const results = [
  { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
  { image_id: 1, category_id: 1, bbox: [0, 0, 5, 5], score: 0.8 },
];

describe("evaluate", () => {
  it("gives the same numbers for a core Dataset as for its COCO file", async () => {
    const { dataset } = await importJson(gt, { name: "instances_val.json" });
    const fromDataset = await evaluate(dataset, results, { iouType: "bbox" });
    const fromFile = evaluateCoco(gt, results, { iouType: "bbox" });
    expect(fromDataset.stats).toEqual(fromFile.stats);
    expect(Array.from(fromDataset.precision)).toEqual(Array.from(fromFile.precision));
  });

  it("reads COCO JSON text and bytes", async () => {
    const text = JSON.stringify(gt);
    const a = await evaluate(text, results, { iouType: "bbox" });
    const b = await evaluate(new TextEncoder().encode(text), results, { iouType: "bbox" });
    expect(a.stats).toEqual(b.stats);
  });

  it("returns per-image matches and per-category AP on request", () => {
    const r = evaluateCoco(gt, results, { iouType: "bbox", matches: true });
    const all = r.matches?.find((m) => m.areaRng[1] === 1e10 && m.areaRng[0] === 0);
    expect(all).toMatchObject({
      imageId: 1,
      categoryId: 1,
      dtIds: [1, 2],
      gtIds: [5, 6],
      dtScores: [0.9, 0.8],
    });
    expect(all?.dtMatches[0]).toEqual([5, 0]);
    expect(all?.gtMatches[0]).toEqual([1, 0]);
    expect(r.perCategory).toEqual([
      expect.objectContaining({ categoryId: 1, name: "cat", ap50: expect.any(Number), ar: 0.5 }),
    ]);
  });
});

describe("timings", () => {
  const stages = ["index", "loadResults", "evaluate", "accumulate", "stats"] as const;
  // only consistency, never durations: each stage is a non-negative time and the stages, which
  // follow each other, add up to no more than the whole call measured around it
  const keypoints = JSON.parse(
    readFileSync(new URL("./fixtures/corner/keypoints.json", import.meta.url), "utf8"),
  ) as { gt: typeof gt; results: unknown[] };
  it.each([
    ["bbox", gt, results],
    ["segm", gt, results],
    ["keypoints", keypoints.gt, keypoints.results],
  ] as const)("has every stage of a %s evaluation, within the whole call", (iouType, g, res) => {
    // parsed and as text: parsing is timed with its stage
    for (const [input, list] of [
      [g, res],
      [JSON.stringify(g), JSON.stringify(res)],
    ]) {
      const t0 = performance.now();
      const r = evaluateCoco(input as typeof gt | string, list, { iouType });
      const whole = performance.now() - t0;
      expect(Object.keys(r.timings).sort()).toEqual([...stages].sort());
      let sum = 0;
      for (const stage of stages) {
        const ms = r.timings[stage];
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        sum += ms;
      }
      expect(sum).toBeLessThanOrEqual(whole + 1e-9); // + the rounding of five differences
    }
  });
});

describe("summarize", () => {
  it("prints pycocotools' twelve lines", () => {
    const text = summarize(evaluateCoco(gt, results, { iouType: "bbox" }));
    const lines = text.split("\n");
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.505");
    expect(lines[6]).toBe(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.500");
  });
});

describe("formatFixed", () => {
  it.each([
    [0.0625, 3, "0.062"],
    [0.1875, 3, "0.188"],
    [0.125, 2, "0.12"],
    [-1, 3, "-1.000"],
    [0.3784, 3, "0.378"],
    [0.5, 2, "0.50"],
  ])("formats %s with %s digits as Python does", (x, d, out) => {
    expect(formatFixed(x, d)).toBe(out);
  });
});

describe("pairwiseSum", () => {
  it("adds in numpy's order (differs from a plain loop)", () => {
    const a = Array.from({ length: 300 }, (_, i) => 1 / (i + 1) + 1e-3 * i);
    let plain = 0;
    for (const v of a) plain += v;
    expect(Math.abs(pairwiseSum(a, 0, a.length) - plain)).toBeLessThan(1e-12);
  });
});

describe("matching across thresholds", () => {
  const read = (path: string): unknown =>
    JSON.parse(gunzipSync(readFileSync(new URL(`./fixtures/workloads/${path}`, import.meta.url))).toString());
  const kpGt = read("w50s1/person_keypoints_gt.json.gz") as Parameters<typeof evaluateCoco>[0];
  const kpResults = read("w50s1/keypoints_results.json.gz");

  it("copies a threshold's outcomes only where the full matching gives the same", () => {
    // with matches requested every threshold is matched in full; without, outcomes are reused
    const full = evaluateCoco(kpGt, kpResults, { iouType: "keypoints", matches: true });
    const reused = evaluateCoco(kpGt, kpResults, { iouType: "keypoints" });
    expect(reused.precision).toEqual(full.precision);
    expect(reused.recall).toEqual(full.recall);
  });

  it("matches thresholds given in descending order like the same thresholds ascending", () => {
    const up = [0.5, 0.6, 0.7, 0.8, 0.9];
    const asc = evaluateCoco(kpGt, kpResults, { iouType: "keypoints", params: { iouThrs: up } });
    const desc = evaluateCoco(kpGt, kpResults, {
      iouType: "keypoints",
      params: { iouThrs: [...up].reverse() },
    });
    const T = up.length;
    const perT = asc.recall.length / T;
    for (let t = 0; t < T; t++) {
      expect(desc.recall.subarray(t * perT, (t + 1) * perT)).toEqual(
        asc.recall.subarray((T - 1 - t) * perT, (T - t) * perT),
      );
    }
    expect(asc.recall[0]).not.toEqual(asc.recall[(T - 1) * perT]);
  });
});

describe("OKS at tiny thresholds", () => {
  // every gt point at (50, 50), every detected point 20 px to the right, one sigma for all points:
  // every point's e is the same, so the OKS is one exp: a pair far apart still matches at a
  // threshold just below it (guards any shortcut that would treat distant pairs as unmatched)
  const sigmas = COCO_KEYPOINT_SIGMAS.map(() => 0.107);
  const point = (x: number, y: number) => sigmas.flatMap(() => [x, y, 2]);
  const kpGt = {
    images: [{ id: 1, width: 200, height: 200 }],
    categories: [{ id: 1, name: "person" }],
    annotations: [
      {
        id: 1,
        image_id: 1,
        category_id: 1,
        area: 400,
        bbox: [40, 40, 20, 20],
        iscrowd: 0,
        num_keypoints: 17,
        keypoints: point(50, 50),
      },
    ],
  };
  const kpResults = [{ image_id: 1, category_id: 1, score: 0.9, keypoints: point(70, 50) }];
  const oks = Math.exp(-(400 / (2 * 0.107) ** 2 / (400 + 2.220446049250313e-16) / 2));

  it("still match at a threshold just below their OKS, and not just above it", () => {
    expect(oks).toBeGreaterThan(0);
    expect(oks).toBeLessThan(1e-4);
    const at = (thr: number) =>
      evaluateCoco(kpGt, kpResults, {
        iouType: "keypoints",
        params: { iouThrs: [thr], kptOksSigmas: sigmas },
      }).recall[0];
    expect(at(oks * (1 - 1e-9))).toBe(1);
    expect(at(oks * (1 + 1e-9))).toBe(0);
    expect(at(0.5)).toBe(0);
  });
});
