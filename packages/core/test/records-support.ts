import type { Dataset, Item } from "../src/model/types.js";
import type { RecordBatch } from "../src/records/record-batch.js";
import type { Report } from "../src/report/report.js";

/** Everything a record stream gave, gathered into a Dataset (for comparison with importDataset's). */
export async function gather(
  batches: AsyncIterable<RecordBatch>,
): Promise<{ dataset: Dataset; report: Report }> {
  const dataset: Dataset = { categories: [], items: [] };
  const bySubset = new Map<string, Map<number, Item>>();
  let report: Report | undefined;
  for await (const batch of batches) {
    if (batch.kind === "dataset") {
      dataset.categories = batch.categories;
      dataset.sourceFiles = batch.sourceFiles;
      if (batch.info) dataset.info = batch.info;
      if (batch.licenses) dataset.licenses = batch.licenses;
      if (batch.extra) dataset.extra = batch.extra;
    } else if (batch.kind === "images") {
      for (const item of batch.records) {
        dataset.items.push(item);
        const map = bySubset.get(batch.subset) ?? new Map<number, Item>();
        map.set(item.id, item);
        bySubset.set(batch.subset, map);
      }
    } else if (batch.kind === "annotations") {
      for (const r of batch.records)
        bySubset
          .get(batch.subset)
          ?.get(r.imageId)
          ?.annotations.push(...r.annotations);
    } else if (batch.kind === "end") report = batch.report;
  }
  if (!report) throw new Error("no end batch");
  return { dataset, report };
}

/** The issues as a sorted list of code, file and pointer: the reader finds them in another order. */
export function issueKeys(report: Report): string[] {
  return report.issues.map((i) => `${i.code} ${i.file ?? ""}#${i.pointer} ${i.severity}`).sort();
}
