import type { Issue } from "@cocokit/core";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { nowIso } from "../db/open.js";
import type { DB, JobsTable } from "../db/schema.js";
import { type JobState, type JobType, statesAllowing } from "../jobs/state.js";

type Db = Kysely<DB> | Transaction<DB>;

/** A job row as stored. */
export type JobRow = Selectable<JobsTable>;

/** Filters of `list`. */
export interface JobFilter {
  status?: JobState;
  type?: JobType;
  dataset_id?: number;
  offset: number;
  limit: number;
}

/** An issue as stored for a job's report. */
export interface StoredIssue {
  seq: number;
  code: string;
  severity: string;
  message: string;
  file: string | null;
  pointer: string | null;
}

/**
 * The SQL of jobs. State changes are one `UPDATE … WHERE status IN (allowed)` each, so two
 * connections (the API and a worker thread) can never both move a job.
 */
export function createJobsRepository(db: Kysely<DB>) {
  return {
    async create(
      job: { type: JobType; dataset_id: number | null; params: unknown },
      trx: Db = db,
    ): Promise<JobRow> {
      return trx
        .insertInto("jobs")
        .values({
          type: job.type,
          dataset_id: job.dataset_id,
          status: "queued",
          progress: 0,
          params_json: JSON.stringify(job.params),
          issues_count: 0,
          cancel_requested: 0,
          created_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async get(id: number, trx: Db = db): Promise<JobRow | undefined> {
      return trx.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    },

    async list(filter: JobFilter, trx: Db = db): Promise<{ count: number; results: JobRow[] }> {
      let query = trx.selectFrom("jobs");
      if (filter.status) query = query.where("status", "=", filter.status);
      if (filter.type) query = query.where("type", "=", filter.type);
      if (filter.dataset_id !== undefined) query = query.where("dataset_id", "=", filter.dataset_id);
      const count = await query.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
      const results = await query
        .selectAll()
        .orderBy("id", "desc")
        .offset(filter.offset)
        .limit(filter.limit)
        .execute();
      return { count: count.n, results };
    },

    /** Jobs of these types that are queued or running on a dataset. */
    async active(datasetId: number, types: JobType[], trx: Db = db): Promise<JobRow[]> {
      return trx
        .selectFrom("jobs")
        .selectAll()
        .where("dataset_id", "=", datasetId)
        .where("type", "in", types)
        .where("status", "in", ["queued", "started"])
        .execute();
    },

    /** Finished jobs whose result expired before `now` and still has a file: the file is forgotten and returned. */
    async takeExpiredResults(now: string, trx: Db = db): Promise<string[]> {
      const rows = await trx
        .selectFrom("jobs")
        .select(["id", "result_path"])
        .where("status", "=", "finished")
        .where("expires_at", "<", now)
        .where("result_path", "is not", null)
        .execute();
      // RETURNING would show the updated (null) path, so the paths are read first. In slices: a
      // long stop may leave many, and PostgreSQL takes at most 65,535 parameters a statement.
      for (let start = 0; start < rows.length; start += 1000)
        await trx
          .updateTable("jobs")
          .set({ result_path: null })
          .where(
            "id",
            "in",
            rows.slice(start, start + 1000).map((r) => r.id),
          )
          .execute();
      return rows.flatMap((row) => (row.result_path ? [row.result_path] : []));
    },

    /** The uploads queued jobs will read. */
    async queuedInputs(trx: Db = db): Promise<string[]> {
      const rows = await trx
        .selectFrom("jobs")
        .select("params_json")
        .where("status", "=", "queued")
        .execute();
      return rows.flatMap((row) => {
        const path = (JSON.parse(row.params_json) as { input_path?: string }).input_path;
        return path ? [path] : [];
      });
    },

    /** Moves the oldest queued job to `started` and returns it. */
    async claimNext(trx: Db = db): Promise<JobRow | undefined> {
      const next = await trx
        .selectFrom("jobs")
        .select("id")
        .where("status", "=", "queued")
        .orderBy("id")
        .limit(1)
        .executeTakeFirst();
      if (!next) return undefined;
      const row = await trx
        .updateTable("jobs")
        .set({ status: "started", started_at: nowIso(), phase: "start" })
        .where("id", "=", next.id)
        .where("status", "in", statesAllowing("start"))
        .returningAll()
        .executeTakeFirst();
      return row ?? this.claimNext(trx);
    },

    /** Moves this queued job to `started` and returns it; undefined when it was not queued. */
    async claim(id: number, trx: Db = db): Promise<JobRow | undefined> {
      return trx
        .updateTable("jobs")
        .set({ status: "started", started_at: nowIso(), phase: "start" })
        .where("id", "=", id)
        .where("status", "in", statesAllowing("start"))
        .returningAll()
        .executeTakeFirst();
    },

    /** Jobs in `status` with an id, oldest first (the shared queue's reconcile at boot). */
    async idsWithStatus(status: JobState, trx: Db = db): Promise<number[]> {
      const rows = await trx
        .selectFrom("jobs")
        .select("id")
        .where("status", "=", status)
        .orderBy("id")
        .execute();
      return rows.map((row) => row.id);
    },

    async setProgress(id: number, progress: number, phase: string, trx: Db = db): Promise<void> {
      await trx
        .updateTable("jobs")
        .set({ progress, phase })
        .where("id", "=", id)
        .where("status", "=", "started")
        .execute();
    },

    /** True when the job was running and is now finished. */
    async finish(
      id: number,
      result: { json?: unknown; path?: string; issues_count?: number; ttlHours: number },
      trx: Db = db,
    ): Promise<boolean> {
      const now = new Date();
      const updated = await trx
        .updateTable("jobs")
        .set({
          status: "finished",
          progress: 1,
          phase: "done",
          message: null,
          result_json: result.json === undefined ? null : JSON.stringify(result.json),
          result_path: result.path ?? null,
          issues_count: result.issues_count ?? 0,
          finished_at: now.toISOString(),
          expires_at: new Date(now.getTime() + result.ttlHours * 3600_000).toISOString(),
        })
        .where("id", "=", id)
        .where("status", "in", statesAllowing("finish"))
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    async fail(
      id: number,
      failure: { code: string; message: string; issues_count: number },
      trx: Db = db,
    ): Promise<boolean> {
      const updated = await trx
        .updateTable("jobs")
        .set({
          status: "failed",
          error_code: failure.code,
          message: failure.message,
          issues_count: failure.issues_count,
          finished_at: nowIso(),
        })
        .where("id", "=", id)
        .where("status", "in", statesAllowing("fail"))
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    async cancel(id: number, message: string, trx: Db = db): Promise<boolean> {
      const updated = await trx
        .updateTable("jobs")
        .set({ status: "cancelled", message, finished_at: nowIso() })
        .where("id", "=", id)
        .where("status", "in", statesAllowing("cancel"))
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    /** Marks that a cancel was asked for, so a worker that has not heard yet still stops. */
    async requestCancel(id: number, trx: Db = db): Promise<void> {
      await trx.updateTable("jobs").set({ cancel_requested: 1 }).where("id", "=", id).execute();
    },

    /** Jobs left `started` by a server that stopped: failed, "interrupted". Returns how many. */
    async interruptStarted(message: string, trx: Db = db): Promise<number> {
      const updated = await trx
        .updateTable("jobs")
        .set({ status: "failed", error_code: "interrupted", message, finished_at: nowIso() })
        .where("status", "in", statesAllowing("interrupt"))
        .executeTakeFirst();
      return Number(updated.numUpdatedRows);
    },

    async addIssues(jobId: number, issues: readonly Issue[], trx: Db = db): Promise<void> {
      for (let start = 0; start < issues.length; start += 500)
        await trx
          .insertInto("job_issues")
          .values(
            issues.slice(start, start + 500).map((issue, i) => ({
              job_id: jobId,
              seq: start + i,
              code: issue.code,
              severity: issue.severity,
              message: issue.message,
              file: issue.file ?? null,
              pointer: issue.pointer,
            })),
          )
          .execute();
    },

    async issues(
      jobId: number,
      offset: number,
      limit: number,
      trx: Db = db,
    ): Promise<{ count: number; results: StoredIssue[] }> {
      const count = await trx
        .selectFrom("job_issues")
        .select(sql<number>`count(*)`.as("n"))
        .where("job_id", "=", jobId)
        .executeTakeFirstOrThrow();
      const results = await trx
        .selectFrom("job_issues")
        .select(["seq", "code", "severity", "message", "file", "pointer"])
        .where("job_id", "=", jobId)
        .orderBy("seq")
        .offset(offset)
        .limit(limit)
        .execute();
      return { count: count.n, results };
    },
  };
}

/** The jobs repository's methods. */
export type JobsRepository = ReturnType<typeof createJobsRepository>;
