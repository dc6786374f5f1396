// What the server's benches share: the W1 file, the built bin started as a child process, the
// tests' real-server starters (PostgreSQL, Redis, s3rver), and the few API calls they make.
import { execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
export const SERVER_BIN = here("../bin/cocokit-server.js");
const GENERATOR = here("../../../../shared/tools/gen_coco_synth.py");

/** The W1 file: COCOKIT_BENCH_W1, or generated once (seed 7; `images` for a smaller one) and reused. */
export function workload(images) {
  if (process.env.COCOKIT_BENCH_W1) return process.env.COCOKIT_BENCH_W1;
  const dir = join(tmpdir(), "cocokit-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, images ? `w1-seed7-${images}.json` : "w1-seed7.json");
  if (!existsSync(path)) {
    const partial = `${path}.partial`;
    const args = [GENERATOR, partial, "--seed", "7", ...(images ? ["--images", String(images)] : [])];
    execFileSync("python3", args, { stdio: "inherit" });
    renameSync(partial, path);
  }
  return path;
}

/** The tests' real-server starters (TypeScript), bundled inside the package so their imports resolve. */
export async function testServers() {
  const outfile = here("../node_modules/.cache/cocokit-bench/servers.mjs");
  await build({
    stdin: {
      contents: `export * from "./postgres.ts"; export * from "./redis.ts"; export * from "./s3.ts";`,
      resolveDir: here("../test/servers"),
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return import(outfile);
}

/** The built bin on 127.0.0.1 and a free port; resolves with its URL once it listens. */
export function startServer(args, env = {}) {
  const child = spawn(process.execPath, [SERVER_BIN, "--host", "127.0.0.1", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    const listen = (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      // The rest of its log is not needed.
      child.stdout.off("data", listen);
      child.stdout.resume();
      resolve({ url: match[1], stop: () => child.kill("SIGTERM"), exited });
    };
    child.stdout.on("data", listen);
    child.once("exit", () => reject(new Error(`server exited: ${out.slice(-2000)}`)));
  });
}

/** JSON of a request; throws with the answer's text when it is not 2xx. */
export async function api(url, init) {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Polls a job until it ended. */
export async function waitForJob(url, id) {
  for (;;) {
    const job = await api(`${url}/api/jobs/${id}`);
    if (["finished", "failed", "cancelled"].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function createDataset(url, name) {
  return (
    await api(`${url}/api/datasets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name }),
    })
  ).id;
}

/** Streams a file as an import's body and waits for the job. */
export async function importFile(url, dataset, path, filename) {
  const job = await api(`${url}/api/datasets/${dataset}/import?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(statSync(path).size) },
    body: Readable.toWeb(createReadStream(path)),
    duplex: "half",
  });
  return waitForJob(url, job.id);
}
