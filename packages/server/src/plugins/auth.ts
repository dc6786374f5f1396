import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { ApiError } from "../errors.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route answers without the token (health, docs). */
    public?: boolean;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * With a token set, every route that is not marked `config: { public: true }` needs
 * `Authorization: Bearer <token>`; checked on `onRequest`, before any body is read.
 */
export function installAuth(app: FastifyInstance, token: string | undefined): void {
  if (token === undefined) return;
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !sameToken(match[1] as string, token))
      throw new ApiError(
        "UNAUTHORIZED",
        header
          ? "expected the server's token, found another"
          : "expected an Authorization: Bearer <token> header, found none",
      );
  });
}
