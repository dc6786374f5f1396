import type { CocokitError, Issue, Report } from "@cocokit/core";
import type { Colors } from "./colors.js";

/** How many issues of each code to show before "and N more". */
const SHOWN_PER_CODE = 3;

/** One issue as `✖ message` / `→ at /pointer in file`, with expected and found when known. */
export function formatIssue(issue: Issue, colors: Colors): string {
  const mark = issue.severity === "error" ? colors.red("✖") : colors.yellow("⚠");
  const lines = [`${mark} ${withoutPointer(issue.message, issue.pointer)}`];
  lines.push(...where(issue.pointer, issue.file, colors));
  if (issue.expected !== undefined && !issue.message.includes(issue.expected))
    lines.push(colors.dim(`    expected ${issue.expected}`));
  if (issue.found !== undefined && !issue.message.includes(issue.found))
    lines.push(colors.dim(`    found ${issue.found}`));
  return lines.join("\n");
}

/** A thrown CocokitError, printed like an issue: `✖ message` / `→ at pointer in file`. */
export function formatError(error: CocokitError, colors: Colors): string {
  const lines = [`${colors.red("✖")} ${withoutPointer(error.message, error.pointer ?? "")}`];
  lines.push(...where(error.pointer, error.file, colors));
  return lines.join("\n");
}

/** How many issues a thrown error prints before "and N more problems". */
const SHOWN_ISSUES = 20;

/**
 * A thrown CocokitError with the issues it carries: the error's line, then the first issues,
 * leaving out an issue that only repeats the error (core attaches the issue it was made from).
 */
export function formatFailure(error: CocokitError, colors: Colors): string {
  const line = withoutPointer(error.message, error.pointer ?? "");
  const issues = (error.issues ?? []).filter(
    (issue) => withoutPointer(issue.message, issue.pointer) !== line,
  );
  const lines = [formatError(error, colors)];
  for (const issue of issues.slice(0, SHOWN_ISSUES)) lines.push(formatIssue(issue, colors));
  if (issues.length > SHOWN_ISSUES)
    lines.push(colors.dim(`… and ${(issues.length - SHOWN_ISSUES).toLocaleString("en-US")} more problems`));
  return lines.join("\n");
}

// Core's messages start with their pointer (`/annotations/3/bbox: expected …`, `: expected …` for
// the whole file) so they stand alone in logs; here the pointer has its own → line.
function withoutPointer(message: string, pointer: string): string {
  return message.startsWith(`${pointer}: `) ? message.slice(pointer.length + 2) : message;
}

// `→ at /annotations/12/bbox in file.json`, or nothing when neither is known.
function where(pointer: string | undefined, file: string | undefined, colors: Colors): string[] {
  const parts = [pointer ? `at ${pointer}` : "", file === undefined ? "" : `in ${file}`].filter(Boolean);
  return parts.length === 0 ? [] : [colors.dim(`  → ${parts.join(" ")}`)];
}

/**
 * A validation report for people: issues grouped by code with the count of each and the first
 * few of every group, then a one-line summary.
 */
export function formatReport(report: Report, file: string, colors: Colors): string {
  const groups = new Map<string, Issue[]>();
  for (const issue of report.issues) {
    const group = groups.get(issue.code);
    if (group === undefined) groups.set(issue.code, [issue]);
    else group.push(issue);
  }
  const out: string[] = [];
  for (const [code, issues] of groups) {
    const total = report.counts[code as Issue["code"]] ?? issues.length;
    out.push(colors.bold(`${code} (${total})`));
    for (const issue of issues.slice(0, SHOWN_PER_CODE)) out.push(indent(formatIssue(issue, colors)));
    if (total > SHOWN_PER_CODE) out.push(colors.dim(`  … and ${total - SHOWN_PER_CODE} more`));
    out.push("");
  }
  out.push(summary(report, file, colors));
  return out.join("\n");
}

function summary(report: Report, file: string, colors: Colors): string {
  if (report.errorCount === 0 && report.warningCount === 0)
    return colors.green(`✔ ${file}: no problems found`);
  const parts = [plural(report.errorCount, "error"), plural(report.warningCount, "warning")];
  const text = `${file}: ${parts.join(", ")}`;
  return report.errorCount > 0 ? colors.red(`✖ ${text}`) : colors.yellow(`⚠ ${text}`);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
