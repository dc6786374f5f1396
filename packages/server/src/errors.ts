import { type CocokitCode, type CocokitError, codeKind, type ErrorKind, httpStatusOf } from "@cocokit/core";

/**
 * How a code gets its status: from core's kind of error (`input` 400, `conflict` 409,
 * `internal` 500, see core's `httpStatusOf`), from the core code it stands for (an upload too
 * large is what `zip_limit_exceeded` is, 413), or, for what core has no kind for (auth, routes
 * and ranges), a status of its own.
 */
type Source =
  | { kind: ErrorKind }
  | { like: CocokitCode }
  | { status: 401 | 403 | 404 | 410 | 412 | 416 | 501 | 503 };

const TABLE = {
  BAD_REQUEST: { kind: "input", title: "Bad request" },
  EMPTY_BODY: { kind: "input", title: "Empty body" },
  UNAUTHORIZED: { status: 401, title: "Unauthorized" },
  NOT_FOUND: { status: 404, title: "Not found" },
  DATASET_NOT_FOUND: { status: 404, title: "Dataset not found" },
  JOB_NOT_FOUND: { status: 404, title: "Job not found" },
  RESULT_NOT_FOUND: { status: 404, title: "Result not found" },
  UPLOAD_NOT_FOUND: { status: 404, title: "Upload not found" },
  ITEM_NOT_FOUND: { status: 404, title: "Item not found" },
  IMAGE_NOT_FOUND: { status: 404, title: "Image not found" },
  DATASET_BUSY: { kind: "conflict", title: "Dataset busy" },
  JOB_NOT_CANCELLABLE: { kind: "conflict", title: "Job not cancellable" },
  RESULT_NOT_READY: { kind: "conflict", title: "Result not ready" },
  UPLOAD_NOT_FINISHED: { kind: "conflict", title: "Upload not finished" },
  UPLOAD_TOO_LARGE: { like: "zip_limit_exceeded", title: "Upload too large" },
  // The tus protocol's own answers (statuses as @tus/server gives them; see plugins/tus-problems.ts).
  UPLOAD_OFFSET_CONFLICT: { kind: "conflict", title: "Upload offset conflict" },
  UPLOAD_EXPIRED: { status: 410, title: "Upload expired" },
  TUS_HEADER_REQUIRED: { status: 403, title: "tus header required" },
  TUS_VERSION_REQUIRED: { status: 412, title: "Tus-Resumable required" },
  TUS_EXTENSION_UNSUPPORTED: { status: 501, title: "tus extension not supported" },
  UNSUPPORTED_MEDIA_TYPE: { like: "unsupported_input", title: "Unsupported media type" },
  BAD_RANGE: { status: 416, title: "Range not satisfiable" },
  UNSUPPORTED_FORMAT: { kind: "input", title: "Unsupported format" },
  INTERNAL_ERROR: { kind: "internal", title: "Internal server error" },
  STORAGE_UNAVAILABLE: { status: 503, title: "Storage unavailable" },
} as const satisfies Record<string, Source & { title: string }>;

/** One code's row: its status, title, and core's kind of error when it has one. */
export interface ErrorEntry {
  status: number;
  title: string;
  kind?: ErrorKind;
}

/**
 * The one table of API error codes: each code's HTTP status and title. The error handler turns an
 * `ApiError` (and fastify's own errors) into `application/problem+json` from this table, and a
 * core `CocokitError` by core's own status of its code (`problemOfCore`).
 */
export const ERRORS = Object.fromEntries(
  Object.entries(TABLE).map(([code, row]: [string, Source & { title: string }]) => {
    if ("status" in row) return [code, { status: row.status, title: row.title }];
    const kind = "kind" in row ? row.kind : codeKind(row.like);
    return [code, { status: httpStatusOf("kind" in row ? row.kind : row.like), title: row.title, kind }];
  }),
) as { readonly [C in keyof typeof TABLE]: ErrorEntry };

/** A stable API error code (`JOB_NOT_FOUND`). */
export type ErrorCode = keyof typeof TABLE;

/** One problem inside a problem response (a validation issue or a dataset issue). */
export interface ProblemIssue {
  code: string;
  message: string;
  pointer?: string;
  file?: string;
  severity?: string;
}

/** An error the API answers with its code's status; `detail` says what was expected and found. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: ProblemIssue[] | undefined;

  constructor(code: ErrorCode, detail: string, issues?: ProblemIssue[]) {
    super(detail);
    this.name = "ApiError";
    this.code = code;
    this.issues = issues;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** The body of every error response (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  issues?: ProblemIssue[];
}

/** A problem body for a code; `type` names the code so clients can link to its documentation. */
export function problemOf(code: ErrorCode, detail: string, issues?: ProblemIssue[]): Problem {
  const { status, title } = ERRORS[code];
  return {
    type: `urn:cocokit:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title,
    status,
    detail,
    code,
    ...(issues === undefined ? {} : { issues }),
  };
}

// Titles of core's errors, by their kind.
const KIND_TITLES: Record<ErrorKind, string> = {
  input: "Unusable input",
  data: "Invalid dataset",
  conflict: "Conflict",
  aborted: "Aborted",
  internal: "Internal server error",
};

/**
 * The problem body of a core error that reached the HTTP layer: core's code (`zip_limit_exceeded`)
 * and the status core gives it (`httpStatusOf`), with its issues and their pointers.
 */
export function problemOfCore(error: CocokitError): Problem {
  const issues = (error.issues ?? []).map(
    (i): ProblemIssue => ({
      code: i.code,
      message: i.message,
      severity: i.severity,
      ...(i.pointer === undefined ? {} : { pointer: i.pointer }),
      ...(i.file === undefined ? {} : { file: i.file }),
    }),
  );
  const kind = codeKind(error.code);
  return {
    type: `urn:cocokit:problem:${error.code.replaceAll("_", "-")}`,
    title: KIND_TITLES[kind],
    // Not thrown by the server's own code: a code core does not know is internal (500).
    status: httpStatusOf(kind === "internal" ? "internal" : (error.code as CocokitCode)),
    detail: kind === "internal" ? "Internal Server Error" : error.message,
    code: kind === "internal" ? "internal_error" : error.code,
    ...(issues.length === 0 || kind === "internal" ? {} : { issues }),
  };
}
