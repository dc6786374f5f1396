import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { tempDataDir, VAL_INSTANCES } from "../helpers.js";
import { S3_CREDENTIALS } from "../servers/s3.js";
import { freshStorage, keysUnder, objectBytes } from "../storage/s3-test-bucket.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "cocokit-server.js");

function start(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...S3_CREDENTIALS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => void child.kill("SIGTERM"));
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", () => reject(new Error(`exited before listening: ${out}`)));
  });
  return { child, url };
}

async function finished(url: string, id: number): Promise<Record<string, unknown>> {
  for (;;) {
    const job = await (await fetch(`${url}/api/jobs/${id}`)).json();
    if (["finished", "failed", "cancelled"].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("cocokit-server --storage s3://… --presign (the built bin)", () => {
  it("imports through S3, exports to it and redirects the download to a presigned URL of the zip", async () => {
    const s3 = freshStorage();
    const server = start(["--port", "0", "--data", await tempDataDir(), "--storage", s3.url, "--presign"]);
    const url = await server.url;
    const created = await fetch(`${url}/api/datasets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "val" }),
    });
    const id = (await created.json()).id;
    const imported = await fetch(`${url}/api/datasets/${id}/import?filename=instances_val2017.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await readFile(VAL_INSTANCES),
    });
    expect(await finished(url, (await imported.json()).id)).toMatchObject({ status: "finished" });
    const exported = await fetch(`${url}/api/datasets/${id}/export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const job = await finished(url, (await exported.json()).id);
    expect(job).toMatchObject({ status: "finished" });
    expect(await keysUnder(s3.endpoint, s3.prefix)).toEqual([`results/job-${job.id}.zip`]);
    const redirect = await fetch(`${url}/api/jobs/${job.id}/result`, { redirect: "manual" });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get("location") as string;
    expect(location.startsWith(`${s3.endpoint}/cocokit/${s3.prefix}/results/job-${job.id}.zip?`)).toBe(true);
    const followed = await fetch(`${url}/api/jobs/${job.id}/result`);
    expect(followed.status).toBe(200);
    const bytes = Buffer.from(await followed.arrayBuffer());
    // The redirect's bytes are the stored zip's, read with a client of the test's own.
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(bytes.equals(await objectBytes(s3.endpoint, s3.prefix, `results/job-${job.id}.zip`))).toBe(true);
  });
});
