/** Stable machine-readable codes carried by {@link RleError}. */
export type RleErrorCode =
  | "invalid_size"
  | "invalid_counts"
  | "invalid_counts_string"
  | "truncated_counts_string"
  | "counts_sum_mismatch"
  | "invalid_coordinates"
  | "invalid_bbox"
  | "invalid_segmentation"
  | "size_mismatch";

/** The one error type thrown by `@cocokit/rle`; `code` is stable, `message` says expected vs found. */
export class RleError extends Error {
  /** Stable snake_case code for programs. */
  readonly code: RleErrorCode;
  constructor(code: RleErrorCode, message: string) {
    super(message);
    this.name = "RleError";
    this.code = code;
  }
}
