import type { Annotation, Category } from "@cocokit/core";
import { type Kysely, sql, type Transaction } from "kysely";
import { type DatasetMeta, decodeModel, encodeModel, type ItemRow } from "../core-adapter.js";
import { isPostgres } from "../db/dialect.js";
import type { DB } from "../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

// Rows per INSERT: with at most 8 columns, far below SQLite's 32,766 and PostgreSQL's 65,535
// bound parameters, large enough to amortise a statement.
export const BATCH = 500;

/** Everything export needs to rebuild the dataset. */
export async function loadDataset(
  db: Kysely<DB>,
  id: number,
  trx: Db = db,
): Promise<{ meta: DatasetMeta; categories: Category[]; items: ItemRow[] }> {
  const dataset = await trx
    .selectFrom("datasets")
    .select("meta_json")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const categories = await trx
    .selectFrom("categories")
    .select("data_json")
    .where("dataset_id", "=", id)
    .orderBy("position")
    .execute();
  const images = await trx
    .selectFrom("images")
    .leftJoin("media", "media.image_row", "images.id")
    .select([
      "images.id",
      "images.subset",
      "images.image_id",
      "images.file_name",
      "images.data_json",
      "images.width",
      "images.height",
      "media.path as media_path",
      "media.size as media_size",
    ])
    .where("images.dataset_id", "=", id)
    .orderBy("images.id")
    .execute();
  const annotations = await trx
    .selectFrom("annotations")
    .select(["image_row", "data_json"])
    .where("dataset_id", "=", id)
    .orderBy("id")
    .execute();
  const byImage = new Map<number, ItemRow>();
  const items = images.map((row) => {
    const item: ItemRow = {
      subset: row.subset,
      imageId: row.image_id,
      fileName: row.file_name,
      item: withMedia(decodeModel(row.data_json), row),
      annotations: [],
    };
    byImage.set(row.id, item);
    return item;
  });
  for (const a of annotations) byImage.get(a.image_row)?.annotations.push(decodeModel(a.data_json));
  return {
    meta: JSON.parse(dataset.meta_json),
    categories: categories.map((c) => decodeModel(c.data_json)),
    items,
  };
}

/** An attached image becomes the item's `media` (its stored path), and sizes read from it fill missing ones. */
function withMedia(
  item: ItemRow["item"],
  row: { media_path: string | null; media_size: number | null; width: number | null; height: number | null },
): ItemRow["item"] {
  if (row.media_path === null) return item;
  const image = { ...item.image };
  if (image.width === undefined && row.width !== null) image.width = row.width;
  if (image.height === undefined && row.height !== null) image.height = row.height;
  const media =
    row.media_size === null ? { path: row.media_path } : { path: row.media_path, size: row.media_size };
  return { ...item, image, media } as ItemRow["item"];
}

export async function insertCategories(
  trx: Db,
  datasetId: number,
  categories: Category[],
  from: number,
): Promise<void> {
  for (let start = 0; start < categories.length; start += BATCH)
    await trx
      .insertInto("categories")
      .values(
        categories.slice(start, start + BATCH).map((c, i) => ({
          dataset_id: datasetId,
          category_id: c.id,
          position: from + start + i,
          name: c.name,
          data_json: encodeModel(c),
        })),
      )
      .execute();
}

/**
 * Row ids for `count` new images, ascending. They are given explicitly because neither database
 * promises RETURNING rows in insertion order. SQLite: the ids after the largest ever used, called
 * after the transaction's first write, so no other connection can take ids meanwhile. PostgreSQL:
 * taken from the column's sequence, so concurrent imports never share one (they need not be
 * consecutive).
 */
export async function newImageIds(trx: Db, count: number): Promise<number[]> {
  if (isPostgres(trx as Kysely<unknown>)) {
    const { rows } = await sql<{
      id: number;
    }>`select nextval(pg_get_serial_sequence('images', 'id'))::integer as id from generate_series(1, ${count})`.execute(
      trx,
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }
  const row = await sql<{
    n: number;
  }>`select max(coalesce((select seq from sqlite_sequence where name = 'images'), 0), coalesce((select max(id) from images), 0)) as n`.execute(
    trx,
  );
  const first = (row.rows[0]?.n ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Inserts items and their annotations; returns the row id of each item, in order. */
export async function insertItems(trx: Db, datasetId: number, items: ItemRow[]): Promise<number[]> {
  if (items.length === 0) return [];
  const ids = await newImageIds(trx, items.length);
  const idOf = (i: number) => ids[i] as number;
  await trx
    .insertInto("images")
    .values(
      items.map((row, i) => ({
        id: idOf(i),
        dataset_id: datasetId,
        subset: row.subset,
        image_id: row.imageId,
        file_name: row.fileName,
        width: row.width ?? null,
        height: row.height ?? null,
        data_json: encodeModel(row.item),
      })),
    )
    .execute();
  await insertAnnotations(
    trx,
    datasetId,
    items.flatMap((row, i) => row.annotations.map((a) => ({ imageRow: idOf(i), annotation: a }))),
  );
  return ids;
}

/** Stores annotations as rows of their image's row, `BATCH` per statement. */
export async function insertAnnotations(
  trx: Db,
  datasetId: number,
  annotations: readonly { imageRow: number; annotation: Annotation }[],
): Promise<void> {
  for (let start = 0; start < annotations.length; start += BATCH)
    await trx
      .insertInto("annotations")
      .values(
        annotations.slice(start, start + BATCH).map(({ imageRow, annotation }) => ({
          dataset_id: datasetId,
          image_row: imageRow,
          category_id: annotation.categoryId ?? null,
          data_json: encodeModel(annotation),
        })),
      )
      .execute();
}
