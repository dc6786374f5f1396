/**
 * Stable machine-readable codes carried by {@link RleError}. `@cocokit/core` lists the same codes
 * in its `ErrorCode` union and docs/error-codes.md; its error-codes test holds the lists together.
 */
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

// The brand of `@cocokit/core`'s CocokitError (a registered symbol, so the same across copies),
// used here rather than imported: rle has no dependencies. With it, core's `isCocokitError`
// recognises an RleError.
const BRAND = Symbol.for("cocokit.error");

/**
 * The one error type thrown by `@cocokit/rle`; `code` is stable, `message` says expected vs found.
 * Every code is of kind `data` in core's `ERROR_KINDS`: the mask or its arguments are invalid.
 */
export class RleError extends Error {
  /** Stable snake_case code for programs. */
  readonly code: RleErrorCode;
  readonly [BRAND] = true;
  constructor(code: RleErrorCode, message: string) {
    super(message);
    this.name = "RleError";
    this.code = code;
  }

  /** A plain object for logs and HTTP problem responses, shaped like core's `CocokitError.toJSON()`. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, kind: "data", message: this.message };
  }
}
