/** What a job's worker thread is started with (`workerData`). */
export interface WorkerInput {
  jobId: number;
  dataDir: string;
  /** The `postgres://` store, when it is not the data folder's SQLite file. */
  database?: string | undefined;
  resultTtlHours: number;
  /** The `--storage` setting (`s3://…`); the data folder when absent. */
  storage?: string;
}

/** Messages from the API thread to a job's worker. */
export type ToWorker = { type: "cancel" };

/**
 * Messages from a job's worker. The worker writes the job's final state itself (in the same
 * transaction as the dataset, for imports) and then says which it was.
 */
export type FromWorker =
  | { type: "progress"; phase: string; done: number; total?: number; unit: string }
  | { type: "finished" }
  | { type: "failed"; code: string; message: string }
  | { type: "cancelled" };
