// What the page derives once per opened dataset: per-image object counts and the status line.
import type { Category, Dataset } from "@cocokit/core";
import { groupCocoObjects } from "@cocokit/core";
import { subsetsOf } from "./filter.js";

export interface DatasetSummary {
  /** COCO annotations per image, by position in `dataset.items`. */
  objectCounts: number[];
  images: number;
  annotations: number;
  categories: Map<number, Category>;
  /** The subsets, in the order they first appear. */
  subsets: string[];
}

export function summarize(dataset: Dataset): DatasetSummary {
  const objectCounts = dataset.items.map((item) => groupCocoObjects(item.annotations).length);
  return {
    objectCounts,
    images: dataset.items.length,
    annotations: objectCounts.reduce((a, b) => a + b, 0),
    categories: new Map(dataset.categories.map((c) => [c.id, c])),
    subsets: subsetsOf(dataset.items),
  };
}

/** The status line once loaded: exactly "N images, M annotations". */
export function statusLine(summary: Pick<DatasetSummary, "images" | "annotations">): string {
  return `${summary.images} images, ${summary.annotations} annotations`;
}
