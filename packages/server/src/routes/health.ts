import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { FORMATS } from "../core-adapter.js";
import { authErrors } from "../schemas/common.js";
import { VERSION } from "../version.js";

const Format = z.object({ name: z.string(), extensions: z.array(z.string()) });

/** `GET /api/health` alone (no token needed): all a worker process serves. */
export const healthCheck: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/api/health",
    {
      config: { public: true },
      schema: {
        tags: ["server"],
        summary: "Is the server up",
        response: { 200: z.object({ status: z.literal("ok"), version: z.string() }) },
      },
    },
    async () => ({ status: "ok" as const, version: VERSION }),
  );
};

/** `GET /api/health` (no token needed), `GET /api/formats` and `GET /openapi.json`. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  await healthCheck(app, {});
  app.get(
    "/api/formats",
    {
      schema: {
        tags: ["server"],
        summary: "The formats the server imports and exports",
        response: {
          200: z.object({ importers: z.array(Format), exporters: z.array(Format) }),
          ...authErrors,
        },
      },
    },
    async () => ({
      importers: FORMATS.importers.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
      exporters: FORMATS.exporters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    }),
  );
  app.get("/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};
