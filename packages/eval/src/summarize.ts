import { evalError } from "./errors.js";
import { formatFixed } from "./format-fixed.js";
import { numpyMean } from "./numpy-sum.js";
import type { EvalParams } from "./params.js";

/**
 * Which maxDets the summary reads. `"pycocotools"` (default) reads them as pycocotools does: the
 * first AP line at a literal 100 (keypoints: every line at 20), so custom maxDets without 100 give
 * `stats[0] = -1`, and fewer than three maxDets is an error (pycocotools raises IndexError).
 * `"params"` reads the params' own maxDets: the last one where pycocotools says 100 (or 20).
 */
export type SummaryMaxDets = "pycocotools" | "params";

/** What the summary needs of an evaluation. */
export interface SummaryInput {
  params: EvalParams;
  precision: Float64Array;
  recall: Float64Array;
  counts: readonly [T: number, R: number, K: number, A: number, M: number];
  summaryMaxDets?: SummaryMaxDets;
}

interface Line {
  ap: boolean;
  iouThr?: number;
  areaRng: string;
  maxDets: number;
}

/** Throws `invalid_params` when pycocotools' summary cannot run on these maxDets. */
export function checkSummaryMaxDets(p: EvalParams, mode: SummaryMaxDets): void {
  if (mode === "pycocotools" && p.iouType !== "keypoints" && p.maxDets.length < 3) {
    throw evalError(
      "invalid_params",
      "params",
      "/maxDets",
      'at least three maxDets for pycocotools\' summary (or summaryMaxDets: "params")',
      p.maxDets,
    );
  }
}

function lines(p: EvalParams, mode: SummaryMaxDets): Line[] {
  const md = p.maxDets;
  const at = (i: number) =>
    mode === "params" ? (md[Math.min(i, md.length - 1)] as number) : (md[i] as number);
  const last = md[md.length - 1] as number;
  if (p.iouType === "keypoints") {
    const n = mode === "params" ? last : 20;
    return [
      { ap: true, areaRng: "all", maxDets: n },
      { ap: true, iouThr: 0.5, areaRng: "all", maxDets: n },
      { ap: true, iouThr: 0.75, areaRng: "all", maxDets: n },
      { ap: true, areaRng: "medium", maxDets: n },
      { ap: true, areaRng: "large", maxDets: n },
      { ap: false, areaRng: "all", maxDets: n },
      { ap: false, iouThr: 0.5, areaRng: "all", maxDets: n },
      { ap: false, iouThr: 0.75, areaRng: "all", maxDets: n },
      { ap: false, areaRng: "medium", maxDets: n },
      { ap: false, areaRng: "large", maxDets: n },
    ];
  }
  return [
    { ap: true, areaRng: "all", maxDets: mode === "params" ? last : 100 },
    { ap: true, iouThr: 0.5, areaRng: "all", maxDets: at(2) },
    { ap: true, iouThr: 0.75, areaRng: "all", maxDets: at(2) },
    { ap: true, areaRng: "small", maxDets: at(2) },
    { ap: true, areaRng: "medium", maxDets: at(2) },
    { ap: true, areaRng: "large", maxDets: at(2) },
    { ap: false, areaRng: "all", maxDets: at(0) },
    { ap: false, areaRng: "all", maxDets: at(1) },
    { ap: false, areaRng: "all", maxDets: at(2) },
    { ap: false, areaRng: "small", maxDets: at(2) },
    { ap: false, areaRng: "medium", maxDets: at(2) },
    { ap: false, areaRng: "large", maxDets: at(2) },
  ];
}

const indicesOf = <T>(list: readonly T[], value: T) => list.flatMap((v, i) => (v === value ? [i] : []));

/** `s[t][:, :, aind, mind]` then `np.mean(s[s > -1])`, numpy's indexing and summation order. */
function meanOf(r: SummaryInput, line: Line): number {
  const [T, R, K, A, M] = r.counts;
  const p = r.params;
  const ts = line.iouThr === undefined ? [...Array(T).keys()] : indicesOf(p.iouThrs, line.iouThr);
  let aind = indicesOf(p.areaRngLbl, line.areaRng);
  let mind = indicesOf(p.maxDets, line.maxDets);
  // numpy broadcasts the two index lists together: zipped, or a single index repeated
  if (aind.length === 1 && mind.length !== 1) aind = mind.map(() => aind[0] as number);
  else if (mind.length === 1 && aind.length !== 1) mind = aind.map(() => mind[0] as number);
  const B = Math.min(aind.length, mind.length);
  const values: number[] = [];
  for (const t of ts) {
    if (line.ap) {
      for (let ri = 0; ri < R; ri++)
        for (let k = 0; k < K; k++)
          for (let b = 0; b < B; b++) {
            const v = r.precision[
              (((t * R + ri) * K + k) * A + (aind[b] as number)) * M + (mind[b] as number)
            ] as number;
            if (v > -1) values.push(v);
          }
    } else {
      for (let k = 0; k < K; k++)
        for (let b = 0; b < B; b++) {
          const v = r.recall[((t * K + k) * A + (aind[b] as number)) * M + (mind[b] as number)] as number;
          if (v > -1) values.push(v);
        }
    }
  }
  return values.length === 0 ? -1 : numpyMean(values);
}

/** The summary numbers: 12 for bbox and segm, 10 for keypoints, in pycocotools' order. */
export function computeStats(r: SummaryInput): number[] {
  const mode = r.summaryMaxDets ?? "pycocotools";
  checkSummaryMaxDets(r.params, mode);
  return lines(r.params, mode).map((line) => meanOf(r, line));
}

/**
 * pycocotools' `summarize()` table, line for line (each line ends with a newline).
 * @example
 * const result = await evaluate(gt, detections, { iouType: "bbox" });
 * process.stdout.write(summarize(result));
 * //  Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.378
 * //  …
 */
export function summarize(r: SummaryInput): string {
  const mode = r.summaryMaxDets ?? "pycocotools";
  checkSummaryMaxDets(r.params, mode);
  const p = r.params;
  const t0 = formatFixed(p.iouThrs[0] as number, 2);
  const t1 = formatFixed(p.iouThrs[p.iouThrs.length - 1] as number, 2);
  let out = "";
  for (const line of lines(p, mode)) {
    const title = (line.ap ? "Average Precision" : "Average Recall").padEnd(18);
    const type = line.ap ? "(AP)" : "(AR)";
    const iou = (line.iouThr === undefined ? `${t0}:${t1}` : formatFixed(line.iouThr, 2)).padEnd(9);
    const area = line.areaRng.padStart(6);
    const dets = String(line.maxDets).padStart(3);
    out += ` ${title} ${type} @[ IoU=${iou} | area=${area} | maxDets=${dets} ] = ${formatFixed(meanOf(r, line), 3)}\n`;
  }
  return out;
}
