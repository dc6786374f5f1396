import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * Serves a folder of static files (the built web page, `apps/demo/dist`) at `/`. The page is
 * public even when a token is set: it is what asks the user for the token; the API it calls is not.
 */
export async function registerWeb(app: FastifyInstance, root: string): Promise<void> {
  await app.register(async (scope) => {
    // Routes added in this scope only: the static files' routes.
    scope.addHook("onRoute", (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    await scope.register(fastifyStatic, { root: resolve(root), prefix: "/", index: "index.html" });
  });
}
