/**
 * The entry of a job's worker thread: it opens its own connection to the data folder's
 * database, runs the job's processor with an AbortSignal the API thread can fire, and writes the
 * job's final state.
 */
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { failureOf } from "../../core-adapter.js";
import { openDatabase } from "../../db/open.js";
import { createDatasetsRepository } from "../../repositories/datasets-repository.js";
import { createJobsRepository } from "../../repositories/jobs-repository.js";
import { openStorage } from "../../storage/open-storage.js";
import { StorageError } from "../../storage/storage.js";
import { attachMediaJob } from "../processors/attach-media.js";
import type { Processor } from "../processors/context.js";
import { exportCoco } from "../processors/export-coco.js";
import { importCoco } from "../processors/import-coco.js";
import { validateCoco } from "../processors/validate-coco.js";
import type { JobType } from "../state.js";
import type { FromWorker, ToWorker, WorkerInput } from "./protocol.js";

const PROCESSORS: Record<JobType, Processor> = {
  import: importCoco,
  export: exportCoco,
  validate: validateCoco,
  media: attachMediaJob,
};

async function main(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  const send = (message: FromWorker) => port.postMessage(message);
  const controller = new AbortController();
  port.on("message", (message: ToWorker) => {
    if (message.type === "cancel") controller.abort();
  });
  // A few connections: an export's stream holds one while its other reads take another.
  const db = openDatabase({ dataDir: input.dataDir, database: input.database }, { maxConnections: 4 });
  const jobs = createJobsRepository(db);
  const datasets = createDatasetsRepository(db);
  const job = await jobs.get(input.jobId);
  if (!job) throw new Error(`expected job ${input.jobId} in the database, found none`);
  if (job.cancel_requested) controller.abort();
  const params = JSON.parse(job.params_json) as { input_path?: string };
  const inputPath = params.input_path;
  const storage = openStorage(input.storage, input.dataDir);
  let localInput: string | undefined;
  try {
    // Processors read a local file: S3's upload is downloaded first (the folder's is already one).
    if (inputPath) localInput = await storage.toLocal(inputPath, controller.signal);
    const local = localInput
      ? { ...job, params_json: JSON.stringify({ ...params, input_path: localInput }) }
      : job;
    await PROCESSORS[job.type as JobType]({
      job: local,
      storage,
      db,
      jobs,
      datasets,
      dataDir: input.dataDir,
      resultTtlHours: input.resultTtlHours,
      signal: controller.signal,
      progress: (event) => send({ type: "progress", ...event }),
    });
    send({ type: "finished" });
  } catch (error) {
    const failure =
      error instanceof StorageError
        ? { code: error.code, message: error.message, issues: [], aborted: false }
        : failureOf(error, localInput ?? inputPath);
    if (failure.aborted || controller.signal.aborted) {
      await jobs.cancel(job.id, "cancelled by request");
      send({ type: "cancelled" });
    } else {
      await db.transaction().execute(async (trx) => {
        await jobs.addIssues(job.id, failure.issues, trx);
        await jobs.fail(
          job.id,
          { code: failure.code, message: failure.message, issues_count: failure.issues.length },
          trx,
        );
      });
      send({ type: "failed", code: failure.code, message: failure.message });
    }
  } finally {
    // The upload is consumed whatever happened; a new import uploads again.
    // Each upload has a folder of its own.
    if (localInput) await rm(dirname(localInput), { recursive: true, force: true });
    if (inputPath) await storage.delete(inputPath).catch(() => undefined);
    storage.close();
    await db.destroy();
    port.close();
  }
}

if (parentPort) await main(parentPort, workerData as WorkerInput);
