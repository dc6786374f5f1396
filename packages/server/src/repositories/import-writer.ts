import type { Annotation, Category } from "@cocokit/core";
import type { Transaction } from "kysely";
import { type DatasetMeta, decodeModel, type ItemRow } from "../core-adapter.js";
import { nowIso } from "../db/open.js";
import type { DB } from "../db/schema.js";
import { BATCH, insertAnnotations, insertCategories, insertItems } from "./dataset-rows.js";

/** Stores a streamed import batch by batch, inside the caller's one transaction. */
export interface ImportWriter {
  /** First: empties the dataset (`replace`) or adds the new categories (`append`). */
  head(meta: DatasetMeta, categories: Category[]): Promise<void>;
  /** Images, in any number of batches; returns how many were stored so far. */
  items(rows: ItemRow[]): Promise<number>;
  /** Annotations of images stored before (same subset); returns how many were stored so far. */
  annotations(subset: string, records: { imageId: number; annotations: Annotation[] }[]): Promise<number>;
}

/**
 * A writer of one import into `datasetId`. `replace` empties the dataset first and takes the
 * file's categories (keeping the dataset's other labels after them); `append` adds items and new
 * categories (an image id the subset already has fails the unique index). Use inside one
 * transaction so a failure leaves the dataset as it was.
 */
export function createImportWriter(
  trx: Transaction<DB>,
  datasetId: number,
  mode: "replace" | "append",
): ImportWriter {
  // The row of each image this import stored, by subset and COCO id: annotations come after
  // every image of their file, and hold only the COCO id. A number per image, not the image.
  const rowOf = new Map<string, Map<number, number>>();
  let images = 0;
  let annotations = 0;
  return {
    async head(meta, categories) {
      const existing = await trx
        .selectFrom("categories")
        .select(["category_id", "name", "data_json"])
        .where("dataset_id", "=", datasetId)
        .orderBy("position")
        .execute();
      if (mode === "replace") {
        const imported = new Set(categories.map((c) => c.id));
        await trx.deleteFrom("annotations").where("dataset_id", "=", datasetId).execute();
        await trx.deleteFrom("images").where("dataset_id", "=", datasetId).execute();
        await trx.deleteFrom("categories").where("dataset_id", "=", datasetId).execute();
        const kept = existing
          .filter((c) => !imported.has(c.category_id))
          .map((c) => decodeModel<Category>(c.data_json));
        await insertCategories(trx, datasetId, [...categories, ...kept], 0);
        await trx
          .updateTable("datasets")
          .set({ meta_json: JSON.stringify(meta), updated_at: nowIso() })
          .where("id", "=", datasetId)
          .execute();
      } else {
        const known = new Set(existing.map((c) => c.category_id));
        await insertCategories(
          trx,
          datasetId,
          categories.filter((c) => !known.has(c.id)),
          existing.length,
        );
        await trx.updateTable("datasets").set({ updated_at: nowIso() }).where("id", "=", datasetId).execute();
      }
    },

    async items(rows) {
      for (let start = 0; start < rows.length; start += BATCH) {
        const part = rows.slice(start, start + BATCH);
        const ids = await insertItems(trx, datasetId, part);
        for (const [i, row] of part.entries()) {
          let bySubset = rowOf.get(row.subset);
          if (!bySubset) {
            bySubset = new Map();
            rowOf.set(row.subset, bySubset);
          }
          bySubset.set(row.imageId, ids[i] as number);
          annotations += row.annotations.length;
        }
      }
      images += rows.length;
      return images;
    },

    async annotations(subset, records) {
      const bySubset = rowOf.get(subset);
      const values = records.flatMap(({ imageId, annotations: shapes }) => {
        const imageRow = bySubset?.get(imageId);
        // Core yields an annotation only after its image; one without is a bug, not bad input.
        if (imageRow === undefined)
          throw new Error(
            `expected image ${imageId} of subset ${subset} stored before its annotations, found none`,
          );
        return shapes.map((annotation) => ({ imageRow, annotation }));
      });
      await insertAnnotations(trx, datasetId, values);
      annotations += values.length;
      return annotations;
    },
  };
}
