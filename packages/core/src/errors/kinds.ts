import type { IssueCode } from "../report/issue.js";
import type { ErrorCode } from "./codes.js";

/**
 * What a code says about the run, for callers that map codes to outcomes (the CLI's exit code, a
 * server's HTTP status) without a list of codes of their own:
 * - `input`: the input could not be read or used: unreadable, unsupported, too large, a bad argument;
 * - `data`: the input was read and the dataset (or a record of it) is invalid;
 * - `conflict`: two valid things clash (ids two datasets share, a target that exists);
 * - `aborted`: the caller's `AbortSignal` fired;
 * - `internal`: a bug in cocokit.
 */
export type ErrorKind = "input" | "data" | "conflict" | "aborted" | "internal";

/** Any code cocokit emits: thrown (`ErrorCode`) or reported (`IssueCode`); some are both. */
export type CocokitCode = ErrorCode | IssueCode;

/**
 * The kind of every code, thrown or reported: one table, so a code has one kind wherever it
 * appears. Closed both ways: a code missing here, or a key that is no code, fails to compile.
 */
export const ERROR_KINDS: { readonly [C in CocokitCode]: ErrorKind } = Object.freeze({
  // reading: the input cannot be read as a dataset
  empty_input: "input",
  malformed_json: "input",
  invalid_encoding: "input",
  unsupported_input: "input",
  annotations_not_found: "input",
  input_not_found: "input",
  not_coco: "input",
  unreadable_file: "input",
  // archives: damaged or hostile, so the bytes cannot be trusted
  invalid_zip: "input",
  unsafe_zip_entry: "input",
  zip_limit_exceeded: "input",
  zip_crc_mismatch: "input",
  zip_entry_mismatch: "input",
  duplicate_zip_entry: "input",
  overlapping_zip_entries: "input",
  // arguments and outputs a call cannot work with
  export_ambiguous: "input",
  export_needs_archive: "input",
  invalid_split_ratio: "input",
  usage_error: "input",
  empty_output: "input",
  not_available: "input",
  invalid_params: "input",
  unsupported_results: "input",
  // the dataset, as read, is invalid
  validation_failed: "data",
  export_failed: "data",
  task_mismatch: "data",
  duplicate_key: "data",
  forbidden_key: "data",
  nesting_too_deep: "data",
  unsafe_integer: "data",
  missing_field: "data",
  invalid_type: "data",
  invalid_value: "data",
  duplicate_id: "data",
  unknown_image: "data",
  unknown_category: "data",
  category_id_zero: "data",
  duplicate_category_name: "data",
  invalid_bbox: "data",
  bbox_out_of_bounds: "data",
  invalid_polygon: "data",
  invalid_rle_counts: "data",
  invalid_rle_string: "data",
  rle_size_mismatch: "data",
  area_mismatch: "data",
  invalid_keypoints: "data",
  invalid_keypoint_visibility: "data",
  num_keypoints_mismatch: "data",
  keypoint_count_mismatch: "data",
  invalid_skeleton: "data",
  panoptic_segment_mismatch: "data",
  missing_image_file: "data",
  ambiguous_image_file: "data",
  invalid_png: "data",
  export_unknown_category: "data",
  export_mask_size_mismatch: "data",
  export_invalid_coordinates: "data",
  invalid_results: "data",
  mixed_results: "data",
  invalid_ground_truth: "data",
  // RleError: a mask or its arguments are invalid
  invalid_size: "data",
  invalid_counts: "data",
  invalid_counts_string: "data",
  truncated_counts_string: "data",
  counts_sum_mismatch: "data",
  invalid_coordinates: "data",
  invalid_segmentation: "data",
  size_mismatch: "data",
  // clashes
  duplicate_image_id: "conflict",
  duplicate_file_name: "conflict",
  duplicate_annotation_id: "conflict",
  export_target_exists: "conflict",
  // the rest
  aborted: "aborted",
  internal_error: "internal",
});

/**
 * Codes of errors that stand for a whole report (their `issues`, or a report the caller printed
 * before throwing), rather than for the first problem met. The CLI exits "problems found" for these.
 */
const REPORT_CODES: ReadonlySet<CocokitCode> = new Set<CocokitCode>(["validation_failed", "export_failed"]);

/** Input codes with a more exact HTTP status than 400. */
const HTTP_STATUS_OF_CODE: Partial<Record<CocokitCode, number>> = {
  zip_limit_exceeded: 413,
  unsupported_input: 415,
  unsupported_results: 415,
};

const HTTP_STATUS_OF_KIND: Record<ErrorKind, number> = {
  input: 400,
  data: 422,
  conflict: 409,
  // 499 (nginx's "client closed request"): the caller gave up, usually because the client went
  // away; 409 would say the request clashed with something, which it did not.
  aborted: 499,
  internal: 500,
};

/** True for a code of the table (any code cocokit emits); false for any other string. */
export function isCocokitCode(code: string): code is CocokitCode {
  return Object.hasOwn(ERROR_KINDS, code);
}

/**
 * The kind of a code. A string that is no cocokit code (another library's) is `internal`: nothing
 * about the input can be concluded from it.
 * @example codeKind("zip_limit_exceeded") // "input"
 */
export function codeKind(code: string): ErrorKind {
  return isCocokitCode(code) ? ERROR_KINDS[code] : "internal";
}

/** True when an error with this code stands for a whole report of problems (`validation_failed`, `export_failed`). */
export function isReportCode(code: string): boolean {
  return REPORT_CODES.has(code as CocokitCode);
}

/**
 * The CLI's exit code for a kind: 1 ("problems found") for `data`, 2 ("could not run") for the
 * rest. A conflict that stops a command (a target that exists, clashing ids a split cannot keep)
 * means it could not run; the merge conflicts it resolves are warnings and exit 0.
 */
export function exitCodeOf(kind: ErrorKind): 1 | 2 {
  return kind === "data" ? 1 : 2;
}

/**
 * The HTTP status for a kind or a code: `input` 400 (413 for `zip_limit_exceeded`, 415 for
 * `unsupported_input` and `unsupported_results`), `data` 422, `conflict` 409, `aborted` 499
 * (the client went away), `internal` 500.
 * @example httpStatusOf("zip_limit_exceeded") // 413
 * @example httpStatusOf("data") // 422
 */
export function httpStatusOf(kindOrCode: ErrorKind | CocokitCode): number {
  if (Object.hasOwn(HTTP_STATUS_OF_KIND, kindOrCode)) return HTTP_STATUS_OF_KIND[kindOrCode as ErrorKind];
  return HTTP_STATUS_OF_CODE[kindOrCode as CocokitCode] ?? HTTP_STATUS_OF_KIND[codeKind(kindOrCode)];
}
