import { describe, expect, it } from "vitest";
import { buildTestApp } from "../helpers.js";

describe("GET /api/health", () => {
  it("answers ok with the version", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/api/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(response.headers["x-request-id"]).toBeTruthy();
  });
  it("keeps a client's request id", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/api/health", headers: { "x-request-id": "abc-123" } });
    expect(response.headers["x-request-id"]).toBe("abc-123");
  });
});

describe("GET /api/formats", () => {
  it("lists COCO 1.0 and COCO Keypoints 1.0 importers and exporters", async () => {
    const { app } = await buildTestApp();
    const body = (await app.inject({ url: "/api/formats" })).json();
    expect(body.importers).toContainEqual({ name: "COCO 1.0", extensions: [".json", ".zip"] });
    expect(body.importers.map((f: { name: string }) => f.name)).toContain("COCO Keypoints 1.0");
    expect(body.exporters).toContainEqual({ name: "COCO 1.0", extensions: [".zip"] });
  });
});

describe("GET /openapi.json and /docs", () => {
  it("serves an OpenAPI 3.1 document with every API path", async () => {
    const { app } = await buildTestApp();
    const doc = (await app.inject({ url: "/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/health",
      "/api/formats",
      "/api/datasets",
      "/api/datasets/{id}",
      "/api/datasets/{id}/items",
      "/api/datasets/{id}/import",
      "/api/datasets/{id}/export",
      "/api/validate",
      "/api/jobs",
      "/api/jobs/{id}",
      "/api/jobs/{id}/issues",
      "/api/jobs/{id}/cancel",
      "/api/jobs/{id}/result",
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(doc.paths["/api/jobs/{id}"].get.responses["404"]).toBeDefined();
  });
  it("serves the Swagger UI", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/docs/" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
  });
});

describe("errors", () => {
  it("answers an unknown route with a problem+json 404", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/api/nothing" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      title: "Not found",
      type: expect.any(String),
      detail: expect.stringContaining("/api/nothing"),
    });
  });
  it("answers bad parameters with a 400 problem listing each issue with a pointer", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/api/jobs?status=nope&limit=0" });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("BAD_REQUEST");
    expect(body.issues.map((i: { pointer: string }) => i.pointer).sort()).toEqual(["/limit", "/status"]);
  });
});

describe("token auth", () => {
  it("refuses a request without the token with 401, and a wrong token too", async () => {
    const { app } = await buildTestApp({ token: "s3cret" });
    const none = await app.inject({ url: "/api/datasets" });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
    expect(none.headers["content-type"]).toMatch(/problem\+json/);
    const wrong = await app.inject({ url: "/api/datasets", headers: { authorization: "Bearer other" } });
    expect(wrong.statusCode).toBe(401);
  });
  it("accepts the token, and leaves health and the docs open", async () => {
    const { app } = await buildTestApp({ token: "s3cret" });
    expect(
      (await app.inject({ url: "/api/datasets", headers: { authorization: "Bearer s3cret" } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: "/api/health" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/openapi.json" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/docs/" })).statusCode).toBe(200);
  });
  it("refuses an upload without the token before reading it", async () => {
    const { app } = await buildTestApp({ token: "s3cret" });
    const response = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: { "content-type": "application/json" },
      payload: "{}",
    });
    expect(response.statusCode).toBe(401);
  });
});
