import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { authErrors, IdParams, ProblemSchema } from "../schemas/common.js";
import { ImportQuery } from "../schemas/datasets.js";
import { JobSchema } from "../schemas/jobs.js";
import { keepRequestFile, receiveRequestFile } from "../storage/request-file.js";
import { checkDeclaredLength, UPLOAD_TYPES } from "../storage/uploads.js";
import { datasetOr404, jobView, refuseBusy } from "./views.js";

/** Options of the upload routes. */
export interface UploadRoutesOptions {
  dataDir: string;
  maxUpload: number;
}

// Documents the body for OpenAPI; the value is the request stream, which `any` passes through as is.
const FileBody = z
  .any()
  .describe(
    'The file: the body itself (application/json or application/zip), the multipart/form-data field "file", or a JSON body that is exactly {"upload_id": "<id>"} naming a finished tus upload',
  );

/** The content types a file body may have. */
export const FILE_BODY_TYPES = [...Object.keys(UPLOAD_TYPES), "multipart/form-data"];

/** The error responses of a route whose body is a file. */
export const uploadErrors = {
  ...authErrors,
  404: ProblemSchema,
  409: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  /** The storage (S3) could not keep the file. */
  503: ProblemSchema,
};

/**
 * Makes the routes of this plugin context take a file body: the raw request stream for JSON and
 * zip (written to disk as it arrives), multipart through `@fastify/multipart`; any other content
 * type is 415 before a byte is read. Returns the `onRequest` check of a declared Content-Length.
 */
export async function acceptFileBodies(app: FastifyInstance, maxUpload: number) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(Object.keys(UPLOAD_TYPES), (_request, payload, done) => done(null, payload));
  await app.register(multipart, { limits: { fileSize: maxUpload, files: 1 } });
  return async (request: FastifyRequest) =>
    checkDeclaredLength(request.headers["content-length"] as string | undefined, maxUpload);
}

/**
 * Routes whose body is a COCO file (see `receiveRequestFile` for the three ways to send it).
 */
export const uploadRoutes: FastifyPluginAsyncZod<UploadRoutesOptions> = async (
  app,
  { dataDir, maxUpload },
) => {
  const checkLength = await acceptFileBodies(app, maxUpload);
  const store = async (request: FastifyRequest, filename?: string) =>
    keepRequestFile(
      app.storage,
      dataDir,
      await receiveRequestFile(request, { dataDir, maxUpload, tus: app.tusStore }, filename),
    );

  app.post(
    "/api/datasets/:id/import",
    {
      onRequest: checkLength,
      schema: {
        tags: ["datasets"],
        summary: "Import a COCO JSON or zip (the request body) into a dataset (a job)",
        consumes: FILE_BODY_TYPES,
        body: FileBody,
        params: IdParams,
        querystring: ImportQuery,
        response: { 202: JobSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      await refuseBusy(app, dataset.id, ["import", "export", "media"]);
      const upload = await store(request, request.query.filename);
      const job = await app.queue.enqueue({
        type: "import",
        dataset_id: dataset.id,
        params: {
          input_path: upload.path,
          name: upload.name,
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
        consumes: FILE_BODY_TYPES,
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
        params: { input_path: upload.path, name: upload.name },
      });
      return reply.code(202).header("location", `/api/jobs/${job.id}`).send(jobView(app, job));
    },
  );
};
