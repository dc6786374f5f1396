/**
 * A real Redis server for tests (Debian's `redis-server`, installed by `.ci/run` when missing),
 * on 127.0.0.1 with append-only persistence in a temp folder, so a test can restart it and find
 * its queued jobs again.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitUntil } from "./free-port.js";

export interface RedisServer {
  url: string;
  /** Stops the server (SIGKILL when `hard`) and starts it again on the same port and files. */
  restart(options?: { hard?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}

/** Starts one; `durable: false` turns persistence off (benches measure throughput, not durability). */
export async function startRedis({ durable = true }: { durable?: boolean } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "cocokit-redis-"));
  const port = await freePort();
  let server: ChildProcess | undefined;
  const launch = async () => {
    const child = spawn(
      "redis-server",
      [
        "--bind",
        "127.0.0.1",
        "--port",
        String(port),
        "--dir",
        dir,
        "--appendonly",
        durable ? "yes" : "no",
        "--appendfsync",
        "always",
        "--save",
        "",
        "--protected-mode",
        "yes",
      ],
      { stdio: "ignore" },
    );
    child.once("error", () => undefined);
    server = child;
    await waitUntil(async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error("redis-server exited (is it installed? apt-get install -y redis-server)");
      return ping(port);
    }, "Redis");
  };
  const halt = async (signal: NodeJS.Signals) => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(options = {}) {
      await halt(options.hard ? "SIGKILL" : "SIGTERM");
      await launch();
    },
    async stop() {
      await halt("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
