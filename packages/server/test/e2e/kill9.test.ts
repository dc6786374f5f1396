import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import { tempDataDir, VAL_INSTANCES } from "../helpers.js";

// The command as users run it: the bin over the built bundle (turbo builds before tests).
const BIN = join(import.meta.dirname, "..", "..", "bin", "cocokit-server.js");

/** Starts the bin on a free port of 127.0.0.1 over `data`; resolves with its URL. */
async function start(data: string): Promise<{ child: ChildProcess; url: string; exit: Promise<unknown> }> {
  const child = spawn(
    process.execPath,
    [BIN, "--host", "127.0.0.1", "--port", "0", "--data", data, "--workers", "1"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exit = new Promise((resolve) => child.on("exit", resolve));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exit;
    }
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", () => reject(new Error(`exited before listening: ${out}`)));
  });
  return { child, url, exit };
}

async function json(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  return (await response.json()) as Record<string, unknown>;
}

async function waitFor(
  url: string,
  done: (job: Record<string, unknown>) => boolean,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await json(url);
    if (done(job)) return job;
    if (Date.now() > end) throw new Error(`gave up waiting: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ended = (job: Record<string, unknown>) =>
  ["finished", "failed", "cancelled"].includes(job.status as string);

function importJson(url: string, dataset: number, body: Buffer, filename: string) {
  return json(`${url}/api/datasets/${dataset}/import?filename=${filename}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new Blob([new Uint8Array(body)]),
  });
}

describe("cocokit-server killed with SIGKILL in the middle of an import", () => {
  it("restarts with the job failed 'interrupted', the queued job run, old results kept and the dataset as it was", async () => {
    const data = await tempDataDir();
    let server = await start(data);
    const dataset = (
      await json(`${server.url}/api/datasets`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "durable" }),
      })
    ).id as number;
    const first = await importJson(
      server.url,
      dataset,
      await readFile(VAL_INSTANCES),
      "instances_val2017.json",
    );
    expect(await waitFor(`${server.url}/api/jobs/${first.id}`, ended)).toMatchObject({ status: "finished" });
    const exported = await json(`${server.url}/api/datasets/${dataset}/export`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ format: "COCO 1.0" }),
    });
    expect(await waitFor(`${server.url}/api/jobs/${exported.id}`, ended)).toMatchObject({
      status: "finished",
    });
    const zip = Buffer.from(
      await (await fetch(`${server.url}/api/jobs/${exported.id}/result`)).arrayBuffer(),
    );
    const before = await json(`${server.url}/api/datasets/${dataset}`);
    expect(before.images_count).toBeGreaterThan(0);

    // 400,000 annotations (about 60 MB): still being read and stored when the server dies.
    const big = join(data, "instances_big.json");
    await writeSyntheticCoco(big, 40_000, 10);
    const running = await importJson(server.url, dataset, await readFile(big), "instances_big.json");
    // One worker: this one waits its turn.
    const queued = await json(`${server.url}/api/validate?filename=instances_val2017.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([new Uint8Array(await readFile(VAL_INSTANCES))]),
    });
    const mid = await waitFor(
      `${server.url}/api/jobs/${running.id}`,
      // Storing rows: its transaction is open and holds part of the file.
      (job) =>
        ended(job) || (job.status === "started" && job.phase === "store" && (job.progress as number) > 0),
    );
    expect(mid).toMatchObject({ status: "started", phase: "store" });
    server.child.kill("SIGKILL");
    await server.exit;

    server = await start(data);
    expect(await json(`${server.url}/api/jobs/${running.id}`)).toMatchObject({
      status: "failed",
      error_code: "interrupted",
      message: expect.stringContaining("interrupted"),
    });
    expect(await waitFor(`${server.url}/api/jobs/${queued.id}`, ended)).toMatchObject({ status: "finished" });
    const download = await fetch(`${server.url}/api/jobs/${exported.id}/result`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
    const after = await json(`${server.url}/api/datasets/${dataset}`);
    expect(after).toEqual(before);
  });
});
