import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without types
import { apiReport, REPORT_PATH } from "../scripts/api-report.mjs";

// The committed report is the public API as reviewed: a change to what users can import (a new
// export, a renamed option, a changed signature) fails here until api-report.md is regenerated
// with `pnpm --filter @cocokit/core api:update` and the diff is looked at.
describe("the public API report", () => {
  it("api-report.md matches the exports of every entry point", () => {
    const committed = readFileSync(REPORT_PATH, "utf8");
    expect(apiReport()).toBe(committed);
  });
});
