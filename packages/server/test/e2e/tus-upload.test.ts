import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, VAL_INSTANCES, waitForJob } from "../helpers.js";

const TUS = { "tus-resumable": "1.0.0" };

/** Starts a real server (tus resumption needs real sockets) and returns a tiny tus client. */
async function tusServer(config: Parameters<typeof buildTestApp>[0] = {}) {
  const { app, data } = await buildTestApp(config, { forceCloseConnections: true });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const auth: Record<string, string> = config.token ? { authorization: `Bearer ${config.token}` } : {};
  const client = {
    base,
    async create(length: number, filename?: string, headers: Record<string, string> = auth) {
      const metadata: Record<string, string> = filename
        ? { "upload-metadata": `filename ${Buffer.from(filename).toString("base64")}` }
        : {};
      return fetch(`${base}/api/uploads`, {
        method: "POST",
        headers: { ...TUS, ...headers, "upload-length": String(length), ...metadata },
      });
    },
    async offset(location: string) {
      const response = await fetch(`${base}${location}`, { method: "HEAD", headers: { ...TUS, ...auth } });
      return { status: response.status, offset: Number(response.headers.get("upload-offset")) };
    },
    async patch(location: string, offset: number, bytes: Uint8Array) {
      return fetch(`${base}${location}`, {
        method: "PATCH",
        headers: {
          ...TUS,
          ...auth,
          "content-type": "application/offset+octet-stream",
          "upload-offset": String(offset),
        },
        body: new Uint8Array(bytes),
      });
    },
    async remove(location: string) {
      return fetch(`${base}${location}`, { method: "DELETE", headers: { ...TUS, ...auth } });
    },
    /** A PATCH whose connection drops after `sent` of the declared bytes. */
    async abortedPatch(location: string, offset: number, declared: number, sent: Uint8Array) {
      await new Promise<void>((resolve) => {
        const req = request(`${base}${location}`, {
          method: "PATCH",
          headers: {
            ...TUS,
            ...auth,
            "content-type": "application/offset+octet-stream",
            "upload-offset": String(offset),
            "content-length": String(declared),
          },
        });
        req.on("error", () => resolve());
        req.on("response", () => resolve());
        req.write(sent, () => setTimeout(() => req.destroy(), 50));
      });
    },
    json(path: string, body: unknown) {
      return fetch(`${base}${path}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    },
  };
  return { app, data, client };
}

describe("tus 1.0.0 at /api/uploads (a real listening server)", () => {
  it("creates, reports the offset, takes chunks, resumes after a dropped PATCH, and imports by upload_id", async () => {
    const { app, client } = await tusServer({ token: "t0k" });
    const file = await readFile(VAL_INSTANCES);
    const created = await client.create(file.length, "instances_val2017.json");
    expect(created.status).toBe(201);
    const location = created.headers.get("location") as string;
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-f]{32}$/);
    expect(await client.offset(location)).toEqual({ status: 200, offset: 0 });

    const first = Math.floor(file.length / 3);
    const patched = await client.patch(location, 0, file.subarray(0, first));
    expect(patched.status).toBe(204);
    expect(Number(patched.headers.get("upload-offset"))).toBe(first);
    expect((await client.offset(location)).offset).toBe(first);

    // The connection drops in the middle of the second chunk: the server keeps what arrived.
    const second = Math.floor((2 * file.length) / 3);
    await client.abortedPatch(location, first, file.length - first, file.subarray(first, second));
    const resumed = (await client.offset(location)).offset;
    expect(resumed).toBeGreaterThanOrEqual(first);
    expect(resumed).toBeLessThanOrEqual(second);
    // A PATCH at a wrong offset is refused (tus's 409).
    expect((await client.patch(location, resumed + 1, file.subarray(resumed + 1))).status).toBe(409);
    const last = await client.patch(location, resumed, file.subarray(resumed));
    expect(last.status).toBe(204);
    expect((await client.offset(location)).offset).toBe(file.length);

    const dataset = await (await client.json("/api/datasets", { name: "coco", preset: "coco-80" })).json();
    const id = location.split("/").pop() as string;
    const posted = await client.json(`/api/datasets/${dataset.id}/import`, { upload_id: id });
    expect(posted.status).toBe(202);
    const job = await waitForJob(app, (await posted.json()).id, undefined, 30_000, {
      authorization: "Bearer t0k",
    });
    expect(job.status).toBe("finished");
    const result = (
      await app.inject({ url: `/api/jobs/${job.id}/result`, headers: { authorization: "Bearer t0k" } })
    ).json();
    // Three images; the model keeps each COCO annotation as its box and its polygon.
    expect(result).toMatchObject({ images: 3, annotations: 6 });
    // The upload was moved to the job: it is gone from the store, and cannot be taken twice.
    expect((await client.offset(location)).status).toBe(404);
    const again = await client.json(`/api/datasets/${dataset.id}/import`, { upload_id: id });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: "UPLOAD_NOT_FOUND" });
  });

  it("answers 409 for an unfinished upload, 404 for an unknown one, and still imports COCO JSON bodies", async () => {
    const { app, client } = await tusServer();
    const id = await createDataset(app);
    const created = await client.create(100);
    const location = created.headers.get("location") as string;
    await client.patch(location, 0, new Uint8Array(10));
    const unfinished = await client.json(`/api/datasets/${id}/import`, {
      upload_id: location.split("/").pop(),
    });
    expect(unfinished.status).toBe(409);
    expect(await unfinished.json()).toMatchObject({ code: "UPLOAD_NOT_FINISHED" });
    const validate = await client.json("/api/validate", { upload_id: "0".repeat(32) });
    expect(validate.status).toBe(404);
    expect(await validate.json()).toMatchObject({ code: "UPLOAD_NOT_FOUND" });
    const traversal = await client.json("/api/validate", { upload_id: "../cocokit.sqlite" });
    expect(traversal.status).toBe(404);
    // A COCO file is never an upload reference, even a tiny one or one with an upload_id key.
    const coco = { images: [], annotations: [], categories: [{ id: 1, name: "a" }], upload_id: "x" };
    const posted = await client.json(`/api/datasets/${id}/import?filename=instances_default.json`, coco);
    expect(posted.status).toBe(202);
    expect((await waitForJob(app, (await posted.json()).id)).status).toBe("finished");
    // The unfinished upload is still there, untouched.
    expect(await client.offset(location)).toEqual({ status: 200, offset: 10 });
  });

  it("refuses a creation over --max-upload with 413, and needs the token when one is set", async () => {
    const { client } = await tusServer({ maxUpload: 1000, token: "t0k" });
    const tooLarge = await client.create(1001);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await tooLarge.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE" });
    expect((await client.create(1000)).status).toBe(201);
    const anonymous = await client.create(10, undefined, {});
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "UNAUTHORIZED" });
    const patch = await fetch(`${client.base}/api/uploads/${"0".repeat(32)}`, {
      method: "PATCH",
      headers: { ...TUS, "content-type": "application/offset+octet-stream", "upload-offset": "0" },
      body: "x",
    });
    expect(patch.status).toBe(401);
    // Discovery stays public, as browsers send it without credentials.
    const options = await fetch(`${client.base}/api/uploads`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("tus-extension")).toMatch(/creation.*termination.*expiration/);
    expect(options.headers.get("tus-max-size")).toBe("1000");
  });

  it("terminates an upload with DELETE, and removes expired ones in the background sweep", async () => {
    const { app, client } = await tusServer({ uploadTtlHours: 1 / 3_600_000 });
    const created = await client.create(20, "a.json");
    const location = created.headers.get("location") as string;
    expect((await client.remove(location)).status).toBe(204);
    expect((await client.offset(location)).status).toBe(404);

    const kept = (await client.create(20)).headers.get("location") as string;
    // The TTL is 1 ms: by the time the sweep runs the upload is past it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await app.sweepUploads()).toBe(1);
    expect((await client.offset(kept)).status).toBe(404);
  });

  it("attaches a zip of images sent as a tus upload to a dataset (media by upload_id)", async () => {
    const { app, client } = await tusServer();
    const { pngOf, zipOf } = await import("../images.js");
    const id = await createDataset(app);
    const coco = {
      images: [{ id: 1, file_name: "a.jpg", width: 2, height: 2 }],
      annotations: [],
      categories: [{ id: 1, name: "a" }],
    };
    const imported = await client.json(`/api/datasets/${id}/import?filename=instances_default.json`, coco);
    expect((await waitForJob(app, (await imported.json()).id)).status).toBe("finished");
    const zip = await zipOf({ "images/a.png": pngOf(2, 2) });
    const location = (await client.create(zip.length, "images.zip")).headers.get("location") as string;
    expect((await client.patch(location, 0, zip)).status).toBe(204);
    const posted = await client.json(`/api/datasets/${id}/media`, { upload_id: location.split("/").pop() });
    expect(posted.status).toBe(202);
    const job = await waitForJob(app, (await posted.json()).id);
    expect(job).toMatchObject({ status: "finished", type: "media" });
    expect((await app.inject({ url: `/api/jobs/${job.id}/result` })).json()).toMatchObject({ stored: 1 });
  });

  it("answers tus protocol errors as problems with a stable code, keeping tus's statuses and headers", async () => {
    const { client } = await tusServer();
    const location = (await client.create(10, "a.json")).headers.get("location") as string;
    const problem = async (response: Response) => ({
      status: response.status,
      type: response.headers.get("content-type"),
      tus: response.headers.get("tus-resumable"),
      body: (await response.json()) as { code: string; status: number; detail: string },
    });
    const conflict = await problem(await client.patch(location, 3, new Uint8Array(7)));
    expect(conflict).toMatchObject({
      status: 409,
      type: "application/problem+json",
      tus: "1.0.0",
      body: { code: "UPLOAD_OFFSET_CONFLICT", status: 409 },
    });
    expect(conflict.body.detail).toMatch(/expected Upload-Offset/);
    const missing = await problem(await client.patch("/api/uploads/nope", 0, new Uint8Array(1)));
    expect(missing).toMatchObject({ status: 404, body: { code: "UPLOAD_NOT_FOUND", status: 404 } });
    // HEAD has no body: its status and headers carry the answer.
    expect((await fetch(`${client.base}${location}`, { method: "HEAD" })).status).toBe(412);
    const noVersionPatch = await fetch(`${client.base}${location}`, {
      method: "PATCH",
      headers: { "content-type": "application/offset+octet-stream", "upload-offset": "0" },
      body: new Uint8Array(1),
    });
    expect(await problem(noVersionPatch)).toMatchObject({
      status: 412,
      type: "application/problem+json",
      body: { code: "TUS_VERSION_REQUIRED" },
    });
    const noType = await fetch(`${client.base}${location}`, {
      method: "PATCH",
      headers: { ...TUS, "upload-offset": "0" },
      body: new Uint8Array(1),
    });
    expect(await problem(noType)).toMatchObject({ status: 403, body: { code: "TUS_HEADER_REQUIRED" } });
    const badType = await fetch(`${client.base}${location}`, {
      method: "PATCH",
      headers: { ...TUS, "content-type": "text/plain", "upload-offset": "0" },
      body: "x",
    });
    expect(await problem(badType)).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
  });
});
