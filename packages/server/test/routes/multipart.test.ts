import { readdir, readFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, VAL_INSTANCES, waitForJob } from "../helpers.js";
import { multipartOf, zipOf } from "../images.js";

describe("multipart/form-data bodies (field file)", () => {
  it("imports a COCO JSON sent as the file field, named by the part's filename", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "coco", preset: "coco-80" });
    const body = await multipartOf("file", await readFile(VAL_INSTANCES), "instances_val2017.json");
    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/import`, ...body });
    expect(response.statusCode, response.body).toBe(202);
    const job = await waitForJob(app, response.json().id);
    expect(job.status).toBe("finished");
    const detail = (await app.inject({ url: `/api/datasets/${id}` })).json();
    // The subset comes from the part's file name, as it does from ?filename= for a raw body.
    expect(detail.subsets).toEqual([expect.objectContaining({ name: "val2017", images: 3 })]);
  });

  it("validates a zip sent as the file field (its type found from its bytes)", async () => {
    const { app } = await buildTestApp();
    const zip = await zipOf({ "annotations/instances_val2017.json": await readFile(VAL_INSTANCES) });
    const body = await multipartOf("file", zip, "upload.bin");
    const response = await app.inject({ method: "POST", url: "/api/validate", ...body });
    expect(response.statusCode).toBe(202);
    const job = await waitForJob(app, response.json().id);
    expect(job.status).toBe("finished");
    const report = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
    expect(report).toMatchObject({ errorCount: 0, layout: "coco" });
  });

  it("answers 400 for another field name and 400 for a form without a file", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const wrong = await multipartOf("data", Buffer.from("{}"), "a.json");
    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/import`, ...wrong });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/"file"/);
    const form = new FormData();
    form.append("note", "no file here");
    const request = new Request("http://localhost/", { method: "POST", body: form });
    const empty = await app.inject({
      method: "POST",
      url: "/api/validate",
      headers: { "content-type": request.headers.get("content-type") as string },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    expect(empty.statusCode).toBe(400);
    expect((await app.inject({ url: "/api/jobs" })).json().count).toBe(0);
  });

  it("answers 413 for a declared Content-Length over --max-upload", async () => {
    const { app } = await buildTestApp({ maxUpload: 1000 });
    const body = await multipartOf("file", Buffer.alloc(2000, 0x20), "a.json");
    const response = await app.inject({ method: "POST", url: "/api/validate", ...body });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE" });
  });

  it("answers 413 for a chunked multipart body whose file passes --max-upload, keeping nothing", async () => {
    const { app, data } = await buildTestApp({ maxUpload: 64 * 1024 }, { forceCloseConnections: true });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const body = await multipartOf("file", Buffer.alloc(256 * 1024, 0x20), "big.json");
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/validate`, {
        method: "POST",
        headers: { ...body.headers, "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.end(body.payload);
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject({ code: "UPLOAD_TOO_LARGE" });
    expect((await app.inject({ url: "/api/jobs" })).json().count).toBe(0);
    expect(await readdir(join(data, "uploads"))).toEqual([]);
  });
});
