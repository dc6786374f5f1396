/**
 * Several `cocokit-server` processes (the bin over the built bundle, as users run it) sharing
 * one data folder (and, in the suite's PostgreSQL pass, one PostgreSQL database) and one Redis queue. Each test gets its own queue prefix. Extra settings (a
 * PostgreSQL database, S3 storage) go through `ClusterSettings.args`/`env`, or for every cluster
 * of a run through `COCOKIT_TEST_CLUSTER_ARGS` (space-separated flags).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { testDatabase } from "../helpers.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "cocokit-server.js");

/** What every process of one cluster shares. */
export interface ClusterSettings {
  data: string;
  /** `redis://…` */
  queue: string;
  /** Redis key prefix; default a fresh one per cluster, so tests never share a queue. */
  prefix?: string;
  /** Extra flags for every process (`--database postgres://…`, `--storage s3://…`). */
  args?: string[];
  /** Extra variables for every process. */
  env?: Record<string, string>;
}

/** One running server process. */
export interface ServerProcess {
  role: string;
  url: string;
  child: ChildProcess;
  exit: Promise<void>;
  /** Its JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Ids of the jobs whose thread it started, once per start. */
  started(): number[];
  /** Sends `signal` and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A cluster's processes, started by `spawn`. */
export interface Cluster {
  prefix: string;
  settings: ClusterSettings;
  processes: ServerProcess[];
  spawn(
    role: "api" | "worker" | "all",
    extra?: { args?: string[]; env?: Record<string, string> },
  ): Promise<ServerProcess>;
  /** Job ids started across every process, one entry per start. */
  started(): number[];
}

/** A cluster over `settings`; its processes are killed after the test. */
export function cluster(settings: ClusterSettings): Cluster {
  const prefix = settings.prefix ?? `cocokit-test-${randomUUID()}`;
  const processes: ServerProcess[] = [];
  const runArgs = (process.env.COCOKIT_TEST_CLUSTER_ARGS ?? "").split(" ").filter(Boolean);
  // The run's store (a fresh PostgreSQL database in the suite's PostgreSQL pass) unless the
  // cluster names its own. Asked for before the kill hook below, so the database is dropped
  // after the processes are gone (hooks run last-registered first).
  const named = [...runArgs, ...(settings.args ?? [])].includes("--database");
  const database = named ? Promise.resolve(undefined) : testDatabase(settings.data);
  onTestFinished(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
  });
  return {
    prefix,
    settings,
    processes,
    async spawn(role, extra = {}) {
      const args = [
        BIN,
        ...["--host", "127.0.0.1", "--port", "0", "--data", settings.data],
        ...["--queue", settings.queue, "--queue-prefix", prefix, "--role", role],
        ...runArgs,
        ...(await database.then((url) => (url ? ["--database", url] : []))),
        ...(settings.args ?? []),
        ...(extra.args ?? []),
      ];
      const child = spawn(process.execPath, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          // Short locks: a killed worker's job moves on within seconds, not a minute; long enough
          // that a live worker on a loaded machine still renews its locks in time.
          COCOKIT_QUEUE_LOCK_MS: "2000",
          COCOKIT_WORKERS: "2",
          ...settings.env,
          ...extra.env,
        },
      });
      const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const logs: Record<string, unknown>[] = [];
      let out = "";
      let err = "";
      child.stderr?.on("data", (chunk) => {
        err += chunk;
      });
      const url = await new Promise<string>((resolve, reject) => {
        let pending = "";
        child.stdout?.on("data", (chunk) => {
          out += chunk;
          pending += chunk;
          const lines = pending.split("\n");
          pending = lines.pop() ?? "";
          for (const line of lines) {
            if (line.startsWith("{")) logs.push(JSON.parse(line));
            const match = /listening on (http:\/\/\S+)/.exec(line);
            if (match) resolve(match[1] as string);
          }
        });
        child.once("exit", () => reject(new Error(`${role} exited before listening:\n${out}\n${err}`)));
      });
      const proc: ServerProcess = {
        role,
        url,
        child,
        exit,
        logs,
        started: () => logs.filter((l) => l.msg === "job started").map((l) => l.job_id as number),
        async stop(signal = "SIGTERM") {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          await exit;
        },
      };
      processes.push(proc);
      return proc;
    },
    started() {
      return processes.flatMap((p) => p.started());
    },
  };
}

/** JSON of a request to one process. */
export async function call(
  proc: ServerProcess,
  path: string,
  init: { method?: string; json?: unknown; body?: Uint8Array; type?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${proc.url}${path}`, {
    method: init.method ?? (init.json !== undefined || init.body ? "POST" : "GET"),
    headers: { "content-type": init.type ?? "application/json" },
    body:
      init.json !== undefined
        ? JSON.stringify(init.json)
        : init.body
          ? new Blob([new Uint8Array(init.body)])
          : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A process's error log lines, for a failure message. */
export function errorLogs(proc: ServerProcess): string {
  return proc.logs
    .filter((line) => (line.level as number) >= 50)
    .map((line) => JSON.stringify(line))
    .join("\n");
}

const ENDED = ["finished", "failed", "cancelled"];

/** Polls a job through `proc` until `done` (default: it ended); fails after `timeoutMs`. */
export async function waitForJob(
  proc: ServerProcess,
  id: number,
  done: (job: Record<string, unknown>) => boolean = (job) => ENDED.includes(job.status as string),
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call(proc, `/api/jobs/${id}`);
    if (done(body)) return body;
    if (Date.now() > end) throw new Error(`gave up waiting for job ${id}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates a dataset through `proc` and returns its id. */
export async function createDataset(proc: ServerProcess, name = "scale"): Promise<number> {
  const { status, body } = await call(proc, "/api/datasets", { json: { name } });
  if (status !== 201) throw new Error(`dataset not created: ${JSON.stringify(body)}`);
  return body.id as number;
}

/** Submits an import of `bytes` (JSON, append mode: a second run would fail on its ids) and returns its job id. */
export async function submitImport(proc: ServerProcess, dataset: number, bytes: Uint8Array): Promise<number> {
  const { status, body } = await call(
    proc,
    `/api/datasets/${dataset}/import?filename=instances.json&mode=append`,
    { body: bytes },
  );
  if (status !== 202)
    throw new Error(`import not accepted: ${status} ${JSON.stringify(body)}\n${errorLogs(proc)}`);
  return body.id as number;
}

/** Waits until a live process of `c` started `job`'s thread (more than `skip` starts in all) and returns it. */
export async function runnerOf(c: Cluster, job: number, skip = 0): Promise<ServerProcess> {
  for (;;) {
    const proc = c.processes.find(
      (p) =>
        p.started().filter((id) => id === job).length > 0 &&
        p.child.exitCode === null &&
        p.child.signalCode === null,
    );
    if (proc && c.started().filter((id) => id === job).length > skip) return proc;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many times any process of `c` started `job`. */
export const startsOf = (c: Cluster, job: number): number => c.started().filter((id) => id === job).length;
