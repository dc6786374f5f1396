import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { datasetFromRows, type ExportParams, writeDatasetZip } from "../../core-adapter.js";
import { planStreamedExport, writeStreamedZip } from "../../core-export.js";
import { createExportRows } from "../../repositories/export-rows.js";
import { storedMediaFiles } from "../../storage/media-files.js";
import { resultsDir } from "../../storage/results.js";
import { type Processor, throwIfAborted } from "./context.js";

/**
 * Writes a COCO zip of the dataset as the job's result (atomically). Streamed from SQLite in
 * bounded memory; the few options core's record writer cannot serve (`planStreamedExport` says
 * which and why) rebuild the dataset from its rows instead.
 */
export const exportCoco: Processor = async (context) => {
  const { job, db, jobs, dataDir, signal, progress, resultTtlHours } = context;
  const params = JSON.parse(job.params_json) as ExportParams;
  await mkdir(resultsDir(dataDir), { recursive: true });
  const path = join(resultsDir(dataDir), `job-${job.id}.zip`);
  const rows = createExportRows(db, job.dataset_id as number);
  const plan = await planStreamedExport(rows, params);
  throwIfAborted(signal);
  const { files, issues } = plan.streamed
    ? { ...(await writeStreamedZip(rows, plan, path, params, { signal, onProgress: progress })), issues: [] }
    : await wholeDatasetZip(context, path, params);
  await db.transaction().execute(async (trx) => {
    await jobs.addIssues(job.id, issues, trx);
    await jobs.finish(
      job.id,
      { path, json: { files }, issues_count: issues.length, ttlHours: resultTtlHours },
      trx,
    );
  });
};

/** The whole-dataset export: every row loaded and rebuilt as one core Dataset. */
export async function wholeDatasetZip(
  { job, datasets, dataDir, signal, progress }: Parameters<Processor>[0],
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
    { signal, onProgress: progress, media: storedMediaFiles(dataDir) },
  );
  return { files, issues: report.issues };
}
