import { recordArea } from "../coco/area.js";
import { iscrowdOfRecord } from "../coco/crowd.js";
import type { JsonRecord } from "../json/records.js";
import { type DatasetStats, StatsCollector } from "./stats-collector.js";

/** Options of `computeStatsFromRecords`. */
export interface RecordStatsOptions {
  /** The subset the file stands for (`val2017` for `instances_val2017.json`). Default `default`. */
  subset?: string;
}

/**
 * Takes the same counts as `computeStats` straight from the records of one COCO JSON file
 * (`scanRecords`), without building the model: memory grows with the number of images, not with
 * the size of the file. Records that are not objects of the expected shape are skipped (validation
 * reports them); an annotation's area is `recordArea`'s.
 * @example
 * const stats = await computeStatsFromRecords(scanRecords(createReadStream(path)), { subset: "val2017" });
 */
export async function computeStatsFromRecords(
  records: AsyncIterable<JsonRecord> | Iterable<JsonRecord>,
  options: RecordStatsOptions = {},
): Promise<DatasetStats> {
  const subset = options.subset ?? "default";
  const collector = new StatsCollector();
  const categories: { id: number; name: string }[] = [];
  for await (const { key, value } of records) {
    if (typeof value !== "object" || value === null) continue;
    const record = value as Record<string, unknown>;
    if (key === "images" && typeof record.id === "number") {
      collector.addImage(record.id, subset);
    } else if (key === "categories" && typeof record.id === "number") {
      categories.push({
        id: record.id,
        name: typeof record.name === "string" ? record.name : String(record.id),
      });
    } else if (key === "annotations" && typeof record.image_id === "number") {
      const area = recordArea(record);
      collector.addObject(
        {
          imageKey: record.image_id,
          crowd: iscrowdOfRecord(record.iscrowd),
          visibility: keypointVisibility(record.keypoints),
          ...(typeof record.category_id === "number" ? { categoryId: record.category_id } : {}),
          ...(area === undefined ? {} : { area }),
        },
        subset,
      );
    }
  }
  return collector.finish(categories);
}

// COCO keypoints are [x, y, v, x, y, v, …]; every third value is the visibility flag.
function keypointVisibility(keypoints: unknown): number[] {
  if (!Array.isArray(keypoints)) return [];
  const out: number[] = [];
  for (let i = 2; i < keypoints.length; i += 3) out.push(keypoints[i] as number);
  return out;
}
