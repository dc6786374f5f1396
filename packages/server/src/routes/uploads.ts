import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { authErrors, IdParams, ProblemSchema } from "../schemas/common.js";
import { ImportQuery } from "../schemas/datasets.js";
import { JobSchema } from "../schemas/jobs.js";
import { checkDeclaredLength, receiveUpload, UPLOAD_TYPES, uploadName } from "../storage/uploads.js";
import { datasetOr404, jobView } from "./views.js";

/** Options of the upload routes. */
export interface UploadRoutesOptions {
  dataDir: string;
  maxUpload: number;
}

// Documents the body for OpenAPI; the value is the request stream, which `any` passes through as is.
const FileBody = z.any().describe("The COCO file itself: a JSON document or a zip archive");

const uploadErrors = {
  ...authErrors,
  404: ProblemSchema,
  409: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
};

/**
 * Routes whose body is a file (JSON or zip). In this context the body is the raw request stream,
 * written to disk as it arrives; any other content type is 415 before a byte is read.
 */
export const uploadRoutes: FastifyPluginAsyncZod<UploadRoutesOptions> = async (
  app,
  { dataDir, maxUpload },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(Object.keys(UPLOAD_TYPES), (_request, payload, done) => done(null, payload));
  const checkLength = async (request: { headers: Record<string, string | string[] | undefined> }) =>
    checkDeclaredLength(request.headers["content-length"] as string | undefined, maxUpload);

  async function store(
    request: { body: unknown; headers: Record<string, string | string[] | undefined> },
    filename?: string,
  ) {
    const contentType =
      String(request.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim()
        .toLowerCase() ?? "";
    if (!request.body)
      throw new ApiError("EMPTY_BODY", "expected the file as the request body, found no body");
    return receiveUpload(
      request.body as NodeJS.ReadableStream,
      dataDir,
      uploadName(filename, contentType),
      maxUpload,
    );
  }

  app.post(
    "/api/datasets/:id/import",
    {
      onRequest: checkLength,
      schema: {
        tags: ["datasets"],
        summary: "Import a COCO JSON or zip (the request body) into a dataset (a job)",
        consumes: Object.keys(UPLOAD_TYPES),
        body: FileBody,
        params: IdParams,
        querystring: ImportQuery,
        response: { 202: JobSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      const busy = await app.jobs.active(dataset.id, ["import", "export"]);
      if (busy.length > 0)
        throw new ApiError(
          "DATASET_BUSY",
          `expected no other import or export of dataset ${dataset.id}, found job ${busy[0]?.id} ${busy[0]?.status}`,
        );
      const upload = await store(request, request.query.filename);
      const job = await app.queue.enqueue({
        type: "import",
        dataset_id: dataset.id,
        params: {
          input_path: upload.path,
          name: request.query.filename ?? upload.path.split(/[\\/]/).pop(),
          mode: request.query.mode,
        },
      });
      return reply.code(202).header("location", `/api/jobs/${job.id}`).send(jobView(app, job));
    },
  );

  app.post(
    "/api/validate",
    {
      onRequest: checkLength,
      schema: {
        tags: ["jobs"],
        summary:
          "Validate a COCO JSON or zip (the request body) without storing it (a job whose result is the report)",
        consumes: Object.keys(UPLOAD_TYPES),
        body: FileBody,
        querystring: ImportQuery.pick({ format: true, filename: true }),
        response: { 202: JobSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const upload = await store(request, request.query.filename);
      const job = await app.queue.enqueue({
        type: "validate",
        dataset_id: null,
        params: { input_path: upload.path, name: request.query.filename ?? upload.path.split(/[\\/]/).pop() },
      });
      return reply.code(202).header("location", `/api/jobs/${job.id}`).send(jobView(app, job));
    },
  );
};
