import type { ErrorCode } from "./errors/codes.js";
import { codeKind } from "./errors/kinds.js";
import type { Issue } from "./report/issue.js";

// A brand, not only `instanceof`: two copies of the package (bundled twice, CJS and ESM) still
// recognise each other's errors.
const BRAND = Symbol.for("cocokit.error");

/** Where an error happened and what it carries, beside its code and message. */
export interface CocokitErrorOptions {
  /** The file the problem is in (a path, an archive entry, or a name the caller gave). */
  file?: string;
  /** RFC 6901 JSON pointer into that file, such as `/annotations/1439/segmentation`. */
  pointer?: string;
  /** Every problem found, for errors that stand for a whole validation report. */
  issues?: readonly Issue[];
  /** The lower-level error this one wraps. */
  cause?: unknown;
}

/**
 * The one error type cocokit throws for bad input or a failed operation. `code` is stable and
 * documented in docs/error-codes.md; the message says what was expected, what was found and where.
 * @example
 * try { await importDataset(bytes) } catch (e) { if (isCocokitError(e)) console.error(e.code, e.pointer) }
 */
export class CocokitError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly pointer?: string;
  readonly issues?: readonly Issue[];
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: CocokitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CocokitError";
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
    if (options.pointer !== undefined) this.pointer = options.pointer;
    if (options.issues !== undefined) this.issues = options.issues;
  }

  /** A plain object for logs, `--json` output and HTTP problem responses; `kind` is `codeKind(code)`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      kind: codeKind(this.code),
      message: this.message,
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.pointer === undefined ? {} : { pointer: this.pointer }),
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    };
  }
}

/** A state that cannot happen if cocokit is correct; seeing one is a bug to report. */
export class InternalError extends CocokitError {
  constructor(message: string, options: CocokitErrorOptions = {}) {
    super("internal_error", message, options);
    this.name = "InternalError";
  }
}

/**
 * True for any cocokit error, from this copy of the package or another, and for an `RleError` of
 * `@cocokit/rle` (it carries the same brand and `toJSON`, and its codes are `ErrorCode`s).
 */
export function isCocokitError(value: unknown): value is CocokitError {
  return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}
