import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { authErrors, IdParams, PageQuery, ProblemSchema } from "../schemas/common.js";
import { JobIssueSchema, JobListQuery, JobSchema } from "../schemas/jobs.js";
import { jobOr404, jobView } from "./views.js";

/** A single `bytes=a-b` range of a file of `size` bytes; undefined for none or an unsupported form. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "invalid" | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? "invalid" : { start, end };
}

// How long a presigned result URL works: long enough to start a big download, short enough
// that a leaked URL soon stops working. A result that expires sooner caps it.
const PRESIGN_SECONDS = 15 * 60;

/** Jobs: list, show, issues (paged), cancel, result. `presign`: results redirect to S3. */
export const jobRoutes: FastifyPluginAsyncZod<{ presign?: boolean }> = async (app, { presign = false }) => {
  const tags = ["jobs"];
  const notFound = { ...authErrors, 404: ProblemSchema };
  app.get(
    "/api/jobs",
    {
      schema: {
        tags,
        summary: "List jobs, newest first",
        querystring: PageQuery.extend(JobListQuery.shape),
        response: { 200: z.object({ count: z.number().int(), results: z.array(JobSchema) }), ...authErrors },
      },
    },
    async (request) => {
      const { count, results } = await app.jobs.list(request.query);
      return { count, results: results.map((row) => jobView(app, row)) };
    },
  );
  app.get(
    "/api/jobs/:id",
    {
      schema: {
        tags,
        summary: "A job's status, progress and phase",
        params: IdParams,
        response: { 200: JobSchema, ...notFound },
      },
    },
    async (request) => jobView(app, await jobOr404(app, request.params.id)),
  );
  app.get(
    "/api/jobs/:id/issues",
    {
      schema: {
        tags,
        summary: "The job's report: every issue with its code, severity, file and JSON pointer, paged",
        params: IdParams,
        querystring: PageQuery,
        response: {
          200: z.object({ count: z.number().int(), results: z.array(JobIssueSchema) }),
          ...notFound,
        },
      },
    },
    async (request) => {
      const job = await jobOr404(app, request.params.id);
      return app.jobs.issues(job.id, request.query.offset, request.query.limit);
    },
  );
  app.post(
    "/api/jobs/:id/cancel",
    {
      schema: {
        tags,
        summary: "Cancel a queued or running job (a running one stops within a second)",
        params: IdParams,
        response: { 202: JobSchema, ...notFound, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const job = await jobOr404(app, request.params.id);
      if (!(await app.queue.cancel(job.id)))
        throw new ApiError(
          "JOB_NOT_CANCELLABLE",
          `expected a queued or running job, found job ${job.id} ${job.status}`,
        );
      return reply.code(202).send(jobView(app, await jobOr404(app, job.id)));
    },
  );
  app.get(
    "/api/jobs/:id/result",
    {
      schema: {
        tags,
        summary:
          "The job's result: the export zip (Range supported), the validation report, or the import summary; with --presign a 307 to a presigned S3 URL of the file",
        params: IdParams,
        response: {
          200: z.unknown(),
          206: z.unknown(),
          307: z.null(),
          ...notFound,
          409: ProblemSchema,
          416: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const job = await jobOr404(app, request.params.id);
      if (job.status !== "finished")
        throw new ApiError("RESULT_NOT_READY", `expected a finished job, found job ${job.id} ${job.status}`);
      if (job.expires_at && Date.parse(job.expires_at) < Date.now())
        throw new ApiError(
          "RESULT_NOT_FOUND",
          `expected a result that has not expired, found job ${job.id}'s expired at ${job.expires_at}`,
        );
      if (!job.result_path) return reply.type("application/json").send(job.result_json ?? "null");
      const ref = job.result_path;
      const info = await app.storage.stat(ref);
      if (!info)
        throw new ApiError(
          "RESULT_NOT_FOUND",
          `expected job ${job.id}'s result file, found it expired or removed`,
        );
      const json = ref.endsWith(".json");
      const filename = `cocokit-${job.dataset_id ?? "dataset"}-job-${job.id}.zip`;
      if (presign) {
        const left = job.expires_at
          ? Math.floor((Date.parse(job.expires_at) - Date.now()) / 1000)
          : PRESIGN_SECONDS;
        const url = await app.storage.presign(ref, {
          expiresIn: Math.max(1, Math.min(PRESIGN_SECONDS, left)),
          contentType: json ? "application/json" : "application/zip",
          ...(json ? {} : { filename }),
        });
        return reply.code(307).header("location", url).send();
      }
      if (json) return reply.type("application/json").send(await app.storage.get(ref));
      const range = parseRange(request.headers.range, info.size);
      if (range === "invalid") {
        reply.header("content-range", `bytes */${info.size}`);
        throw new ApiError(
          "BAD_RANGE",
          `expected a range inside 0-${info.size - 1}, found ${request.headers.range}`,
        );
      }
      reply
        .type("application/zip")
        .header("accept-ranges", "bytes")
        .header("content-disposition", `attachment; filename="${filename}"`);
      if (!range) return reply.header("content-length", info.size).send(await app.storage.get(ref));
      return reply
        .code(206)
        .header("content-range", `bytes ${range.start}-${range.end}/${info.size}`)
        .header("content-length", range.end - range.start + 1)
        .send(await app.storage.get(ref, range));
    },
  );
};
