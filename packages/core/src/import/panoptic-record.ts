import type { Rle } from "@cocokit/rle";
import { iscrowdOfRecord } from "../coco/crowd.js";
import { CocokitError } from "../errors.js";
import type { Category, Item, MaskAnnotation } from "../model/types.js";
import type { IssueCode } from "../report/issue.js";
import { toPointer } from "../report/issue.js";
import { described, type IssueSink } from "../validate/issue-sink.js";
import type { CocoFileSource, DecodedPng, ImportOptions } from "./import-options.js";
import { extraOf, type Obj } from "./record-fields.js";

/** What reading a panoptic record needs from the importer that holds the dataset being built. */
export interface PanopticTarget extends IssueSink {
  readonly categories: Map<number, Category>;
  /** False when validating: segments are checked but not kept. */
  readonly keep: boolean;
  bad(code: IssueCode, file: string, path: (string | number)[], expected: string, found: unknown): undefined;
  groupFor(item: Item): number;
  imageOf(file: string, subset: string, path: (string | number)[], v: Obj): Item | undefined;
}

const SEGMENT_KEYS = new Set(["id", "category_id", "area", "iscrowd"]);

/**
 * Turns one panoptic record `{image_id, file_name, segments_info}` into one mask annotation per
 * segment (Datumaro's rule): the mask holds the PNG pixels whose id R + 256·G + 256²·B equals the
 * segment id; the annotation's id and group are the segment id. The mask has the PNG's size, which
 * Datumaro keeps even when it differs from the image's. The segment's `bbox` and other fields stay
 * as extra fields so that an unchanged segment is written back as it was read.
 */
export async function panopticRecord(
  target: PanopticTarget,
  source: CocoFileSource,
  index: number,
  value: unknown,
  options: ImportOptions,
): Promise<void> {
  const file = source.name;
  const path = ["annotations", index];
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return target.bad("invalid_type", file, path, "an object", value);
  const v = value as Obj;
  const item = target.imageOf(file, source.subset, path, v);
  if (!item) return;
  if (typeof v.file_name !== "string")
    return target.bad(
      v.file_name === undefined ? "missing_field" : "invalid_type",
      file,
      [...path, "file_name"],
      "the file name of the segment PNG",
      v.file_name,
    );
  if (!Array.isArray(v.segments_info))
    return target.bad(
      v.segments_info === undefined ? "missing_field" : "invalid_type",
      file,
      [...path, "segments_info"],
      "an array of segments",
      v.segments_info,
    );
  const segments = checkedSegments(target, file, [...path, "segments_info"], v.segments_info);
  if (segments.length === 0) return;
  const png = await readPng(target, file, [...path, "file_name"], source.subset, v.file_name, options);
  if (!png) return;
  const masks = segmentMasks(png, new Set(segments.map((s) => s.id as number)));
  if (!segmentsMatch(target, file, path, segments, masks)) return;
  if (!target.keep) return;
  const from = { file, list: "annotations", index };
  for (const s of segments) {
    const id = s.id as number;
    const attributes: Record<string, unknown> = {};
    if (s.iscrowd !== undefined) attributes.is_crowd = iscrowdOfRecord(s.iscrowd);
    const extra = extraOf(s, SEGMENT_KEYS);
    const mask: MaskAnnotation = {
      type: "mask",
      id,
      group: target.groupFor(item),
      attributes,
      rle: masks.byId.get(id) ?? emptyRle(png.height, png.width),
      categoryId: s.category_id as number,
      task: "panoptic",
      // The segment's record: one panoptic annotation holds all segments of its image.
      unchanged: true,
      source: from,
      ...(typeof s.area === "number" ? { area: s.area } : {}),
      ...(extra ? { extra } : {}),
    };
    item.annotations.push(mask);
  }
}

function checkedSegments(
  target: PanopticTarget,
  file: string,
  path: (string | number)[],
  list: unknown[],
): Obj[] {
  const out: Obj[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const seg = checkedSegment(target, file, [...path, i], list[i], seen);
    if (seg) {
      seen.add(seg.id as number);
      out.push(seg);
    }
  }
  return out;
}

function checkedSegment(
  target: PanopticTarget,
  file: string,
  at: (string | number)[],
  s: unknown,
  seen: ReadonlySet<number>,
): Obj | undefined {
  if (typeof s !== "object" || s === null || Array.isArray(s))
    return target.bad("invalid_type", file, at, "a segment object", s);
  const seg = s as Obj;
  if (!Number.isInteger(seg.id) || (seg.id as number) <= 0)
    return target.bad(
      seg.id === undefined ? "missing_field" : "invalid_value",
      file,
      [...at, "id"],
      "a positive integer segment id",
      seg.id,
    );
  if (seen.has(seg.id as number))
    return target.bad("duplicate_id", file, [...at, "id"], "a segment id unique in its image", seg.id);
  if (!Number.isInteger(seg.category_id))
    return target.bad(
      seg.category_id === undefined ? "missing_field" : "invalid_type",
      file,
      [...at, "category_id"],
      "an integer category id",
      seg.category_id,
    );
  if (!target.categories.has(seg.category_id as number))
    return target.bad(
      "unknown_category",
      file,
      [...at, "category_id"],
      "the id of a category in the file",
      seg.category_id,
    );
  return seg;
}

async function readPng(
  target: PanopticTarget,
  file: string,
  path: (string | number)[],
  subset: string,
  fileName: string,
  options: ImportOptions,
): Promise<DecodedPng | undefined> {
  try {
    const png = await options.readPanopticPng?.(subset, fileName);
    if (png) return png;
  } catch (e) {
    if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
    // The problem is in the PNG, so the issue names it; the message says which record wanted it.
    // A PNG that could not be read at all (a damaged zip entry) keeps the reader's own code.
    target.bad(
      e.code === "invalid_png" ? "invalid_png" : (e.code as IssueCode),
      e.file ?? file,
      [],
      `a readable PNG of segment ids (for ${file} ${toPointer(path)})`,
      e.message,
    );
    return undefined;
  }
  target.bad("missing_image_file", file, path, "the segment PNG beside the panoptic file", fileName);
  return undefined;
}

/**
 * panopticapi's rule: every segment of `segments_info` has pixels in the PNG, and every segment id
 * in the PNG (0 is unlabelled) is listed. Reports each mismatch; false when there was one.
 */
function segmentsMatch(
  target: PanopticTarget,
  file: string,
  path: (string | number)[],
  segments: readonly Obj[],
  masks: SegmentMasks,
): boolean {
  let ok = true;
  segments.forEach((s, i) => {
    const rle = masks.byId.get(s.id as number);
    if (rle && rle.counts.length > 1) return;
    target.bad(
      "panoptic_segment_mismatch",
      file,
      [...path, "segments_info", i, "id"],
      "a segment id that has pixels in the segment PNG",
      s.id,
    );
    ok = false;
  });
  if (masks.unlisted.size > 0) {
    const ids = [...masks.unlisted].slice(0, 10).join(", ");
    target.bad(
      "panoptic_segment_mismatch",
      file,
      [...path, "segments_info"],
      "a segment for every segment id of the PNG",
      described(
        `the PNG also has segment ids ${ids}${masks.unlisted.size > 10 ? ", …" : ""}, which segments_info does not list`,
      ),
    );
    ok = false;
  }
  return ok;
}

/** Each listed segment's mask, and the ids in the PNG that no segment lists. */
interface SegmentMasks {
  byId: Map<number, Rle>;
  unlisted: Set<number>;
}

/**
 * One pass over the PNG in column-major order (COCO's mask order), turning each column's stretches
 * of one segment id into runs of that segment's mask; ids that are not segments are background.
 */
function segmentMasks(png: DecodedPng, ids: ReadonlySet<number>): SegmentMasks {
  const { width: w, height: h, data, channels } = png;
  const unlisted = new Set<number>();
  const runs = new Map<number, { counts: number[]; end: number }>();
  for (const id of ids) runs.set(id, { counts: [], end: 0 });
  for (let x = 0; x < w; x++) {
    let y = 0;
    while (y < h) {
      const id = idAt(data, (y * w + x) * channels);
      let y2 = y + 1;
      while (y2 < h && idAt(data, (y2 * w + x) * channels) === id) y2++;
      const r = runs.get(id);
      if (r) {
        const start = x * h + y;
        if (r.end === start && r.counts.length > 0) r.counts[r.counts.length - 1]! += y2 - y;
        else r.counts.push(start - r.end, y2 - y);
        r.end = x * h + y2;
      } else if (id !== 0) unlisted.add(id);
      y = y2;
    }
  }
  const out = new Map<number, Rle>();
  for (const [id, r] of runs) {
    if (r.end < h * w) r.counts.push(h * w - r.end);
    out.set(id, { height: h, width: w, counts: Uint32Array.from(r.counts) });
  }
  return { byId: out, unlisted };
}

function idAt(data: Uint8Array, i: number): number {
  return (data[i] as number) + 256 * (data[i + 1] as number) + 65536 * (data[i + 2] as number);
}

function emptyRle(h: number, w: number): Rle {
  return { height: h, width: w, counts: Uint32Array.of(h * w) };
}
