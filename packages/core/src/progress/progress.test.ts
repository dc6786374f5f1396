import { describe, expect, it } from "vitest";
import { type ProgressEvent, ProgressReporter, throwIfAborted } from "./progress.js";

describe("ProgressReporter", () => {
  it("sends a phase's first and last event and at most one per 100 ms between", () => {
    let time = 0;
    const seen: ProgressEvent[] = [];
    const reporter = new ProgressReporter(
      (e) => seen.push(e),
      () => time,
    );
    for (let done = 0; done <= 1000; done++) {
      time = done; // one millisecond per step: 1 s in all
      reporter.report({ phase: "parse", done, total: 1000, unit: "bytes" });
    }
    reporter.report({ phase: "build", done: 0, unit: "items" });
    expect(seen[0]).toMatchObject({ phase: "parse", done: 0 });
    expect(seen.at(-2)).toMatchObject({ phase: "parse", done: 1000 });
    expect(seen.at(-1)).toMatchObject({ phase: "build", done: 0 });
    expect(seen.length).toBeLessThanOrEqual(13);
    expect(seen.length).toBeGreaterThanOrEqual(10);
  });

  it("is inactive and silent without a listener", () => {
    const reporter = new ProgressReporter(undefined);
    expect(reporter.active).toBe(false);
    reporter.report({ phase: "read", done: 1, unit: "bytes" });
  });
});

describe("throwIfAborted", () => {
  it("throws aborted with the file once the signal fires", () => {
    const controller = new AbortController();
    throwIfAborted(controller.signal, "a.json");
    controller.abort(new Error("stop"));
    expect(() => throwIfAborted(controller.signal, "a.json")).toThrow(
      expect.objectContaining({ code: "aborted", file: "a.json" }),
    );
  });
});
