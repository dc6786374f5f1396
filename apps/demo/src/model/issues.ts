// The problems list: a validation report grouped by code, and each issue traced back to the
// image or annotation it is about through the records' `source` (file, list, index).
import type { Dataset, Issue, Report } from "@cocokit/core";

export interface IssueGroup {
  code: string;
  severity: Issue["severity"];
  count: number;
  issues: Issue[];
}

/** Issues grouped by code, errors before warnings, then the larger groups first. */
export function groupIssues(report: Report): IssueGroup[] {
  const groups = new Map<string, IssueGroup>();
  for (const issue of report.issues) {
    let group = groups.get(issue.code);
    if (!group) {
      group = { code: issue.code, severity: issue.severity, count: 0, issues: [] };
      groups.set(issue.code, group);
    }
    group.count += 1;
    group.issues.push(issue);
    if (issue.severity === "error") group.severity = "error";
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.severity === "error") - Number(a.severity === "error") ||
      b.count - a.count ||
      a.code.localeCompare(b.code),
  );
}

/** Where an issue points in the dataset. */
export interface IssueTarget {
  /** Position in `dataset.items` (image ids repeat across subsets, positions do not). */
  itemIndex: number;
  annotationId?: number;
}

export type IssueLocator = (issue: Issue) => IssueTarget | undefined;

const key = (file: string, list: string, index: number) => `${file}\u0000${list}\u0000${index}`;

/** The record a JSON pointer starts with: `/annotations/12/bbox` is list `annotations`, index 12. */
export function recordOfPointer(pointer: string): { list: string; index: number } | undefined {
  const match = /^\/([^/]+)\/(\d+)(?:\/|$)/.exec(pointer);
  return match ? { list: match[1]!, index: Number(match[2]) } : undefined;
}

/**
 * Indexes the dataset's records by source once, so each issue finds its image (and annotation)
 * in constant time. Records that lenient import skipped are not in the dataset: their issues
 * have no target.
 */
export function createIssueLocator(dataset: Dataset): IssueLocator {
  const targets = new Map<string, IssueTarget>();
  dataset.items.forEach((item, itemIndex) => {
    if (item.source) targets.set(key(item.source.file, item.source.list, item.source.index), { itemIndex });
    for (const a of item.annotations) {
      if (a.source)
        targets.set(key(a.source.file, a.source.list, a.source.index), { itemIndex, annotationId: a.id });
    }
  });
  return (issue) => {
    const record = recordOfPointer(issue.pointer);
    if (!record || issue.file === undefined) return undefined;
    return targets.get(key(issue.file, record.list, record.index));
  };
}

/** An issue's message without the pointer core puts in front of it (the list shows it beside). */
export function issueText(issue: Pick<Issue, "message" | "pointer">): string {
  const prefix = `${issue.pointer}: `;
  return issue.pointer && issue.message.startsWith(prefix)
    ? issue.message.slice(prefix.length)
    : issue.message;
}
