import { pathToFileURL } from "node:url";
import { type CocokitCode, CocokitError, httpStatusOf } from "@cocokit/core";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { buildApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { ERRORS } from "../src/errors.js";
import { tempDataDir } from "./helpers.js";

describe("the ERRORS table", () => {
  it("takes its statuses from core's kinds, and keeps its own only where core has no kind", () => {
    expect(ERRORS.BAD_REQUEST).toMatchObject({ status: httpStatusOf("input"), kind: "input" });
    expect(ERRORS.UNSUPPORTED_FORMAT).toMatchObject({ status: httpStatusOf("input"), kind: "input" });
    expect(ERRORS.DATASET_BUSY).toMatchObject({ status: httpStatusOf("conflict"), kind: "conflict" });
    expect(ERRORS.JOB_NOT_CANCELLABLE.status).toBe(httpStatusOf("conflict"));
    expect(ERRORS.RESULT_NOT_READY.status).toBe(httpStatusOf("conflict"));
    expect(ERRORS.INTERNAL_ERROR).toMatchObject({ status: httpStatusOf("internal"), kind: "internal" });
    expect(ERRORS.UPLOAD_TOO_LARGE).toMatchObject({
      status: httpStatusOf("zip_limit_exceeded"),
      kind: "input",
    });
    expect(ERRORS.UNSUPPORTED_MEDIA_TYPE.status).toBe(httpStatusOf("unsupported_input"));
    // What core has no kind for.
    expect(ERRORS.UNAUTHORIZED).toEqual({ status: 401, title: "Unauthorized" });
    expect(ERRORS.JOB_NOT_FOUND.status).toBe(404);
    expect(ERRORS.BAD_RANGE.status).toBe(416);
    // The bucket being down is no client's fault and no bug of ours: retry later.
    expect(ERRORS.STORAGE_UNAVAILABLE.status).toBe(503);
    // The statuses clients already rely on did not move.
    expect(Object.fromEntries(Object.entries(ERRORS).map(([c, e]) => [c, e.status]))).toEqual({
      BAD_REQUEST: 400,
      EMPTY_BODY: 400,
      UNAUTHORIZED: 401,
      NOT_FOUND: 404,
      DATASET_NOT_FOUND: 404,
      ITEM_NOT_FOUND: 404,
      IMAGE_NOT_FOUND: 404,
      UPLOAD_NOT_FOUND: 404,
      UPLOAD_NOT_FINISHED: 409,
      UPLOAD_OFFSET_CONFLICT: 409,
      UPLOAD_EXPIRED: 410,
      TUS_HEADER_REQUIRED: 403,
      TUS_VERSION_REQUIRED: 412,
      TUS_EXTENSION_UNSUPPORTED: 501,
      JOB_NOT_FOUND: 404,
      RESULT_NOT_FOUND: 404,
      DATASET_BUSY: 409,
      JOB_NOT_CANCELLABLE: 409,
      RESULT_NOT_READY: 409,
      UPLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      BAD_RANGE: 416,
      UNSUPPORTED_FORMAT: 400,
      INTERNAL_ERROR: 500,
      STORAGE_UNAVAILABLE: 503,
    });
  });
});

describe("a core error reaching the error handler", () => {
  async function appThrowing() {
    const app = await buildApp(parseConfig({ data: await tempDataDir(), workers: 1 }), {
      logger: false,
      workerUrl: pathToFileURL(inject("workerPath")),
    });
    onTestFinished(() => app.close());
    // A route of this test only: it throws the core error its query names.
    app.get<{ Querystring: { code: string } }>("/test/core-error", async (request) => {
      throw new CocokitError(
        request.query.code as ConstructorParameters<typeof CocokitError>[0],
        `expected a test, found ${request.query.code}`,
        {
          issues: [
            {
              code: "invalid_bbox",
              severity: "error",
              message: "/annotations/3/bbox: expected 4 numbers",
              path: ["annotations", 3, "bbox"],
              pointer: "/annotations/3/bbox",
              file: "instances_val.json",
            },
          ],
        },
      );
    });
    await app.ready();
    return app;
  }

  it.each<ConstructorParameters<typeof CocokitError>[0] & CocokitCode>([
    "zip_limit_exceeded",
    "invalid_zip",
    "unsupported_input",
    "validation_failed",
    "duplicate_image_id",
    "aborted",
  ])("answers %s with httpStatusOf(its code), its code and its issues", async (code) => {
    const app = await appThrowing();
    const response = await app.inject({ url: `/test/core-error?code=${code}` });
    expect(response.statusCode).toBe(httpStatusOf(code));
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      status: httpStatusOf(code),
      code,
      detail: `expected a test, found ${code}`,
      issues: [{ code: "invalid_bbox", pointer: "/annotations/3/bbox", file: "instances_val.json" }],
    });
  });

  it("answers core's internal_error with a generic 500, its message and issues kept out", async () => {
    const app = await appThrowing();
    const response = await app.inject({ url: "/test/core-error?code=internal_error" });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      type: "urn:cocokit:problem:internal-error",
      title: "Internal server error",
      status: 500,
      detail: "Internal Server Error",
      code: "internal_error",
    });
  });
});
