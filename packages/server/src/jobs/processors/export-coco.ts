import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { datasetFromRows, type ExportParams, writeDatasetZip } from "../../core-adapter.js";
import { storedMediaFiles } from "../../storage/media-files.js";
import { type Processor, throwIfAborted } from "./context.js";

/** Where a job's result files go inside the data folder. */
export function resultsDir(dataDir: string): string {
  return join(dataDir, "results");
}

/** Rebuilds the dataset from its rows and writes a COCO zip as the job's result (atomically). */
export const exportCoco: Processor = async ({
  job,
  db,
  datasets,
  jobs,
  dataDir,
  signal,
  progress,
  resultTtlHours,
}) => {
  const params = JSON.parse(job.params_json) as ExportParams;
  progress({ phase: "load", done: 0, total: 1, unit: "items" });
  const rows = await datasets.load(job.dataset_id as number);
  progress({ phase: "load", done: 1, total: 1, unit: "items" });
  throwIfAborted(signal);
  await mkdir(resultsDir(dataDir), { recursive: true });
  const path = join(resultsDir(dataDir), `job-${job.id}.zip`);
  const { files, report } = await writeDatasetZip(
    datasetFromRows(rows.meta, rows.categories, rows.items),
    path,
    params,
    { signal, onProgress: progress, media: storedMediaFiles(dataDir) },
  );
  await db.transaction().execute(async (trx) => {
    await jobs.addIssues(job.id, report.issues, trx);
    await jobs.finish(
      job.id,
      { path, json: { files }, issues_count: report.issues.length, ttlHours: resultTtlHours },
      trx,
    );
  });
};
