import { objectArea } from "../coco/area.js";
import { groupCocoObjects, isCrowdObject } from "../coco/objects.js";
import type { Dataset } from "../model/types.js";
import { type DatasetStats, StatsCollector } from "./stats-collector.js";

/**
 * Counts images, annotations per category and subset, crowd objects, COCO area buckets, images
 * without annotations and keypoint visibility for a dataset in memory. Annotations are counted as
 * COCO objects (all shapes of a group once).
 * @example
 * const stats = computeStats(dataset); // { images: 5000, annotations: 36781, areas: { small: 15038, … }, … }
 */
export function computeStats(dataset: Dataset): DatasetStats {
  const collector = new StatsCollector();
  // An item's position is a unique key even where subsets reuse image ids.
  for (const [imageKey, item] of dataset.items.entries()) {
    collector.addImage(imageKey, item.subset);
    for (const object of groupCocoObjects(item.annotations)) {
      const visibility = object.flatMap((a) => (a.type === "points" ? a.visibility : []));
      const categoryId = object[0]?.categoryId;
      const area = objectArea(object);
      collector.addObject(
        {
          imageKey,
          crowd: isCrowdObject(object),
          visibility,
          ...(categoryId === undefined ? {} : { categoryId }),
          ...(area === undefined ? {} : { area }),
        },
        item.subset,
      );
    }
  }
  return collector.finish(dataset.categories);
}
