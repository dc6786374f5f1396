import { CocokitError, type Report } from "@cocokit/core";
import { streamDatasetFile } from "../../core-adapter.js";
import { type Processor, throwIfAborted, yieldToEvents } from "./context.js";

/** What an import job was asked to do. */
export interface ImportParams {
  /** The uploaded file under the data folder. */
  input_path: string;
  name: string;
  mode: "replace" | "append";
}

/**
 * Streams the uploaded file's rows into the store batch by batch, and writes the job's
 * `finished` row, all in one transaction: a failed, cancelled or interrupted import (strict
 * validation fails after the last batch) leaves the dataset exactly as it was, and memory never
 * holds the whole dataset.
 */
export const importCoco: Processor = async ({
  job,
  db,
  datasets,
  jobs,
  signal,
  progress,
  resultTtlHours,
}) => {
  const params = JSON.parse(job.params_json) as ImportParams;
  const datasetId = job.dataset_id as number;
  try {
    await db.transaction().execute(async (trx) => {
      // Write first: it takes the write lock now. A transaction that read first would fail with
      // SQLITE_BUSY_SNAPSHOT when the API thread writes progress before our first write. The
      // lock is held while the file is read: the API thread's progress writes skip meanwhile
      // (its reads see `live`), as they did while the old import stored its rows. In PostgreSQL
      // the write locks the job's row only, and those progress writes skip the same way.
      await jobs.setProgress(job.id, 0, "read", trx);
      const writer = datasets.importWriter(trx, datasetId, params.mode);
      let images = 0;
      let annotations = 0;
      let categories = 0;
      let end: { report: Report; layout: string } | undefined;
      for await (const batch of streamDatasetFile(params.input_path, {
        name: params.name,
        signal,
        onProgress: progress,
      })) {
        if (batch.kind === "head") {
          categories = batch.categories.length;
          await writer.head(batch.meta, batch.categories);
        } else if (batch.kind === "items") images = await writer.items(batch.rows);
        else if (batch.kind === "annotations")
          annotations = await writer.annotations(batch.subset, batch.records);
        else end = batch;
        // Between synchronous database batches, let a cancel message reach the worker.
        await yieldToEvents();
        throwIfAborted(signal);
      }
      if (!end) throw new Error("expected the import's report at the end of its batches, found none");
      progress({ phase: "store", done: 1, total: 1, unit: "files" });
      // Warnings are part of the import's report.
      await jobs.addIssues(job.id, end.report.issues, trx);
      const finished = await jobs.finish(
        job.id,
        {
          json: {
            images,
            annotations,
            categories,
            layout: end.layout,
            warnings: end.report.warningCount,
          },
          issues_count: end.report.issues.length,
          ttlHours: resultTtlHours,
        },
        trx,
      );
      // Another connection moved the job (a shutdown marked it interrupted): keep nothing.
      if (!finished)
        throw new CocokitError("aborted", "expected the job to be running, found it stopped (interrupted)");
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CocokitError(
        "duplicate_image_id",
        "expected image ids that the dataset does not have yet (append mode), found an id it already has in the same subset; import with mode=replace",
      );
    throw error;
  }
};

/** A unique index refused a row: SQLite's code, or PostgreSQL's SQLSTATE `unique_violation`. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}
