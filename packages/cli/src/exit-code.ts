import { type CocokitError, codeKind, exitCodeOf, isCocokitError, isReportCode } from "@cocokit/core";

/** The command's exit codes: the contract scripts rely on. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Validation problems found, or a conversion that would lose data without --lenient. */
  problems: 1,
  /** The command could not run: usage error, unreadable or unsupported input. */
  failed: 2,
} as const;

/**
 * True when an issue or error code means the input could not be read or used (rather than read
 * with problems): its kind in core's table is `input` or `aborted`.
 */
export function isUnreadable(code: string): boolean {
  const kind = codeKind(code);
  return kind === "input" || kind === "aborted";
}

/**
 * The exit code for an error thrown by a command, from the kinds of core's table (`codeKind`,
 * `exitCodeOf`): 1 ("problems found") for an error that stands for a report of a dataset that was
 * read, `validation_failed` or `export_failed`, when its issues include a `data` one or it carries
 * none (the command printed the report before throwing); 2 ("could not run") for everything else:
 * unreadable, unsupported or non-COCO input, usage errors, an output that cannot hold the dataset,
 * a conflict, an abort, a bug, and a data error met on the way (a bad results file) that stopped
 * the command before any report.
 */
export function exitCodeFor(error: unknown): number {
  if (!isCocokitError(error)) return ExitCode.failed;
  const kind = codeKind(error.code);
  if (kind !== "data") return exitCodeOf(kind);
  // A data error that is no report stopped the command at its first problem: it could not run.
  if (!isReportCode(error.code)) return ExitCode.failed;
  return reportsData(error) ? exitCodeOf("data") : ExitCode.failed;
}

function reportsData(error: CocokitError): boolean {
  const issues = error.issues ?? [];
  return issues.length === 0 || issues.some((issue) => codeKind(issue.code) === "data");
}
