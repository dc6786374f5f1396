import { describe, expect, it } from "vitest";
import type { Issue } from "../report/issue.js";
import { ReportBuilder } from "../report/report.js";
import { mergeReports } from "./merge-reports.js";

const issue = (code: Issue["code"], severity: Issue["severity"]): Issue => ({
  code,
  severity,
  message: code,
  path: [],
  pointer: "",
});

describe("mergeReports", () => {
  it("puts archive issues first and image issues last, recounting severities and codes", () => {
    const builder = new ReportBuilder();
    builder.add(issue("unknown_image", "error"));
    const merged = mergeReports(
      builder.finish(),
      [issue("unsafe_zip_entry", "error")],
      [issue("missing_image_file", "warning")],
    );
    expect(merged.issues.map((i) => i.code)).toEqual([
      "unsafe_zip_entry",
      "unknown_image",
      "missing_image_file",
    ]);
    expect(merged).toMatchObject({ ok: false, errorCount: 2, warningCount: 1, truncated: false });
    expect(merged.counts).toEqual({ unsafe_zip_entry: 1, unknown_image: 1, missing_image_file: 1 });
  });

  it("keeps counting issues the JSON pass did not keep, and truncates at maxIssues", () => {
    const builder = new ReportBuilder({ maxIssues: 1 });
    builder.add(issue("unknown_image", "error"));
    builder.add(issue("unknown_image", "error"));
    const merged = mergeReports(builder.finish(), [], [issue("missing_image_file", "warning")], 2);
    expect(merged).toMatchObject({ errorCount: 2, warningCount: 1, truncated: true });
    expect(merged.issues).toHaveLength(2);
  });

  it("returns a report unchanged when nothing is added, extra fields included", () => {
    const report = { ...new ReportBuilder().finish(), skipped: 3 };
    expect(mergeReports(report, [], [])).toBe(report);
  });
});
