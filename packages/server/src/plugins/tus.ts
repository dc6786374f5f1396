import type { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { NodeRequest, sendNodeResponse } from "srvx/node";
import { z } from "zod";
import { ApiError } from "../errors.js";
import { ProblemSchema } from "../schemas/common.js";
import { createTusStore } from "../storage/tus-uploads.js";
import { checkDeclaredLength } from "../storage/uploads.js";
import { withProblemBody } from "./tus-problems.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The resumable uploads' store; jobs take finished uploads from it. */
    tusStore: FileStore;
    /** Removes uploads past their expiration; runs at boot and every `SWEEP_INTERVAL_MS`. */
    sweepUploads(): Promise<number>;
  }
}

/** What the tus plugin needs. */
export interface TusPluginOptions {
  dataDir: string;
  maxUpload: number;
  uploadTtlHours: number;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;
const PATH = "/api/uploads";

const UploadParams = z.object({ upload_id: z.string() });
const tusErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  410: ProblemSchema,
  412: ProblemSchema,
  413: ProblemSchema,
};

/**
 * Resumable uploads, tus 1.0.0 at `/api/uploads` (creation, creation-with-upload, termination,
 * expiration), over `@tus/server` and a file store in the data folder. fastify parses nothing
 * here: tus reads the raw request. A creation whose `Upload-Length` is over `--max-upload` is a
 * 413 problem before tus sees it; tus's own `maxSize` guards deferred lengths. Locks are
 * `@tus/server`'s in-memory locker: one server process per data folder.
 */
export const tusPlugin = fp<TusPluginOptions>(
  async (app, { dataDir, maxUpload, uploadTtlHours }) => {
    const store = createTusStore(dataDir, uploadTtlHours);
    const tus = new Server({ path: PATH, datastore: store, maxSize: maxUpload, relativeLocation: true });
    app.decorate("tusStore", store);
    app.decorate("sweepUploads", async () => {
      const removed = await tus.cleanUpExpiredUploads();
      if (removed) app.log.info({ count: removed }, "removed expired uploads");
      return removed;
    });
    const sweep = () =>
      void app
        .sweepUploads()
        .catch((error) => app.log.error({ err: error }, "could not remove expired uploads"));
    const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
    app.addHook("onReady", async () => sweep());
    app.addHook("onClose", async () => clearInterval(timer));

    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      reply.raw.setHeader("x-request-id", request.id);
      const response = await tus.handleWeb(new NodeRequest({ req: request.raw, res: reply.raw }));
      await sendNodeResponse(reply.raw, await withProblemBody(response));
    };
    const checkLength = async (request: FastifyRequest) => {
      const length = request.headers["upload-length"];
      if (typeof length === "string" && !/^\d+$/.test(length))
        throw new ApiError("BAD_REQUEST", `expected Upload-Length as a number of bytes, found "${length}"`);
      checkDeclaredLength(length as string | undefined, maxUpload);
    };

    await app.register(async (tusRoutes) => {
      // tus reads each body from the raw request itself.
      tusRoutes.removeAllContentTypeParsers();
      tusRoutes.addContentTypeParser("*", (_request, _payload, done) => done(null));
      const tags = ["uploads"];
      tusRoutes.post(PATH, {
        onRequest: checkLength,
        schema: {
          tags,
          summary: "Create a resumable upload (tus 1.0.0 creation; Upload-Length, Upload-Metadata filename)",
          response: { 201: z.null(), ...tusErrors },
        },
        handler: handle,
      });
      tusRoutes.route({
        method: "HEAD",
        url: `${PATH}/:upload_id`,
        schema: {
          tags,
          summary: "An upload's offset (tus Upload-Offset, Upload-Length)",
          params: UploadParams,
          response: { 200: z.null(), ...tusErrors },
        },
        handler: handle,
      });
      tusRoutes.patch(`${PATH}/:upload_id`, {
        schema: {
          tags,
          summary:
            "Append bytes at Upload-Offset (application/offset+octet-stream); HEAD on the same URL gives the offset to resume from",
          params: UploadParams,
          response: { 204: z.null(), ...tusErrors },
        },
        handler: handle,
      });
      tusRoutes.delete(`${PATH}/:upload_id`, {
        schema: {
          tags,
          summary: "Terminate an upload (tus termination)",
          params: UploadParams,
          response: { 204: z.null(), ...tusErrors },
        },
        handler: handle,
      });
      // Browsers send OPTIONS without credentials; it only says what the server supports.
      for (const url of [PATH, `${PATH}/:upload_id`])
        tusRoutes.options(url, {
          config: { public: true },
          schema: {
            tags,
            summary: "tus discovery (Tus-Version, Tus-Extension, Tus-Max-Size)",
            response: { 204: z.null() },
          },
          handler: handle,
        });
    });
  },
  { name: "tus" },
);
