import type { Annotation, Category, Item } from "@cocokit/core";
import { type Kysely, type SqlBool, sql } from "kysely";
import { type DatasetMeta, decodeModel } from "../core-adapter.js";
import { jsonSql } from "../db/dialect.js";
import type { DB } from "../db/schema.js";

/** Rows per batch a streamed export reads and hands on: small, so a cancel is seen at once. */
export const EXPORT_BATCH = 500;

/** What the stored annotations of one subset and task say about how an export must order them. */
export interface TaskSummary {
  /** The stored subset name (`""` included). */
  subset: string;
  /** The task the annotations were read from; null for annotations made without one. */
  task: string | null;
  count: number;
  /** True when every one came from the `annotations` list of one source file (they are written in its order). */
  oneSource: boolean;
  /** Their source file (one of them, when they came from several). */
  file: string | null;
  /** True when their rowid order never steps back in source index (then it is their source's order). */
  rowOrdered: boolean;
  /** Annotations with id 0 (new ids follow the file's largest, which needs the whole file). */
  zeroIds: number;
  /** The distinct category ids they use. */
  categoryIds: number[];
}

/**
 * The order a task file's annotations are written in: by image, or their source file's order,
 * read by rowid (`rows`, when that is the source's order) or sorted by source index (`source`).
 */
export type AnnotationOrder = "image" | "rows" | "source";

/** One image's annotations as they are handed to core's record writer. */
export interface ImageAnnotationsRow {
  imageId: number;
  annotations: Annotation[];
}

/**
 * The reads of a streamed export, in image order and in batches (kysely's `stream`: better-sqlite3's
 * `iterate`, or a PostgreSQL cursor on a pooled connection of its own), so memory holds one batch,
 * never the dataset. Each generator must be read to its end (or returned) before the next is
 * started: SQLite's connection is one.
 */
export function createExportRows(db: Kysely<DB>, datasetId: number) {
  const json = jsonSql(db as Kysely<unknown>);
  const text = (...path: string[]) => json.text("a.data_json", path);
  const num = (...path: string[]) => json.number("a.data_json", path);
  const docText = (...path: string[]) => json.parsedText("doc", path);
  const docNum = (...path: string[]) => json.parsedNumber("doc", path);
  const ofTask = (task: string) => sql<SqlBool>`(${text("task")} = ${task} or ${text("task")} is null)`;

  return {
    async head(): Promise<{ meta: DatasetMeta; categories: Category[] }> {
      const dataset = await db
        .selectFrom("datasets")
        .select("meta_json")
        .where("id", "=", datasetId)
        .executeTakeFirstOrThrow();
      const categories = await db
        .selectFrom("categories")
        .select("data_json")
        .where("dataset_id", "=", datasetId)
        .orderBy("position")
        .execute();
      return {
        meta: JSON.parse(dataset.meta_json),
        categories: categories.map((c) => decodeModel(c.data_json)),
      };
    },

    /** Stored subsets in order of their first image (the order the whole-dataset export writes them), with counts. */
    async subsets(): Promise<{ subset: string; images: number }[]> {
      return db
        .selectFrom("images")
        .select(["subset", sql<number>`count(*)`.as("images")])
        .where("dataset_id", "=", datasetId)
        .groupBy("subset")
        .orderBy(sql`min(id)`)
        .execute();
    },

    /**
     * Per subset and task, in one pass: counts, whether the annotations come from one source file
     * and whether their rowid order is its order (rows are stored as they were read, so usually),
     * id-0 ones and the categories used.
     */
    async taskSummaries(): Promise<TaskSummary[]> {
      const { rows } = await sql<{
        subset: string;
        task: string | null;
        count: number;
        files: number;
        file: string | null;
        unlisted: number;
        zeroIds: number;
        unordered: number;
        categories: string | null;
      }>`select subset, task, count(*) as count, count(distinct file) as files, min(file) as file,
          sum(case when coalesce(list, '') != 'annotations' then 1 else 0 end) as unlisted,
          sum(case when aid = 0 then 1 else 0 end) as "zeroIds",
          sum(case when idx < prev then 1 else 0 end) as unordered,
          ${json.joinDistinct(sql`category_id`)} as categories
        from (
          select subset, ${docText("task")} as task, ${docText("source", "file")} as file,
            ${docText("source", "list")} as list, ${docNum("id")} as aid, category_id,
            ${docNum("source", "index")} as idx,
            lag(${docNum("source", "index")}) over (partition by subset, ${docText("task")} order by id) as prev
          from (
            select a.id as id, i.subset as subset, a.category_id as category_id, ${json.parse("a.data_json")} as doc
            from annotations a join images i on i.id = a.image_row
            where a.dataset_id = ${datasetId} ${json.fence}
          ) as parsed
        ) as stored
        group by subset, task`.execute(db);
      return rows.map((r) => ({
        subset: r.subset,
        task: r.task,
        count: r.count,
        oneSource: r.files === 1 && r.unlisted === 0,
        file: r.file,
        rowOrdered: (r.unordered ?? 0) === 0,
        zeroIds: r.zeroIds,
        categoryIds: r.categories === null ? [] : r.categories.split(",").map(Number),
      }));
    },

    /** A subset's images whose annotations include ones without a task, with those annotations only. */
    async *untaskedItems(subset: string): AsyncGenerator<Item> {
      const rows = db
        .selectFrom("annotations as a")
        .innerJoin("images as i", "i.id", "a.image_row")
        .select(["a.image_row", "i.data_json as item_json", "a.data_json"])
        .where("a.dataset_id", "=", datasetId)
        .where("i.subset", "=", subset)
        .where(text("task"), "is", null)
        .orderBy("a.image_row")
        .orderBy("a.id")
        .stream(EXPORT_BATCH);
      let current: { row: number; item: Item } | undefined;
      for await (const r of rows) {
        if (current?.row !== r.image_row) {
          if (current) yield current.item;
          current = { row: r.image_row, item: { ...decodeModel<Item>(r.item_json), annotations: [] } };
        }
        current.item.annotations.push(decodeModel(r.data_json));
      }
      if (current) yield current.item;
    },

    /** A subset's images in order, `EXPORT_BATCH` at a time (without their annotations). */
    async *images(subset: string): AsyncGenerator<Item[]> {
      let batch: Item[] = [];
      const rows = db
        .selectFrom("images")
        .select("data_json")
        .where("dataset_id", "=", datasetId)
        .where("subset", "=", subset)
        .orderBy("id")
        .stream(EXPORT_BATCH);
      for await (const r of rows) {
        batch.push({ ...decodeModel<Item>(r.data_json), annotations: [] });
        if (batch.length === EXPORT_BATCH) {
          yield batch;
          batch = [];
          await nextTurn();
        }
      }
      if (batch.length > 0) yield batch;
    },

    /**
     * A subset's annotations of `task` (and those without a task) as records of one image, `EXPORT_BATCH` annotations at a time: in
     * image order (each image's annotations together, so its groups are whole), or (`rows`,
     * `source`) in their source file's order, the order the whole-dataset export restores for a
     * file read from one source (ties keep image order), each source record on its own.
     */
    async *annotations(
      subset: string,
      task: string,
      order: AnnotationOrder,
    ): AsyncGenerator<ImageAnnotationsRow[]> {
      const query = db
        .selectFrom("annotations as a")
        .innerJoin("images as i", "i.id", "a.image_row")
        .select(["a.image_row", "i.image_id", "a.data_json", num("source", "index").as("idx")])
        .where("a.dataset_id", "=", datasetId)
        .where("i.subset", "=", subset)
        // An annotation read from a file goes to that file's task; one without a task is placed by
        // core (by its kind and group), so it is always handed on.
        .where(ofTask(task));
      const sorted =
        order === "source"
          ? query
              .orderBy(sql`idx`, (ob) => ob.asc().nullsFirst())
              .orderBy("a.image_row")
              .orderBy("a.id")
          : order === "rows"
            ? query.orderBy("a.id")
            : query.orderBy("a.image_row").orderBy("a.id");
      const rows = sorted.stream(EXPORT_BATCH);
      let batch: ImageAnnotationsRow[] = [];
      let size = 0;
      let key: string | undefined;
      for await (const r of rows) {
        const k = order === "image" ? `${r.image_row}` : `${r.image_row}:${r.idx}`;
        if (k !== key) {
          if (size >= EXPORT_BATCH) {
            yield batch;
            batch = [];
            size = 0;
            await nextTurn();
          }
          batch.push({ imageId: r.image_id, annotations: [] });
          key = k;
        }
        (batch[batch.length - 1] as ImageAnnotationsRow).annotations.push(decodeModel(r.data_json));
        size++;
      }
      if (batch.length > 0) yield batch;
    },
  };
}

/**
 * better-sqlite3 reads synchronously and kysely's stream hands rows on as microtasks: without a
 * turn of the event loop between batches, the job's thread would not see a cancel message until
 * the export ends.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The reads of one dataset's streamed export. */
export type ExportRows = ReturnType<typeof createExportRows>;
