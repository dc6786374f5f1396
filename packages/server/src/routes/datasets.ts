import type { Category } from "@cocokit/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { COCO_80 } from "../presets/coco-80.js";
import { authErrors, IdParams, PageQuery, ProblemSchema } from "../schemas/common.js";
import {
  CreateDatasetBody,
  DatasetDetailSchema,
  DatasetSchema,
  ExportBody,
  ItemSchema,
} from "../schemas/datasets.js";
import { JobSchema } from "../schemas/jobs.js";
import { mediaDir } from "../storage/media-files.js";
import { datasetOr404, jobView } from "./views.js";

function categoriesOf(body: z.infer<typeof CreateDatasetBody>): Category[] {
  if (body.preset === "coco-80") return COCO_80.map((c) => ({ ...c }));
  return (body.labels ?? []).map((name, i) => ({ id: i + 1, name }));
}

/** Datasets: create (with labels or the coco-80 preset), list, show with counts, delete, items, export. */
export const datasetRoutes: FastifyPluginAsyncZod<{ dataDir: string }> = async (app) => {
  const tags = ["datasets"];
  app.post(
    "/api/datasets",
    {
      schema: {
        tags,
        summary: "Create a dataset",
        body: CreateDatasetBody,
        response: { 201: DatasetSchema, ...authErrors },
      },
    },
    async (request, reply) => {
      const names = request.body.labels ?? [];
      if (new Set(names).size !== names.length)
        throw new ApiError("BAD_REQUEST", "expected distinct labels, found a label twice");
      reply.code(201);
      return app.datasets.create(request.body.name, categoriesOf(request.body));
    },
  );
  app.get(
    "/api/datasets",
    {
      schema: {
        tags,
        summary: "List datasets",
        querystring: PageQuery,
        response: {
          200: z.object({ count: z.number().int(), results: z.array(DatasetSchema) }),
          ...authErrors,
        },
      },
    },
    async (request) => app.datasets.list(request.query.offset, request.query.limit),
  );
  app.get(
    "/api/datasets/:id",
    {
      schema: {
        tags,
        summary: "A dataset with its counts per subset and category",
        params: IdParams,
        response: { 200: DatasetDetailSchema, ...authErrors, 404: ProblemSchema },
      },
    },
    async (request) => {
      const dataset = await datasetOr404(app, request.params.id);
      return { ...dataset, ...(await app.datasets.stats(dataset.id)) };
    },
  );
  app.delete(
    "/api/datasets/:id",
    {
      schema: {
        tags,
        summary: "Delete a dataset",
        params: IdParams,
        response: { 204: z.null(), ...authErrors, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      if ((await app.jobs.active(dataset.id, ["import", "export", "media"])).length > 0)
        throw new ApiError(
          "DATASET_BUSY",
          `expected no running import or export on dataset ${dataset.id}, found one; cancel it first`,
        );
      await app.datasets.delete(dataset.id);
      // Its attached images go with it (the rows went by cascade).
      await app.storage.deletePrefix(`${mediaDir(dataset.id)}/`);
      return reply.code(204).send(null);
    },
  );
  app.get(
    "/api/datasets/:id/items",
    {
      schema: {
        tags,
        summary: "Images with their annotations, paged",
        params: IdParams,
        querystring: PageQuery.extend({
          subset: z.string().optional(),
          category: z.coerce.number().int().optional(),
        }),
        response: {
          200: z.object({ count: z.number().int(), results: z.array(ItemSchema) }),
          ...authErrors,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const dataset = await datasetOr404(app, request.params.id);
      const { offset, limit, subset, category } = request.query;
      return app.datasets.items(dataset.id, {
        offset,
        limit,
        ...(subset === undefined ? {} : { subset }),
        ...(category === undefined ? {} : { category }),
      }) as Promise<{ count: number; results: z.infer<typeof ItemSchema>[] }>;
    },
  );
  app.post(
    "/api/datasets/:id/export",
    {
      schema: {
        tags,
        summary: "Export a dataset as a COCO zip (a job)",
        params: IdParams,
        body: ExportBody,
        response: { 202: JobSchema, ...authErrors, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const dataset = await datasetOr404(app, request.params.id);
      const { format, ...params } = request.body;
      // The keypoints format is the person_keypoints files only, as CVAT's "COCO Keypoints 1.0".
      if (format === "COCO Keypoints 1.0" && !params.tasks) params.tasks = ["person_keypoints"];
      const job = await app.queue.enqueue({ type: "export", dataset_id: dataset.id, params });
      return reply.code(202).header("location", `/api/jobs/${job.id}`).send(jobView(app, job));
    },
  );
};
