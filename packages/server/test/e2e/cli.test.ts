import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresDatabase, tempDataDir } from "../helpers.js";
import { freePort } from "../servers/free-port.js";

// The command as users run it: the bin over the built bundle (turbo builds before tests).
const BIN = join(import.meta.dirname, "..", "..", "bin", "cocokit-server.js");

function start(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", () => reject(new Error(`exited before listening: ${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exit };
}

/** Boots the bin with `args` expecting it to stop: its exit code and everything it wrote to stderr. */
async function bootFailure(args: string[]): Promise<{ code: number | null; err: string }> {
  const server = start(["--port", "0", "--data", await tempDataDir(), ...args]);
  server.url.catch(() => {});
  let err = "";
  server.child.stderr?.on("data", (c) => {
    err += c;
  });
  return { code: await server.exit, err };
}

describe("cocokit-server (the built bin)", () => {
  it("prints the URL it listens on, takes settings from COCOKIT_* and stops cleanly on SIGTERM", async () => {
    const data = await tempDataDir();
    const server = start(["--port", "0", "--host", "127.0.0.1"], {
      COCOKIT_DATA: data,
      COCOKIT_TOKEN: "tk",
      COCOKIT_WORKERS: "1",
    });
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await fetch(`${url}/api/datasets`)).status).toBe(401);
    expect(existsSync(join(data, "cocokit.sqlite"))).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  });

  it("imports with a relative --data, as pnpm start runs it (./cocokit-data)", async () => {
    const cwd = await tempDataDir();
    const server = start(["--port", "0", "--host", "127.0.0.1", "--data", "./cocokit-data"], {}, cwd);
    const url = await server.url;
    const dataset = await (
      await fetch(`${url}/api/datasets`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "relative" }),
      })
    ).json();
    const body = JSON.stringify({
      images: [{ id: 1, file_name: "a.jpg", width: 4, height: 4 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], area: 4, iscrowd: 0 }],
      categories: [{ id: 1, name: "a" }],
    });
    const accepted = await (
      await fetch(`${url}/api/datasets/${dataset.id}/import?filename=instances_default.json`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      })
    ).json();
    let job: { status: string; message: string | null } = { status: "queued", message: null };
    for (let i = 0; i < 200 && ["queued", "started"].includes(job.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await (await fetch(`${url}/api/jobs/${accepted.id}`)).json();
    }
    expect(job).toMatchObject({ status: "finished" });
    expect(existsSync(join(cwd, "cocokit-data", "cocokit.sqlite"))).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  });

  it("stops cleanly on SIGINT too", async () => {
    const server = start(["--port", "0", "--data", await tempDataDir()]);
    await server.url;
    server.child.kill("SIGINT");
    expect(await server.exit).toBe(0);
  });

  it("refuses a bad setting at boot with exit code 2, naming it", async () => {
    const server = start(["--port", "0", "--max-upload", "huge", "--data", await tempDataDir()]);
    server.url.catch(() => {});
    let err = "";
    server.child.stderr?.on("data", (c) => {
      err += c;
    });
    expect(await server.exit).toBe(2);
    expect(err).toMatch(/maxUpload: expected a size/);
  });

  it("passes --upload-ttl to the setting it names (a bad one stops the boot)", async () => {
    const server = start(["--port", "0", "--upload-ttl", "0", "--data", await tempDataDir()]);
    server.url.catch(() => {});
    let err = "";
    server.child.stderr?.on("data", (c) => {
      err += c;
    });
    expect(await server.exit).toBe(2);
    expect(err).toMatch(/uploadTtlHours:/);
  });

  it("keeps the store in PostgreSQL with --database, nothing in the data folder's SQLite", async () => {
    const data = await tempDataDir();
    const database = await postgresDatabase(data);
    const server = start(["--port", "0", "--data", data, "--database", database, "--workers", "1"]);
    const url = await server.url;
    const created = await fetch(`${url}/api/datasets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "in postgres" }),
    });
    expect(created.status).toBe(201);
    expect(existsSync(join(data, "cocokit.sqlite"))).toBe(false);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  });

  it("stops with one line naming the PostgreSQL URL, without its password, when it cannot connect", async () => {
    const url = `postgres://cocokit:s3cret@127.0.0.1:${await freePort()}/nowhere`;
    const { code, err } = await bootFailure(["--database", url]);
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^cocokit-server: could not connect to PostgreSQL at postgres:\/\/cocokit:\*\*\*@127\.0\.0\.1:\d+\/nowhere: /,
      ),
    ]);
    expect(err).not.toContain("s3cret");
  });

  it("stops with one line naming the Redis URL when --queue cannot connect (no retry log flood)", async () => {
    const url = `redis://:s3cret@127.0.0.1:${await freePort()}`;
    const { code, err } = await bootFailure(["--queue", url]);
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^cocokit-server: could not connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED /,
      ),
    ]);
    expect(err).not.toContain("s3cret");
  });
});
