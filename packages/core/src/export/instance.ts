import { type Bbox, fromPolygon, merge, type Rle, area as rleArea, toBbox, toCoco } from "@cocokit/rle";
import { shapeArea } from "../coco/area.js";
import { isCrowd } from "../coco/crowd.js";
import type {
  Annotation,
  BboxAnnotation,
  MaskAnnotation,
  PointsAnnotation,
  PolygonAnnotation,
} from "../model/types.js";
import { cocoAttributes, scoreOf } from "./coco-attributes.js";
import { tracePolygons } from "./trace-mask.js";

type Obj = Record<string, unknown>;

/** What `buildInstance` needs besides the group's annotations. */
export interface InstanceContext {
  id: number;
  imageId: number;
  /** The image size, when known; masks and polygons are rasterised at it. */
  height?: number;
  width?: number;
  mode: "guess" | "polygons" | "mask";
  /** The category id written for a model's one (renumbered with `reindex`); default: kept. */
  relabel?: (categoryId: number) => number;
  compressRle: boolean;
  allowAttributes: boolean;
  precision?: number;
  /** The group's leader when the plan chose it already (`leaderOf(members)` otherwise). */
  leader?: Annotation;
}

/** Members of one group, by kind. */
interface Parts {
  boxes: BboxAnnotation[];
  polygons: PolygonAnnotation[];
  masks: MaskAnnotation[];
  points?: PointsAnnotation;
}

function partsOf(members: readonly Annotation[]): Parts {
  const parts: Parts = { boxes: [], polygons: [], masks: [] };
  for (const a of members) {
    if (a.type === "bbox") parts.boxes.push(a);
    else if (a.type === "polygon") parts.polygons.push(a);
    else if (a.type === "mask") parts.masks.push(a);
    else if (a.type === "points") parts.points ??= a;
  }
  return parts;
}

/**
 * A group is unchanged since import while every member carries import's `unchanged` mark; an
 * `area` alone (set by hand, or kept by an edit) does not make it so.
 */
export function isUnchanged(members: readonly Annotation[]): boolean {
  return members.length > 0 && members.every((a) => a.unchanged === true);
}

/**
 * The member whose label, attributes, score and id the COCO annotation takes: the largest shape,
 * ties going to the first in the order boxes, polygons, masks (CVAT/Datumaro); the first member
 * when the group has no shape (keypoints alone).
 */
export function leaderOf(members: readonly Annotation[]): Annotation {
  if (isUnchanged(members)) return members[0] as Annotation;
  const parts = partsOf(members);
  let best: Annotation | undefined;
  let bestArea = -1;
  for (const a of [...parts.boxes, ...parts.polygons, ...parts.masks]) {
    const s = shapeArea(a);
    if (s > bestArea) {
      best = a;
      bestArea = s;
    }
  }
  return best ?? (members[0] as Annotation);
}

function round(v: number, precision: number | undefined): number {
  if (precision === undefined) return v;
  const f = 10 ** precision;
  return Math.round(v * f) / f;
}

function roundAll(values: readonly number[], precision: number | undefined): number[] {
  // Without rounding the array is written as is (the writer only reads it).
  return precision === undefined ? (values as number[]) : values.map((v) => round(v, precision));
}

/**
 * The members of a built annotation object that hold only numbers, which the writer then writes by
 * its short path: boxes and polygons built from coordinates `checkForExport` found finite. A member
 * an extra field replaced is another object and is not among them.
 */
export interface NumericMembers {
  lists: unknown[];
  listsOfLists: unknown[];
}

function union(boxes: readonly Bbox[]): Bbox | undefined {
  if (boxes.length === 0) return undefined;
  // One box is written as it is: x + w − x need not give w back in floating point.
  if (boxes.length === 1) return [...(boxes[0] as Bbox)];
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

function polygonBox(points: readonly number[]): Bbox {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i] as number;
    const y = points[i + 1] as number;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Box of the labelled keypoints (v > 0), `[0, 0, 0, 0]` when none is labelled (Datumaro's rule). */
function keypointsBox(p: PointsAnnotation): Bbox {
  const visible: number[] = [];
  for (let k = 0; k < p.visibility.length; k++)
    if ((p.visibility[k] as number) > 0)
      visible.push(p.points[2 * k] as number, p.points[2 * k + 1] as number);
  return visible.length === 0 ? [0, 0, 0, 0] : polygonBox(visible);
}

/** The raster size: the image's, else the masks', else the extent of the shapes (Datumaro's guess). */
function rasterSize(parts: Parts, ctx: InstanceContext): [number, number] {
  if (ctx.height !== undefined && ctx.width !== undefined) return [ctx.height, ctx.width];
  const mask = parts.masks[0];
  if (mask) return [mask.rle.height, mask.rle.width];
  const box = union([...parts.boxes.map((b) => b.bbox), ...parts.polygons.map((p) => polygonBox(p.points))]);
  return box ? [Math.ceil(box[1] + box[3]), Math.ceil(box[0] + box[2])] : [0, 0];
}

function mergedMask(parts: Parts, h: number, w: number): Rle {
  const rles = [...parts.polygons.map((p) => fromPolygon(p.points, h, w)), ...parts.masks.map((m) => m.rle)];
  return rles.length === 1 ? (rles[0] as Rle) : merge(rles);
}

function rleJson(rle: Rle, compressed: boolean): Obj {
  const coco = toCoco(rle, { compressed });
  // COCO files write counts before size.
  return { counts: coco.counts, size: coco.size };
}

/** The header and the tail every annotation object shares: ids, label, then score/attributes/extra. */
function finish(head: Obj, body: Obj, leader: Annotation, ctx: InstanceContext, iscrowd?: number): Obj {
  // `head` is this annotation's own object: filled in place (a spread per annotation is slow).
  const out: Obj = Object.assign(head, body);
  if (iscrowd !== undefined) out.iscrowd = iscrowd;
  const score = scoreOf(leader.attributes.score);
  if (score !== undefined) out.score = score;
  const attributes = ctx.allowAttributes ? cocoAttributes(leader.attributes) : undefined;
  if (attributes) out.attributes = attributes;
  return withExtra(out, leader);
}

/**
 * Whether an extra field replaces the computed one. An extra `attributes` (a file's empty
 * `attributes: {}`, which the model's attribute map cannot tell from none) never replaces
 * attributes there are, so attributes added since import are never lost.
 */
function keptVerbatim(key: string, leader: Annotation): boolean {
  return key !== "attributes" && leader.unchanged === true;
}

/**
 * Adds an annotation's unknown fields to its COCO object, verbatim. For an unchanged annotation
 * they win (a `num_keypoints` that disagreed with the keypoints is kept as the file had it), for
 * an edited one they never override what was computed.
 */
export function withExtra(out: Obj, a: Annotation): Obj {
  if (a.extra) for (const k in a.extra) if (!(k in out) || keptVerbatim(k, a)) out[k] = a.extra[k];
  return out;
}

function keypointsFields(p: PointsAnnotation | undefined, precision: number | undefined): Obj {
  if (!p) return {};
  const keypoints: number[] = [];
  let labelled = 0;
  for (let k = 0; k < p.visibility.length; k++) {
    const v = p.visibility[k] as number;
    keypoints.push(
      round(p.points[2 * k] as number, precision),
      round(p.points[2 * k + 1] as number, precision),
      v,
    );
    if (v > 0) labelled++;
  }
  return { keypoints, num_keypoints: labelled };
}

/**
 * Turns the annotations of one group (or one ungrouped annotation) into one COCO annotation
 * object for instances, stuff or person_keypoints files.
 *
 * Unchanged annotations (every member carries import's `unchanged` mark) are written as read: the mask
 * stays RLE in its counts format, polygons stay polygons, `bbox`, `area` and `iscrowd` verbatim
 * (left out when the file had none). New or edited groups follow CVAT: the largest shape leads;
 * `bbox` is the union of the boxes, else of the shapes' extents (a mask's by pycocotools' `toBbox`,
 * not Datumaro's one-pixel-smaller box: a deliberate deviation); `area` is the pixel area of the
 * segmentation as pycocotools computes it, or the box area without one.
 */
export function buildInstance(
  members: readonly Annotation[],
  ctx: InstanceContext,
  numeric: NumericMembers = { lists: [], listsOfLists: [] },
): Obj {
  const parts = partsOf(members);
  const leader = ctx.leader ?? leaderOf(members);
  // A keypoints category wins over the box's label (CVAT takes the box's: its #7501).
  const categoryId = parts.points?.categoryId ?? leader.categoryId ?? 0;
  const head: Obj = {
    id: ctx.id,
    image_id: ctx.imageId,
    category_id: ctx.relabel?.(categoryId) ?? categoryId,
  };
  const kp = keypointsFields(parts.points, ctx.precision);
  if (isUnchanged(members)) return unchanged(parts, leader, head, kp, ctx, numeric);

  const hasShape = parts.boxes.length + parts.polygons.length + parts.masks.length > 0;
  if (!hasShape) {
    const box = parts.points ? keypointsBox(parts.points) : ([0, 0, 0, 0] as Bbox);
    const body = { segmentation: [], area: box[2] * box[3], bbox: roundAll(box, ctx.precision) };
    numeric.lists.push(body.bbox);
    return finish(head, Object.assign(body, kp), leader, ctx, 0);
  }
  const useMask = chooseMask(parts, leader, ctx.mode);
  const extents = [
    ...parts.polygons.map((p) => polygonBox(p.points)),
    ...parts.masks.map((m) => toBbox(m.rle)),
  ];
  const bbox = union(parts.boxes.map((b) => b.bbox)) ?? (union(extents) as Bbox);
  const [h, w] = rasterSize(parts, ctx);
  let segmentation: unknown = [];
  let area = bbox[2] * bbox[3];
  let iscrowd = 0;
  if (useMask && parts.polygons.length + parts.masks.length > 0) {
    const rle = mergedMask(parts, h, w);
    segmentation = rleJson(rle, ctx.compressRle);
    area = rleArea(rle);
    iscrowd = 1;
  } else if (parts.polygons.length + parts.masks.length > 0) {
    const polygons = parts.polygons.map((p) => p.points);
    if (parts.masks.length > 0) polygons.push(...tracePolygons(mergedMask({ ...parts, polygons: [] }, h, w)));
    segmentation = polygons.map((p) => roundAll(p, ctx.precision));
    numeric.listsOfLists.push(segmentation);
    area = rleArea(merge((segmentation as number[][]).map((p) => fromPolygon(p, h, w))));
  }
  const body = { segmentation, area, bbox: roundAll(bbox, ctx.precision) };
  numeric.lists.push(body.bbox);
  return finish(head, Object.assign(body, kp), leader, ctx, iscrowd);
}

/** CVAT's guess: a mask iff the leader is a crowd, or it has no `is_crowd` and the group has a mask of its label. */
function chooseMask(parts: Parts, leader: Annotation, mode: InstanceContext["mode"]): boolean {
  if (mode === "mask") return true;
  if (mode === "polygons") return false;
  if ("is_crowd" in leader.attributes) return isCrowd(leader.attributes.is_crowd);
  return parts.masks.some((m) => m.categoryId === leader.categoryId);
}

function unchanged(
  parts: Parts,
  leader: Annotation,
  head: Obj,
  kp: Obj,
  ctx: InstanceContext,
  numeric: NumericMembers,
): Obj {
  // Without a shape the file had either no segmentation or `segmentation: []`; the importer keeps
  // the latter among the extra fields, so it is written back only where the file had it.
  let segmentation: unknown;
  if (parts.masks.length > 0) {
    const first = parts.masks[0] as MaskAnnotation;
    const rle =
      parts.masks.length + parts.polygons.length === 1
        ? first.rle
        : mergedMask(parts, first.rle.height, first.rle.width);
    const compressed = first.countsFormat === undefined ? ctx.compressRle : first.countsFormat === "string";
    segmentation = rleJson(rle, compressed);
  } else if (parts.polygons.length > 0) {
    segmentation = parts.polygons.map((p) => roundAll(p.points, ctx.precision));
    numeric.listsOfLists.push(segmentation);
  }
  // Fields the record did not have stay out: an unchanged record is written as it was read.
  const body: Obj = segmentation === undefined ? {} : { segmentation };
  if (!leader.omitted?.includes("area") && leader.area !== undefined) body.area = leader.area;
  const box = union(parts.boxes.map((b) => b.bbox));
  if (box) {
    body.bbox = roundAll(box, ctx.precision);
    numeric.lists.push(body.bbox);
  }
  const crowd = leader.attributes.is_crowd;
  if (leader.omitted?.includes("num_keypoints")) delete kp.num_keypoints;
  return finish(
    head,
    Object.assign(body, kp),
    leader,
    ctx,
    crowd === undefined ? undefined : isCrowd(crowd) ? 1 : 0,
  );
}
