import { CocokitError } from "@cocokit/core";
import { readDatasetFile } from "../../core-adapter.js";
import { type Processor, throwIfAborted, yieldToEvents } from "./context.js";

/** What an import job was asked to do. */
export interface ImportParams {
  /** The uploaded file under the data folder. */
  input_path: string;
  name: string;
  mode: "replace" | "append";
}

/**
 * Reads the uploaded file, then stores its rows and the job's `finished` row in one transaction:
 * a failed, cancelled or interrupted import leaves the dataset exactly as it was.
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
  const rows = await readDatasetFile(params.input_path, { name: params.name, signal, onProgress: progress });
  throwIfAborted(signal);
  const annotations = rows.items.reduce((n, item) => n + item.annotations.length, 0);
  const total = rows.items.length;
  progress({ phase: "store", done: 0, total, unit: "items" });
  try {
    await db.transaction().execute(async (trx) => {
      // Write first: it takes the write lock now. A transaction that read first would fail with
      // SQLITE_BUSY_SNAPSHOT when the API thread writes progress before our first write.
      await jobs.setProgress(job.id, 0.8, "store", trx);
      await datasets.storeImport(trx, datasetId, rows, params.mode, async (done) => {
        progress({ phase: "store", done, total, unit: "items" });
        await yieldToEvents();
        throwIfAborted(signal);
      });
      // Warnings are part of the import's report.
      await jobs.addIssues(job.id, rows.report.issues, trx);
      const finished = await jobs.finish(
        job.id,
        {
          json: {
            images: total,
            annotations,
            categories: rows.categories.length,
            layout: rows.layout,
            warnings: rows.report.warningCount,
          },
          issues_count: rows.report.issues.length,
          ttlHours: resultTtlHours,
        },
        trx,
      );
      // Another connection moved the job (a shutdown marked it interrupted): keep nothing.
      if (!finished)
        throw new CocokitError("aborted", "expected the job to be running, found it stopped (interrupted)");
    });
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE")
      throw new CocokitError(
        "duplicate_image_id",
        "expected image ids that the dataset does not have yet (append mode), found an id it already has in the same subset; import with mode=replace",
      );
    throw error;
  }
};
