import type { Issue } from "../report/issue.js";
import type { Report } from "../report/report.js";

/**
 * Joins issues found around the JSON (archive entries, image files) with the JSON files' report,
 * keeping the report's extra fields (such as `skipped`).
 */
export function mergeReports(
  report: Report,
  before: readonly Issue[],
  after: readonly Issue[],
  maxIssues = 10_000,
): Report {
  if (before.length === 0 && after.length === 0) return report;
  const added = [...before, ...after];
  const counts = { ...report.counts };
  let errors = 0;
  for (const issue of added) {
    counts[issue.code] = (counts[issue.code] ?? 0) + 1;
    if (issue.severity === "error") errors++;
  }
  const errorCount = report.errorCount + errors;
  const warningCount = report.warningCount + added.length - errors;
  const issues = [...before, ...report.issues, ...after].slice(0, maxIssues);
  return {
    ...report,
    ok: errorCount === 0,
    errorCount,
    warningCount,
    counts,
    issues,
    truncated: issues.length < errorCount + warningCount,
  };
}
