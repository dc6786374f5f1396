// The stats view's counts: COCO annotations (whole objects, as the file lists them, so the totals
// match the status line) per category, per subset, and per COCO area range. One pass.
import { type Dataset, groupCocoObjects } from "@cocokit/core";

/** COCOeval's area ranges: small is area < 32², medium < 96², large the rest. */
export const AREA_SMALL = 32 ** 2;
export const AREA_MEDIUM = 96 ** 2;

export type AreaRange = "small" | "medium" | "large";

/** One bar: a label, its count, and a key tests and styles can use. */
export interface Bar {
  key: string;
  label: string;
  value: number;
}

export interface DatasetStats {
  /** Every category of the dataset in its order (zero counts included), then "no category". */
  categories: Bar[];
  /** Subsets in their first-seen order: annotations, and images as `images`. */
  subsets: (Bar & { images: number })[];
  /** small, medium, large, then "no area" when some annotation has neither area nor box. */
  areas: Bar[];
}

/** The COCO area range of an area (COCOeval's bounds: [0, 32²), [32², 96²), [96², ∞)). */
export function areaRange(area: number): AreaRange {
  return area < AREA_SMALL ? "small" : area < AREA_MEDIUM ? "medium" : "large";
}

/**
 * Counts a dataset's COCO annotations. An annotation's area is its `area` field (what COCOeval
 * buckets by), else its box's width × height.
 */
export function computeStats(dataset: Dataset): DatasetStats {
  const byCategory = new Map<number, number>();
  let noCategory = 0;
  const bySubset = new Map<string, { images: number; annotations: number }>();
  const areas = { small: 0, medium: 0, large: 0 };
  let noArea = 0;
  for (const item of dataset.items) {
    let subset = bySubset.get(item.subset);
    if (!subset) {
      subset = { images: 0, annotations: 0 };
      bySubset.set(item.subset, subset);
    }
    subset.images += 1;
    for (const shapes of groupCocoObjects(item.annotations)) {
      const first = shapes[0]!;
      subset.annotations += 1;
      if (first.categoryId === undefined) noCategory += 1;
      else byCategory.set(first.categoryId, (byCategory.get(first.categoryId) ?? 0) + 1);
      const box = shapes.find((s) => s.type === "bbox");
      const area =
        shapes.find((s) => s.area !== undefined)?.area ??
        (box?.type === "bbox" ? box.bbox[2] * box.bbox[3] : undefined);
      if (area === undefined) noArea += 1;
      else areas[areaRange(area)] += 1;
    }
  }
  const categories: Bar[] = dataset.categories.map((c) => ({
    key: String(c.id),
    label: c.name,
    value: byCategory.get(c.id) ?? 0,
  }));
  const known = new Set(dataset.categories.map((c) => c.id));
  for (const [id, value] of byCategory)
    if (!known.has(id)) categories.push({ key: String(id), label: `#${id}`, value });
  if (noCategory > 0) categories.push({ key: "none", label: "no category", value: noCategory });
  return {
    categories,
    subsets: [...bySubset].map(([name, s]) => ({
      key: name,
      label: name,
      value: s.annotations,
      images: s.images,
    })),
    areas: [
      { key: "small", label: "small (< 32²)", value: areas.small },
      { key: "medium", label: "medium (< 96²)", value: areas.medium },
      { key: "large", label: "large", value: areas.large },
      ...(noArea > 0 ? [{ key: "none", label: "no area", value: noArea }] : []),
    ],
  };
}
