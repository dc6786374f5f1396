import { type CocokitError, isCocokitError } from "@cocokit/core";

/** The command's exit codes: the contract scripts rely on. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Validation problems found, or a conversion that would lose data without --lenient. */
  problems: 1,
  /** The command could not run: usage error, unreadable or unsupported input. */
  failed: 2,
} as const;

/** Codes that mean the input could not be read at all: the command could not run (exit 2). */
const UNREADABLE = new Set([
  "empty_input",
  "malformed_json",
  "invalid_encoding",
  "unsupported_input",
  "annotations_not_found",
  "input_not_found",
  "not_coco",
  "invalid_zip",
  "unsafe_zip_entry",
  "zip_limit_exceeded",
  "aborted",
]);

/**
 * Codes that mean the command was asked for something it cannot do with this input, whatever
 * issues the error carries (exit 2): an output that cannot hold the dataset, an empty output.
 */
const CANNOT_RUN = new Set(["usage_error", "export_needs_archive", "export_ambiguous", "empty_output"]);

/**
 * Codes a command throws after printing the data problems itself, so the error carries no issues
 * and still means "read, with problems" (exit 1).
 */
const PROBLEMS_PRINTED = new Set(["validation_failed"]);

/** True when an issue or error code means the input could not be read (rather than read with problems). */
export function isUnreadable(code: string): boolean {
  return UNREADABLE.has(code);
}

/**
 * The exit code for an error thrown by a command: 1 when the input was read and has problems (the
 * error carries the issues, such as a strict import or a lossy export, or the command printed
 * them before throwing `validation_failed`), 2 for everything else: unreadable or non-COCO input,
 * usage errors, an output that cannot hold the dataset or would be empty.
 */
export function exitCodeFor(error: unknown): number {
  if (!isCocokitError(error) || isUnreadable(error.code) || CANNOT_RUN.has(error.code))
    return ExitCode.failed;
  if (PROBLEMS_PRINTED.has(error.code) && (error.issues?.length ?? 0) === 0) return ExitCode.problems;
  return hasDataProblems(error) ? ExitCode.problems : ExitCode.failed;
}

function hasDataProblems(error: CocokitError): boolean {
  const issues = error.issues ?? [];
  return issues.length > 0 && !issues.every((issue) => isUnreadable(issue.code));
}
