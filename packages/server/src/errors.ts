/**
 * The one table of API error codes: each code's HTTP status and title. The error handler turns an
 * `ApiError` (and fastify's own errors) into `application/problem+json` from this table.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, title: "Bad request" },
  EMPTY_BODY: { status: 400, title: "Empty body" },
  UNAUTHORIZED: { status: 401, title: "Unauthorized" },
  NOT_FOUND: { status: 404, title: "Not found" },
  DATASET_NOT_FOUND: { status: 404, title: "Dataset not found" },
  JOB_NOT_FOUND: { status: 404, title: "Job not found" },
  RESULT_NOT_FOUND: { status: 404, title: "Result not found" },
  UPLOAD_NOT_FOUND: { status: 404, title: "Upload not found" },
  ITEM_NOT_FOUND: { status: 404, title: "Item not found" },
  IMAGE_NOT_FOUND: { status: 404, title: "Image not found" },
  DATASET_BUSY: { status: 409, title: "Dataset busy" },
  JOB_NOT_CANCELLABLE: { status: 409, title: "Job not cancellable" },
  RESULT_NOT_READY: { status: 409, title: "Result not ready" },
  UPLOAD_NOT_FINISHED: { status: 409, title: "Upload not finished" },
  UPLOAD_TOO_LARGE: { status: 413, title: "Upload too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  BAD_RANGE: { status: 416, title: "Range not satisfiable" },
  UNSUPPORTED_FORMAT: { status: 400, title: "Unsupported format" },
  INTERNAL_ERROR: { status: 500, title: "Internal server error" },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable API error code (`JOB_NOT_FOUND`). */
export type ErrorCode = keyof typeof ERRORS;

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
