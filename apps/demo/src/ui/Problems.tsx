// The validation report grouped by code; an issue that points at a kept image or annotation is a
// link that opens it (records lenient import skipped have nothing to open).
import type { Report } from "@cocokit/core";
import { useMemo } from "react";
import { groupIssues, type IssueLocator, type IssueTarget, issueText } from "../model/issues.js";

export function Problems({
  report,
  locate,
  onOpen,
}: {
  report: Report;
  locate: IssueLocator;
  onOpen: (target: IssueTarget) => void;
}) {
  const groups = useMemo(() => groupIssues(report), [report]);
  if (groups.length === 0) return <p data-testid="problems-empty">No problems found.</p>;
  return (
    <div className="problems" data-testid="problems">
      <p>
        {report.errorCount} errors, {report.warningCount} warnings
        {report.skipped ? `, ${report.skipped} records skipped` : ""}
        {report.truncated ? " (list truncated)" : ""}
      </p>
      {groups.map((group) => (
        <details key={group.code} open data-testid="issue-group" data-code={group.code}>
          <summary className={group.severity}>
            {group.code} <span className="count">{group.count}</span>
          </summary>
          <ul>
            {group.issues.map((issue, i) => {
              const target = locate(issue);
              return (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id; the report's order is fixed
                  key={i}
                  data-testid="validation-issue"
                  data-code={issue.code}
                  data-pointer={issue.pointer}
                  data-file={issue.file}
                >
                  {target ? (
                    <button type="button" className="link" onClick={() => onOpen(target)}>
                      {issue.file}:{issue.pointer || "/"}
                    </button>
                  ) : (
                    <span className="where">
                      {issue.file}:{issue.pointer || "/"}
                    </span>
                  )}{" "}
                  {issueText(issue)}
                </li>
              );
            })}
          </ul>
        </details>
      ))}
    </div>
  );
}
