import { isCocokitError } from "@cocokit/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ApiError, type ErrorCode, type ProblemIssue, problemOf, problemOfCore } from "../errors.js";
import { StorageError } from "../storage/storage.js";

// fastify's own errors that mean something to a client, by fastify's code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_BODY_TOO_LARGE: "UPLOAD_TOO_LARGE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "EMPTY_BODY",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
};

function sendProblem(reply: FastifyReply, code: ErrorCode, detail: string, issues?: ProblemIssue[]) {
  const problem = problemOf(code, detail, issues);
  return reply.code(problem.status).type("application/problem+json").send(problem);
}

/** The problem a thrown value stands for, and whether it is the server's fault. */
function classify(error: FastifyError | Error): { code: ErrorCode; detail: string; issues?: ProblemIssue[] } {
  if (error instanceof ApiError)
    return { code: error.code, detail: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  // The bucket is down or refuses us: the client may retry later; the reason is the storage's.
  if (error instanceof StorageError) return { code: "STORAGE_UNAVAILABLE", detail: error.message };
  if (hasZodFastifySchemaValidationErrors(error))
    return {
      code: "BAD_REQUEST",
      detail: `expected a request matching the schema, found ${error.validation.length} problem(s) in the ${error.validationContext ?? "request"}`,
      issues: error.validation.map((v) => ({
        code: v.keyword,
        message: v.message ?? v.keyword,
        pointer: v.instancePath,
      })),
    };
  const fastifyError = error as FastifyError;
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return { code: mapped, detail: fastifyError.message };
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
    return {
      code: fastifyError.statusCode === 404 ? "NOT_FOUND" : "BAD_REQUEST",
      detail: fastifyError.message,
    };
  return { code: "INTERNAL_ERROR", detail: "Internal Server Error" };
}

/**
 * The one error handler: everything thrown becomes `application/problem+json` from the table in
 * errors.ts. A 5xx is logged with the request's context and answered without internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // A core error keeps core's code and gets the status core gives it.
    if (isCocokitError(error)) {
      const core = problemOfCore(error);
      if (core.status >= 500)
        request.log.error(
          { err: error, method: request.method, url: request.url, params: request.params },
          "request failed",
        );
      return reply.code(core.status).type("application/problem+json").send(core);
    }
    let problem: ReturnType<typeof classify>;
    try {
      problem = classify(error);
    } catch {
      // The handler itself must never fail: anything it cannot read is a 500.
      problem = { code: "INTERNAL_ERROR", detail: "Internal Server Error" };
    }
    if (problem.code === "INTERNAL_ERROR" || problem.code === "STORAGE_UNAVAILABLE")
      request.log.error(
        { err: error, method: request.method, url: request.url, params: request.params },
        "request failed",
      );
    // An upload refused before its body was read: do not keep the connection for the rest of it.
    if (problem.code === "UPLOAD_TOO_LARGE") reply.header("connection", "close");
    return sendProblem(reply, problem.code, problem.detail, problem.issues);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      "NOT_FOUND",
      `expected a known route, found ${request.method} ${request.url.split("?")[0]}`,
    ),
  );
}
