import { decode, merge, type Rle, area as rleArea, toBbox } from "@cocokit/rle";
import { encode as encodePng } from "fast-png";
import { isCrowd } from "../coco/crowd.js";
import type { Annotation, Item, MaskAnnotation } from "../model/types.js";
import { withExtension } from "./coco-attributes.js";
import type { ExportOptions } from "./export-options.js";
import { isUnchanged, withExtra } from "./instance.js";
import type { PlannedAnnotation } from "./plan.js";

type Obj = Record<string, unknown>;

/** The PNG of an item's segments: `<file name without extension>.png`, COCO's panoptic convention. */
export function panopticPngName(item: Item): string {
  return withExtension(item.image.fileName, ".png");
}

function masksOf(members: readonly Annotation[]): MaskAnnotation[] {
  return members.filter((a): a is MaskAnnotation => a.type === "mask");
}

function maskOf(members: readonly Annotation[]): Rle | undefined {
  const masks = masksOf(members).map((m) => m.rle);
  return masks.length <= 1 ? masks[0] : merge(masks);
}

/** Segment ids of an item: kept, 0 → above the item's largest; 1…N with `reindex`. */
function segmentIds(segments: readonly PlannedAnnotation[], reindex: boolean): number[] {
  if (reindex) return segments.map((_s, i) => i + 1);
  let max = 0;
  for (const s of segments) max = Math.max(max, s.id);
  return segments.map((s) => (s.id === 0 ? ++max : s.id));
}

/**
 * The `annotations[]` entry of a panoptic file for one item: `{image_id, file_name, segments_info}`.
 * Unchanged segments (import's `unchanged` mark) keep their `area`, `bbox` and `iscrowd`, and their
 * extra fields win; new or edited ones get the pixel area, the pycocotools box of the mask and
 * `iscrowd` from `is_crowd`, and extra fields never override those.
 */
export function panopticRecord(
  item: Item,
  imageId: number,
  segments: readonly PlannedAnnotation[],
  options: ExportOptions,
  relabel: (categoryId: number) => number = (id) => id,
): Obj {
  const ids = segmentIds(segments, options.reindex === true);
  const info: Obj[] = [];
  segments.forEach((s, i) => {
    const first = s.members[0] as Annotation;
    const rle = maskOf(s.members);
    const box = s.members.find((a) => a.type === "bbox");
    const unchanged = isUnchanged(s.members);
    const seg: Obj = { id: ids[i], category_id: relabel(first.categoryId ?? 0) };
    seg.area = unchanged && first.area !== undefined ? first.area : rle ? rleArea(rle) : 0;
    if (box?.type === "bbox") seg.bbox = box.bbox;
    else if (!unchanged && rle) seg.bbox = toBbox(rle);
    const crowd = first.attributes.is_crowd;
    if (crowd !== undefined || !unchanged) seg.iscrowd = isCrowd(crowd) ? 1 : 0;
    info.push(withExtra(seg, first));
  });
  return { image_id: imageId, file_name: panopticPngName(item), segments_info: info };
}

/**
 * The PNG of an item's segments: RGB, each pixel holding its segment id (R = id & 255,
 * G = id >> 8 & 255, B = id >> 16 & 255), later segments painted over earlier ones; 0 = none.
 */
export function panopticPng(
  item: Item,
  segments: readonly PlannedAnnotation[],
  reindex: boolean,
): Uint8Array {
  const ids = segmentIds(segments, reindex);
  const masks = segments.map((s) => maskOf(s.members));
  const present = masks.filter((m): m is Rle => m !== undefined);
  const first = present[0];
  // Masks that all share one size (read from one PNG) keep it, even when it is not the image's:
  // the PNG is written back as it was read. Otherwise the image's size.
  const shared = first && present.every((m) => m.height === first.height && m.width === first.width);
  const h = (shared ? first.height : item.image.height) ?? first?.height ?? 0;
  const w = (shared ? first.width : item.image.width) ?? first?.width ?? 0;
  const rgb = new Uint8Array(h * w * 3);
  masks.forEach((rle, i) => {
    if (!rle || rle.height !== h || rle.width !== w) return;
    const id = ids[i] as number;
    const pixels = decode(rle); // column-major
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        if (pixels[x * h + y] !== 1) continue;
        const o = (y * w + x) * 3;
        rgb[o] = id & 255;
        rgb[o + 1] = (id >> 8) & 255;
        rgb[o + 2] = (id >> 16) & 255;
      }
    }
  });
  return encodePng({ width: w, height: h, data: rgb, channels: 3, depth: 8 });
}
