import type { Category } from "@cocokit/core";
import { type Kysely, sql, type Transaction } from "kysely";
import { decodeForApi } from "../core-adapter.js";
import { nowIso } from "../db/open.js";
import type { DB } from "../db/schema.js";
import { insertCategories, loadDataset } from "./dataset-rows.js";
import { createImportWriter } from "./import-writer.js";

type Db = Kysely<DB> | Transaction<DB>;

/** A dataset as the API shows it. */
export interface DatasetSummary {
  id: number;
  name: string;
  labels: string[];
  images_count: number;
  annotations_count: number;
  created_at: string;
  updated_at: string;
}

/** Counts of one dataset per subset and per category. */
export interface DatasetStats {
  subsets: { name: string; images: number; annotations: number }[];
  categories: { id: number; name: string; annotations: number }[];
}

/** One image with its annotations, as `GET /items` pages them. */
export interface ItemView {
  id: number;
  subset: string;
  image_id: number;
  file_name: string;
  width: number | null;
  height: number | null;
  /** Where the attached image is served, or null when none is attached. */
  image_url: string | null;
  annotations: unknown[];
}

/** The SQL of datasets and their contents. Every method takes the db or a transaction. */
export function createDatasetsRepository(db: Kysely<DB>) {
  async function summaries(
    rows: { id: number; name: string; created_at: string; updated_at: string }[],
    trx: Db,
  ) {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [labels, images, annotations] = await Promise.all([
      trx
        .selectFrom("categories")
        .select(["dataset_id", "name"])
        .where("dataset_id", "in", ids)
        .orderBy("position")
        .execute(),
      trx
        .selectFrom("images")
        .select(["dataset_id", sql<number>`count(*)`.as("n")])
        .where("dataset_id", "in", ids)
        .groupBy("dataset_id")
        .execute(),
      trx
        .selectFrom("annotations")
        .select(["dataset_id", sql<number>`count(*)`.as("n")])
        .where("dataset_id", "in", ids)
        .groupBy("dataset_id")
        .execute(),
    ]);
    return rows.map(
      (row): DatasetSummary => ({
        ...row,
        labels: labels.filter((l) => l.dataset_id === row.id).map((l) => l.name),
        images_count: images.find((c) => c.dataset_id === row.id)?.n ?? 0,
        annotations_count: annotations.find((c) => c.dataset_id === row.id)?.n ?? 0,
      }),
    );
  }

  return {
    async create(name: string, categories: Category[], trx: Db = db): Promise<DatasetSummary> {
      const now = nowIso();
      const row = await trx
        .insertInto("datasets")
        .values({ name, meta_json: "{}", created_at: now, updated_at: now })
        .returning(["id", "name", "created_at", "updated_at"])
        .executeTakeFirstOrThrow();
      await insertCategories(trx, row.id, categories, 0);
      return (await summaries([row], trx))[0] as DatasetSummary;
    },

    async get(id: number, trx: Db = db): Promise<DatasetSummary | undefined> {
      const row = await trx
        .selectFrom("datasets")
        .select(["id", "name", "created_at", "updated_at"])
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? (await summaries([row], trx))[0] : undefined;
    },

    async list(
      offset: number,
      limit: number,
      trx: Db = db,
    ): Promise<{ count: number; results: DatasetSummary[] }> {
      const rows = await trx
        .selectFrom("datasets")
        .select(["id", "name", "created_at", "updated_at"])
        .orderBy("id")
        .offset(offset)
        .limit(limit)
        .execute();
      const count = await trx
        .selectFrom("datasets")
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow();
      return { count: count.n, results: await summaries(rows, trx) };
    },

    /** True when a dataset was deleted. */
    async delete(id: number, trx: Db = db): Promise<boolean> {
      const result = await trx.deleteFrom("datasets").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async stats(id: number, trx: Db = db): Promise<DatasetStats> {
      const subsets = await trx
        .selectFrom("images as i")
        .select([
          "i.subset as name",
          sql<number>`count(distinct i.id)`.as("images"),
          sql<number>`count(a.id)`.as("annotations"),
        ])
        .leftJoin("annotations as a", "a.image_row", "i.id")
        .where("i.dataset_id", "=", id)
        .groupBy("i.subset")
        .orderBy("i.subset")
        .execute();
      const categories = await trx
        .selectFrom("categories as c")
        .select(["c.category_id as id", "c.name", sql<number>`count(a.id)`.as("annotations")])
        .leftJoin("annotations as a", (join) =>
          join.onRef("a.dataset_id", "=", "c.dataset_id").onRef("a.category_id", "=", "c.category_id"),
        )
        .where("c.dataset_id", "=", id)
        .groupBy(["c.category_id", "c.name", "c.position"])
        .orderBy("c.position")
        .execute();
      return { subsets, categories };
    },

    /** A page of images with their annotations, optionally of one subset or with one category. */
    async items(
      id: number,
      page: { offset: number; limit: number; subset?: string; category?: number },
      trx: Db = db,
    ): Promise<{ count: number; results: ItemView[] }> {
      let query = trx.selectFrom("images").where("dataset_id", "=", id);
      if (page.subset !== undefined) query = query.where("subset", "=", page.subset);
      if (page.category !== undefined) {
        const category = page.category;
        query = query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom("annotations")
              .select("annotations.id")
              .whereRef("annotations.image_row", "=", "images.id")
              .where("annotations.category_id", "=", category),
          ),
        );
      }
      const count = await query.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
      const rows = await query
        .select(["id", "subset", "image_id", "file_name", "width", "height"])
        .orderBy("id")
        .offset(page.offset)
        .limit(page.limit)
        .execute();
      const annotations = rows.length
        ? await trx
            .selectFrom("annotations")
            .select(["image_row", "data_json"])
            .where(
              "image_row",
              "in",
              rows.map((r) => r.id),
            )
            .orderBy("id")
            .execute()
        : [];
      const withImage = new Set(
        rows.length
          ? (
              await trx
                .selectFrom("media")
                .select("image_row")
                .where(
                  "image_row",
                  "in",
                  rows.map((r) => r.id),
                )
                .execute()
            ).map((m) => m.image_row)
          : [],
      );
      return {
        count: count.n,
        results: rows.map((row) => ({
          ...row,
          image_url: withImage.has(row.id) ? `/api/datasets/${id}/items/${row.id}/image` : null,
          annotations: annotations
            .filter((a) => a.image_row === row.id)
            .map((a) => decodeForApi(a.data_json)),
        })),
      };
    },

    /** True when the item (an `images.id`) belongs to the dataset. */
    async hasItem(id: number, itemId: number, trx: Db = db): Promise<boolean> {
      const row = await trx
        .selectFrom("images")
        .select("id")
        .where("dataset_id", "=", id)
        .where("id", "=", itemId)
        .executeTakeFirst();
      return row !== undefined;
    },

    importWriter: createImportWriter,
    load: (id: number, trx: Db = db) => loadDataset(db, id, trx),
  };
}

/** The datasets repository's methods. */
export type DatasetsRepository = ReturnType<typeof createDatasetsRepository>;
