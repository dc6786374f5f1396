import type { Kysely } from "kysely";
import type { StepProgress } from "../../core-adapter.js";
import type { DB } from "../../db/schema.js";
import type { DatasetsRepository } from "../../repositories/datasets-repository.js";
import type { JobRow, JobsRepository } from "../../repositories/jobs-repository.js";
import type { Storage } from "../../storage/storage.js";

/** What a processor gets: the job, the worker's own db connection, a signal and a progress sink. */
export interface ProcessorContext {
  job: JobRow;
  db: Kysely<DB>;
  datasets: DatasetsRepository;
  jobs: JobsRepository;
  dataDir: string;
  /** Where results and images go; the job works on local files and moves them in. */
  storage: Storage;
  resultTtlHours: number;
  signal: AbortSignal;
  progress(event: StepProgress): void;
}

/** A processor runs one job to its end and writes its final `finished` row; it throws on failure. */
export type Processor = (context: ProcessorContext) => Promise<void>;

/** Thrown when the signal fired, so the job ends `cancelled`. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const error = new Error("the job was cancelled");
    error.name = "AbortError";
    throw error;
  }
}

/** Lets queued messages (a cancel) reach the worker between synchronous database batches. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
