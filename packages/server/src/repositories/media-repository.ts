import type { Kysely, Selectable, Transaction } from "kysely";
import type { DB, MediaTable } from "../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

/** An attached image as stored. */
export type MediaRow = Selectable<MediaTable>;

/** An image row as a media job matches it: its row id, COCO ids and file name. */
export interface ImageRef {
  row: number;
  subset: string;
  imageId: number;
  fileName: string;
  width: number | null;
  height: number | null;
}

/** The SQL of attached images. Every method takes the db or a transaction. */
export function createMediaRepository(db: Kysely<DB>) {
  return {
    /** Every image of a dataset, without annotations: what matching needs. */
    async images(datasetId: number, trx: Db = db): Promise<ImageRef[]> {
      const rows = await trx
        .selectFrom("images")
        .select(["id", "subset", "image_id", "file_name", "width", "height"])
        .where("dataset_id", "=", datasetId)
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        row: r.id,
        subset: r.subset,
        imageId: r.image_id,
        fileName: r.file_name,
        width: r.width,
        height: r.height,
      }));
    },

    /**
     * Attaches files to items, replacing what they had; returns the paths of the replaced files
     * (to remove once the transaction committed). Sizes read from headers fill missing ones.
     */
    async attach(rows: (MediaRow & { width?: number; height?: number })[], trx: Db = db): Promise<string[]> {
      const replaced: string[] = [];
      for (const { width, height, ...row } of rows) {
        const old = await trx
          .selectFrom("media")
          .select("path")
          .where("image_row", "=", row.image_row)
          .executeTakeFirst();
        if (old && old.path !== row.path) replaced.push(old.path);
        await trx
          .insertInto("media")
          .values(row)
          .onConflict((oc) => oc.column("image_row").doUpdateSet(row))
          .execute();
        if (width !== undefined && height !== undefined)
          await trx
            .updateTable("images")
            .set({ width, height })
            .where("id", "=", row.image_row)
            .where("width", "is", null)
            .execute();
      }
      return replaced;
    },

    /** The stored paths of a dataset's attached images. */
    async paths(datasetId: number, trx: Db = db): Promise<string[]> {
      const rows = await trx.selectFrom("media").select("path").where("dataset_id", "=", datasetId).execute();
      return rows.map((r) => r.path);
    },

    /** The image attached to an item of a dataset. */
    async get(datasetId: number, imageRow: number, trx: Db = db): Promise<MediaRow | undefined> {
      return trx
        .selectFrom("media")
        .selectAll()
        .where("dataset_id", "=", datasetId)
        .where("image_row", "=", imageRow)
        .executeTakeFirst();
    },
  };
}

/** The media repository's methods. */
export type MediaRepository = ReturnType<typeof createMediaRepository>;
