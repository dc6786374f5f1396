import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { createMediaRepository } from "../repositories/media-repository.js";
import { authErrors, IdParams, ProblemSchema } from "../schemas/common.js";
import { JobSchema } from "../schemas/jobs.js";
import { keepRequestFile, receiveRequestFile } from "../storage/request-file.js";
import { acceptFileBodies, FILE_BODY_TYPES, uploadErrors } from "./uploads.js";
import { datasetOr404, jobView, refuseBusy } from "./views.js";

/** Options of the media routes. */
export interface MediaRoutesOptions {
  dataDir: string;
  maxUpload: number;
}

const MediaQuery = z.object({
  dry_run: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1")
    .describe("true: only report how the files match; store nothing"),
  filename: z.string().min(1).max(255).optional(),
});

const ImagesBody = z
  .any()
  .describe(
    'A zip of images: the body itself (application/zip), the multipart/form-data field "file", or a JSON body that is exactly {"upload_id": "<id>"} naming a finished tus upload',
  );

/** Images: attach a zip of them to a dataset's items (a job), and serve an item's image. */
export const mediaRoutes: FastifyPluginAsyncZod<MediaRoutesOptions> = async (app, { dataDir, maxUpload }) => {
  const checkLength = await acceptFileBodies(app, maxUpload);
  const media = createMediaRepository(app.db);
  const tags = ["datasets"];

  app.post(
    "/api/datasets/:id/media",
    {
      onRequest: checkLength,
      schema: {
        tags,
        summary:
          "Attach a zip of images to the dataset's items by file_name (a job whose result is the match report)",
        consumes: FILE_BODY_TYPES,
        body: ImagesBody,
        params: IdParams,
        querystring: MediaQuery,
        response: { 202: JobSchema, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      // An export reads the attached files; this job may replace them.
      await refuseBusy(app, dataset.id, ["import", "export", "media"]);
      const file = await receiveRequestFile(
        request,
        { dataDir, maxUpload, tus: app.tusStore },
        request.query.filename,
      );
      if (file.via === "body" && file.path.endsWith(".json")) {
        await rm(dirname(file.path), { recursive: true, force: true });
        throw new ApiError(
          "BAD_REQUEST",
          'expected a zip of images, multipart or {"upload_id": "<id>"}, found another JSON body',
        );
      }
      const kept = await keepRequestFile(app.storage, dataDir, file);
      const job = await app.queue.enqueue({
        type: "media",
        dataset_id: dataset.id,
        params: { input_path: kept.path, name: kept.name, dry_run: request.query.dry_run },
      });
      return reply.code(202).header("location", `/api/jobs/${job.id}`).send(jobView(app, job));
    },
  );

  app.get(
    "/api/datasets/:id/items/:item_id/image",
    {
      schema: {
        tags,
        summary: "The image attached to an item (its bytes, with its content type)",
        params: IdParams.extend({ item_id: z.coerce.number().int().positive() }),
        response: { 200: z.unknown(), ...authErrors, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      const { item_id } = request.params;
      const row = await media.get(dataset.id, item_id);
      if (!row) {
        const exists = await app.datasets.hasItem(dataset.id, item_id);
        throw exists
          ? new ApiError("IMAGE_NOT_FOUND", `expected an image attached to item ${item_id}, found none`)
          : new ApiError("ITEM_NOT_FOUND", `expected an item of dataset ${dataset.id}, found id ${item_id}`);
      }
      const info = await app.storage.stat(row.path);
      if (!info)
        throw new ApiError("IMAGE_NOT_FOUND", `expected item ${item_id}'s image file, found it removed`);
      return reply
        .type(row.content_type)
        .header("content-length", info.size)
        .send(await app.storage.get(row.path));
    },
  );
};
