import { validateFile } from "../../core-adapter.js";
import { writeJsonResult } from "../../storage/results.js";
import type { Processor } from "./context.js";
import type { ImportParams } from "./import-coco.js";

/** Validates the uploaded file; the result is the full report (a JSON file), its issues paged by the API. */
export const validateCoco: Processor = async ({
  job,
  db,
  jobs,
  storage,
  signal,
  progress,
  resultTtlHours,
}) => {
  const params = JSON.parse(job.params_json) as Pick<ImportParams, "input_path" | "name">;
  const report = await validateFile(params.input_path, { name: params.name, signal, onProgress: progress });
  const written: string[] = [];
  try {
    const path = await writeJsonResult(storage, job.id, report, written);
    await db.transaction().execute(async (trx) => {
      await jobs.addIssues(job.id, report.issues, trx);
      const { issues: _issues, ...summary } = report;
      await jobs.finish(
        job.id,
        { path, json: summary, issues_count: report.issues.length, ttlHours: resultTtlHours },
        trx,
      );
    });
  } catch (error) {
    for (const key of written) await storage.discard(key).catch(() => undefined);
    throw error;
  }
};
