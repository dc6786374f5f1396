import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type EvalParams, evaluateCoco, summarize } from "../src/index.js";

// Goldens written by scripts/make-goldens.py with pycocotools 2.0.11 (see its header for the format).
const fixtures = new URL("./fixtures/", import.meta.url);
const read = (path: string): unknown => {
  const bytes = readFileSync(new URL(path, fixtures));
  return JSON.parse((path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"));
};

interface Encoded {
  shape: number[];
  order: string;
  runs: number[];
}
interface Expected {
  precision: Encoded;
  recall: Encoded;
  scores: Encoded;
  params: { imgIds: number[]; catIds: number[]; maxDets: number[]; iouThrs: number[]; recThrs: number[] };
  stats?: number[];
  summary?: string;
  summarizeError?: string;
}
interface Case {
  name: string;
  gt?: string;
  results?: string;
  corner?: string;
  iouType: "bbox" | "segm" | "keypoints";
  params: Record<string, unknown>;
}

const AXES = "TRKAM";

/** Decodes a run-length golden back to row-major order of its `shape` (axes named T, R, K, A, M). */
function decode(e: Encoded): Float64Array {
  const flat: number[] = [];
  for (let i = 0; i < e.runs.length; i += 2)
    for (let n = 0; n < (e.runs[i + 1] as number); n++) flat.push(e.runs[i] as number);
  const names = e.shape.length === 5 ? AXES : "TKAM";
  const shape = e.shape;
  const order = [...e.order].map((c) => names.indexOf(c));
  const orderShape = order.map((a) => shape[a] as number);
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  const out = new Float64Array(flat.length);
  const idx = new Array(order.length).fill(0);
  for (let f = 0; f < flat.length; f++) {
    let at = 0;
    for (let j = 0; j < order.length; j++) at += idx[j] * (strides[order[j] as number] as number);
    out[at] = flat[f] as number;
    for (let j = order.length - 1; j >= 0; j--) {
      if (++idx[j] < (orderShape[j] as number)) break;
      idx[j] = 0;
    }
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

const cases = read("cases.json") as Case[];

describe("evaluateCoco (pycocotools goldens)", () => {
  it.each(cases.map((c) => [c.name, c] as const))("matches pycocotools on %s", (_, c) => {
    const input = c.corner
      ? (read(c.corner) as { gt: unknown; results: unknown })
      : { gt: read(c.gt as string), results: read(c.results as string) };
    const expected = read(`expected/${c.name}.json.gz`) as Expected;
    const params = c.params as Partial<EvalParams>;
    const options = { iouType: c.iouType, params };
    if (expected.summarizeError) {
      expect(() => evaluateCoco(input.gt as never, input.results, options)).toThrow(/maxDets/);
    }
    const r = evaluateCoco(input.gt as never, input.results, {
      ...options,
      summaryMaxDets: expected.summarizeError ? "params" : "pycocotools",
    });
    expect(r.params.imgIds).toEqual(expected.params.imgIds);
    if (r.params.useCats) expect(r.params.catIds).toEqual(expected.params.catIds);
    expect(r.params.maxDets).toEqual(expected.params.maxDets);
    expect(r.params.iouThrs).toEqual(expected.params.iouThrs);
    expect(r.params.recThrs).toEqual(expected.params.recThrs);
    expect(r.counts).toEqual(expected.precision.shape);
    expect(maxAbsDiff(r.precision, decode(expected.precision))).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(r.recall, decode(expected.recall))).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(r.scores, decode(expected.scores))).toBeLessThanOrEqual(1e-12);
    if (expected.stats) {
      expect(maxAbsDiff(r.stats, expected.stats)).toBeLessThanOrEqual(1e-12);
      expect(summarize(r)).toBe(expected.summary);
    }
  });
});
