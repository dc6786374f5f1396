import { availableParallelism } from "node:os";
import { resolve as resolvePath } from "node:path";
import { z } from "zod";

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
};

/** Parses a size such as `20GB`, `512MiB` or `1000` (bytes); undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[(match[2] || "B").toUpperCase()];
  return unit === undefined ? undefined : Math.floor(Number(match[1]) * unit);
}

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === "number" ? value : parseSize(value);
  if (bytes === undefined || !Number.isInteger(bytes) || bytes <= 0) {
    ctx.addIssue({ code: "custom", message: `expected a size such as 20GB or 512MiB, found "${value}"` });
    return z.NEVER;
  }
  return bytes;
});

/** The server's settings, checked once at boot; tests pass literal objects through it. */
export const ConfigSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /**
     * Folder for the SQLite file, uploads and results. Made absolute here (from the working
     * directory) so every path built from it, in the API and in job threads, names one file.
     */
    data: z
      .string()
      .min(1)
      .default("./cocokit-data")
      .transform((dir) => resolvePath(dir)),
    /** When set, every route but `/api/health` and the docs needs `Authorization: Bearer <token>`. */
    token: z.string().min(1).optional(),
    /** Largest accepted upload, in bytes (or a size text such as `20GB`). */
    maxUpload: size.default(20e9),
    /** Jobs run at once, each in its own worker thread. */
    workers: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
    /** Minimum time between two progress writes of one job, in ms. */
    progressIntervalMs: z.number().int().min(0).default(500),
    /** How long finished results are kept, in hours. */
    resultTtlHours: z.number().positive().default(24),
    /** How long a resumable (tus) upload is kept after its creation when no job takes it, in hours. */
    uploadTtlHours: z.coerce.number().positive().default(24),
    /** A folder of static files (the built web page) served at `/`, without the token. */
    web: z.string().min(1).optional(),
    /** `postgres://…` to keep the store in PostgreSQL; default the embedded SQLite in the data folder. */
    database: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
      .optional(),
    /** `redis://…` to run jobs through BullMQ, shared by several processes; default the in-process queue. */
    queue: z
      .string()
      .regex(/^rediss?:\/\//, "expected a redis:// URL")
      .optional(),
    /** `s3://bucket?endpoint=…&region=…` to keep uploads, results and media in S3; default the data folder. */
    storage: z
      .string()
      .regex(/^s3:\/\/[^/?]+/, "expected s3://bucket?endpoint=…&region=…")
      .optional(),
    /** What this process does: `api` takes requests and enqueues, `worker` runs jobs, `all` both. */
    role: z.enum(["api", "worker", "all"]).default("all"),
    /** Namespace of the BullMQ keys in Redis: processes sharing one prefix share one queue. */
    queuePrefix: z.string().min(1).default("cocokit"),
    /**
     * How long a worker's hold on a job lasts without renewal, in ms: a worker that died is noticed
     * (and its job handed to another) within about twice this. BullMQ's `lockDuration`.
     */
    queueLockMs: z.coerce.number().int().min(100).default(30_000),
    /** Runs a job may lose to a dead worker (BullMQ stalls) before it is failed: a job that keeps killing its workers ends. */
    queueAttempts: z.coerce.number().int().min(1).max(100).default(3),
    /** Results download through presigned S3 URLs (a redirect) instead of a stream through the API. */
    presign: z
      .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
      .transform((value) => value === true || value === "true" || value === "1")
      .default(false),
  })
  .superRefine((config, ctx) => {
    // Separate api and worker processes only meet through a shared queue.
    if (config.role !== "all" && config.queue === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["role"],
        message: `--role ${config.role} needs a shared queue (--queue redis://…); without one use --role all`,
      });
    if (config.presign && config.storage === undefined)
      ctx.addIssue({ code: "custom", path: ["presign"], message: "--presign needs --storage s3://…" });
  });

/** Settings after parsing: every default filled in. */
export type Config = z.output<typeof ConfigSchema>;
/** Settings as given (CLI, env, tests). */
export type ConfigInput = z.input<typeof ConfigSchema>;

const ENV_NAMES = {
  host: "COCOKIT_HOST",
  port: "COCOKIT_PORT",
  data: "COCOKIT_DATA",
  token: "COCOKIT_TOKEN",
  maxUpload: "COCOKIT_MAX_UPLOAD",
  workers: "COCOKIT_WORKERS",
  uploadTtlHours: "COCOKIT_UPLOAD_TTL",
  web: "COCOKIT_WEB",
  database: "COCOKIT_DATABASE",
  queue: "COCOKIT_QUEUE",
  storage: "COCOKIT_STORAGE",
  role: "COCOKIT_ROLE",
  queuePrefix: "COCOKIT_QUEUE_PREFIX",
  queueLockMs: "COCOKIT_QUEUE_LOCK_MS",
  queueAttempts: "COCOKIT_QUEUE_ATTEMPTS",
  presign: "COCOKIT_PRESIGN",
} as const;

/** Settings from `COCOKIT_*` variables; options given on the command line win over them. */
export function configFromEnv(env: Record<string, string | undefined>): Partial<ConfigInput> {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out as Partial<ConfigInput>;
}

/** Parses settings, throwing one readable error that names each bad setting. */
export function parseConfig(input: Partial<ConfigInput>): Config {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${issue.path.join(".") || "config"}: ${issue.message}`);
  throw new Error(`invalid server settings:\n  ${lines.join("\n  ")}`);
}
