import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { datasetFromRows, type ExportParams, writeDatasetZip } from "../../core-adapter.js";
import { planStreamedExport, writeStreamedZip } from "../../core-export.js";
import { createExportRows } from "../../repositories/export-rows.js";
import { storedMediaFiles } from "../../storage/media-files.js";
import { resultKey } from "../../storage/results.js";
import { type Processor, throwIfAborted } from "./context.js";

/**
 * Writes a COCO zip of the dataset as the job's result: to a local file first (atomically), then
 * into storage, then the `finished` row; a job that fails on the way removes what it stored.
 * Streamed from SQLite in bounded memory; the few options core's record writer cannot serve (`planStreamedExport` says
 * which and why) rebuild the dataset from its rows instead.
 */
export const exportCoco: Processor = async (context) => {
  const { job, db, jobs, storage, signal, progress, resultTtlHours } = context;
  const params = JSON.parse(job.params_json) as ExportParams;
  const key = resultKey(job.id, ".zip");
  const path = storage.staging(key);
  await mkdir(dirname(path), { recursive: true });
  const rows = createExportRows(db, job.dataset_id as number);
  try {
    const plan = await planStreamedExport(rows, params);
    throwIfAborted(signal);
    const { files, issues } = plan.streamed
      ? {
          ...(await writeStreamedZip(rows, plan, path, params, { signal, onProgress: progress })),
          issues: [],
        }
      : await wholeDatasetZip(context, path, params);
    throwIfAborted(signal);
    progress({ phase: "upload", done: 0, total: 1, unit: "files" });
    await storage.putFile(key, path, { contentType: "application/zip", signal });
    progress({ phase: "upload", done: 1, total: 1, unit: "files" });
    await db.transaction().execute(async (trx) => {
      await jobs.addIssues(job.id, issues, trx);
      await jobs.finish(
        job.id,
        { path: storage.ref(key), json: { files }, issues_count: issues.length, ttlHours: resultTtlHours },
        trx,
      );
    });
  } catch (error) {
    // Nothing of a failed or cancelled export stays: neither the local zip nor the stored one.
    await storage.discard(key).catch(() => undefined);
    throw error;
  }
};

/** The whole-dataset export: every row loaded and rebuilt as one core Dataset. */
export async function wholeDatasetZip(
  { job, datasets, storage, signal, progress }: Parameters<Processor>[0],
  path: string,
  params: ExportParams,
) {
  progress({ phase: "load", done: 0, total: 1, unit: "items" });
  const rows = await datasets.load(job.dataset_id as number);
  progress({ phase: "load", done: 1, total: 1, unit: "items" });
  throwIfAborted(signal);
  const { files, report } = await writeDatasetZip(
    datasetFromRows(rows.meta, rows.categories, rows.items),
    path,
    params,
    { signal, onProgress: progress, media: storedMediaFiles(storage) },
  );
  return { files, issues: report.issues };
}
