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
  "invalid_zip",
  "unsafe_zip_entry",
  "zip_limit_exceeded",
  "aborted",
]);

/** True when an issue or error code means the input could not be read (rather than read with problems). */
export function isUnreadable(code: string): boolean {
  return UNREADABLE.has(code);
}

/**
 * The exit code for an error thrown by a command: 1 when the input was read and has problems (the
 * error carries the issues, such as a strict import or a lossy export), 2 for everything else.
 */
export function exitCodeFor(error: unknown): number {
  if (!isCocokitError(error) || isUnreadable(error.code)) return ExitCode.failed;
  return hasDataProblems(error) ? ExitCode.problems : ExitCode.failed;
}

function hasDataProblems(error: CocokitError): boolean {
  const issues = error.issues ?? [];
  return issues.length > 0 && !issues.every((issue) => isUnreadable(issue.code));
}
