import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { configFromEnv, parseConfig, parseSize } from "../src/config.js";

describe("parseSize", () => {
  it.each([
    ["20GB", 20e9],
    ["512MiB", 512 * 1024 ** 2],
    ["1000", 1000],
    ["1.5kb", 1500],
  ])("%s → %d bytes", (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it("rejects what is not a size", () => {
    expect(parseSize("lots")).toBeUndefined();
    expect(parseSize("10XB")).toBeUndefined();
  });
});

describe("parseConfig", () => {
  it("has shared-queue settings: a prefix, BullMQ's lock time and a number of attempts", () => {
    expect(parseConfig({})).toMatchObject({ queuePrefix: "cocokit", queueLockMs: 30_000, queueAttempts: 3 });
    const env = {
      COCOKIT_QUEUE: "redis://127.0.0.1:6379",
      COCOKIT_ROLE: "worker",
      COCOKIT_QUEUE_PREFIX: "team-a",
      COCOKIT_QUEUE_LOCK_MS: "1000",
      COCOKIT_QUEUE_ATTEMPTS: "5",
    };
    expect(parseConfig(configFromEnv(env))).toMatchObject({
      role: "worker",
      queuePrefix: "team-a",
      queueLockMs: 1000,
      queueAttempts: 5,
    });
    expect(() => parseConfig({ queueAttempts: 0 })).toThrow(/queueAttempts/);
  });
  it("fills the documented defaults", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      // Absolute, from the working directory: job threads build their paths from it too.
      data: resolve("./cocokit-data"),
      maxUpload: 20e9,
      uploadTtlHours: 24,
    });
    expect(config.workers).toBeGreaterThanOrEqual(1);
    expect(config.token).toBeUndefined();
  });
  it("reads COCOKIT_* variables, as text", () => {
    const env = {
      COCOKIT_PORT: "9000",
      COCOKIT_MAX_UPLOAD: "1MB",
      COCOKIT_TOKEN: "t",
      COCOKIT_WORKERS: "3",
      COCOKIT_UPLOAD_TTL: "0.5",
      COCOKIT_WEB: "apps/demo/dist",
      OTHER: "x",
    };
    expect(parseConfig(configFromEnv(env))).toMatchObject({
      port: 9000,
      maxUpload: 1e6,
      token: "t",
      workers: 3,
      uploadTtlHours: 0.5,
      web: "apps/demo/dist",
    });
  });
  it("names every bad setting in one error", () => {
    expect(() => parseConfig({ port: "http", maxUpload: "big" } as never)).toThrow(
      /port:[\s\S]*maxUpload: expected a size/,
    );
  });
});
