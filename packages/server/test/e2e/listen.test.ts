import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { buildTestApp, VAL_INSTANCES } from "../helpers.js";

/** POSTs a chunked body (no Content-Length) and resolves with the status, even if the server stops reading. */
function postChunked(
  url: string,
  chunks: Buffer[],
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      }
      req.end();
    })().catch(() => {});
  });
}

describe("a real listening server on 127.0.0.1:0", () => {
  it("runs the flow: health, create with coco-80, import, poll the job, export, download the zip", async () => {
    // fetch keeps its sockets alive; close must not wait for them.
    const { app } = await buildTestApp({ token: "t0k" }, { forceCloseConnections: true });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const auth = { authorization: "Bearer t0k" };
    expect(await (await fetch(`${base}/api/health`)).json()).toMatchObject({ status: "ok" });
    expect((await fetch(`${base}/api/datasets`)).status).toBe(401);
    const dataset = await (
      await fetch(`${base}/api/datasets`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: "coco", preset: "coco-80" }),
      })
    ).json();
    const posted = await fetch(`${base}/api/datasets/${dataset.id}/import?filename=instances_val2017.json`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: await readFile(VAL_INSTANCES),
    });
    expect(posted.status).toBe(202);
    const location = posted.headers.get("location");
    const poll = async (path: string) => {
      for (;;) {
        const job = await (await fetch(`${base}${path}`, { headers: auth })).json();
        if (["finished", "failed", "cancelled"].includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect((await poll(location as string)).status).toBe("finished");
    const exported = await fetch(`${base}/api/datasets/${dataset.id}/export`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    const job = await poll(exported.headers.get("location") as string);
    const zip = await fetch(`${base}${job.result_url}`, { headers: auth });
    expect(zip.status).toBe(200);
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect(bytes.length).toBe(Number(zip.headers.get("content-length")));
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it("answers a chunked upload past --max-upload with 413 while the client is still sending", async () => {
    const { app } = await buildTestApp({ maxUpload: 64 * 1024 }, { forceCloseConnections: true });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(16 * 1024, 0x20));
    const response = await postChunked(`${base}/api/validate`, chunks, {
      "content-type": "application/json",
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ code: "UPLOAD_TOO_LARGE" });
    expect((await app.inject({ url: "/api/jobs" })).json().count).toBe(0);
  });
});
