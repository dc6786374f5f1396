import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { ApiError } from "../errors.js";
import type { JobType } from "../jobs/state.js";
import type { JobRow } from "../repositories/jobs-repository.js";
import type { JobSchema } from "../schemas/jobs.js";

/** A job row as the API shows it, with a running job's in-memory progress. */
export function jobView(app: FastifyInstance, row: JobRow): z.infer<typeof JobSchema> {
  const live = row.status === "started" ? app.queue.live(row.id) : undefined;
  return {
    id: row.id,
    type: row.type as z.infer<typeof JobSchema>["type"],
    dataset_id: row.dataset_id,
    status: row.status as z.infer<typeof JobSchema>["status"],
    progress: live?.progress ?? row.progress,
    phase: live?.phase ?? row.phase,
    message: row.message,
    error_code: row.error_code,
    issues_count: row.issues_count,
    result_url: row.status === "finished" ? `/api/jobs/${row.id}/result` : null,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    expires_at: row.expires_at,
  };
}

/** The dataset or a 404. */
export async function datasetOr404(app: FastifyInstance, id: number) {
  const dataset = await app.datasets.get(id);
  if (!dataset) throw new ApiError("DATASET_NOT_FOUND", `expected an existing dataset id, found ${id}`);
  return dataset;
}

/** 409 while a job of one of these types is queued or running on the dataset. */
export async function refuseBusy(app: FastifyInstance, datasetId: number, types: JobType[]): Promise<void> {
  const busy = await app.jobs.active(datasetId, types);
  if (busy.length > 0)
    throw new ApiError(
      "DATASET_BUSY",
      `expected no ${types.join(", ")} job running on dataset ${datasetId}, found job ${busy[0]?.id} (${busy[0]?.type}, ${busy[0]?.status})`,
    );
}

/** The job or a 404. */
export async function jobOr404(app: FastifyInstance, id: number): Promise<JobRow> {
  const job = await app.jobs.get(id);
  if (!job) throw new ApiError("JOB_NOT_FOUND", `expected an existing job id, found ${id}`);
  return job;
}
