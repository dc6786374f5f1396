/**
 * Stable codes a {@link CocokitError} is thrown with by `@cocokit/core`. Each is documented in
 * docs/error-codes.md (thrown table) with its kind; add a code there and in `ERROR_KINDS` when you
 * add it here (the compiler and packages/core/test/error-codes.test.ts hold the three together).
 */
export type CoreErrorCode =
  // reading
  | "validation_failed"
  | "not_coco"
  | "annotations_not_found"
  | "input_not_found"
  | "unreadable_file"
  | "unsupported_input"
  | "empty_input"
  | "malformed_json"
  | "invalid_encoding"
  | "invalid_type"
  | "invalid_png"
  // archives
  | "invalid_zip"
  | "zip_limit_exceeded"
  | "overlapping_zip_entries"
  | "zip_entry_mismatch"
  | "zip_crc_mismatch"
  | "unsafe_zip_entry"
  // export
  | "export_failed"
  | "export_ambiguous"
  | "export_needs_archive"
  | "export_target_exists"
  // transforms
  | "unknown_category"
  | "invalid_split_ratio"
  | "duplicate_image_id"
  // any operation
  | "aborted"
  | "internal_error";

/**
 * Codes that `@cocokit/cli` and `@cocokit/eval` throw as `CocokitError`. They depend on core, not
 * the other way round, so their codes are listed here to keep one closed table of every code.
 */
export type ToolErrorCode =
  // @cocokit/cli
  | "usage_error"
  | "empty_output"
  | "not_available"
  | "invalid_params"
  | "invalid_rle_counts"
  // @cocokit/eval
  | "invalid_results"
  | "mixed_results"
  | "unknown_image"
  | "unsupported_results"
  | "invalid_ground_truth";

/**
 * The codes of `RleError` (`@cocokit/rle`, which stays free of dependencies and so cannot import
 * this list). `isCocokitError` recognises an `RleError`, so its codes are error codes too.
 */
export type RleCode =
  | "invalid_size"
  | "invalid_counts"
  | "invalid_counts_string"
  | "truncated_counts_string"
  | "counts_sum_mismatch"
  | "invalid_coordinates"
  | "invalid_bbox"
  | "invalid_segmentation"
  | "size_mismatch";

/** Every code a cocokit error (`CocokitError`, or an `RleError`) can carry. */
export type ErrorCode = CoreErrorCode | ToolErrorCode | RleCode;
