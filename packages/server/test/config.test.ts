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
  it("fills the documented defaults", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      data: "./cocokit-data",
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
