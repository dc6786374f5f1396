// @tus/server answers protocol errors as plain text ("Upload-Offset conflict\n"); the API answers
// every error as application/problem+json with a stable code. This keeps tus's status (clients
// such as tus-js-client act on it) and its headers, and replaces the body.
import { type ErrorCode, problemOf } from "../errors.js";

/** The code of each status @tus/server answers with. */
const CODES: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  403: "TUS_HEADER_REQUIRED",
  404: "UPLOAD_NOT_FOUND",
  409: "UPLOAD_OFFSET_CONFLICT",
  410: "UPLOAD_EXPIRED",
  412: "TUS_VERSION_REQUIRED",
  413: "UPLOAD_TOO_LARGE",
  501: "TUS_EXTENSION_UNSUPPORTED",
};

// What was expected and found, where tus's own text does not say it.
const DETAILS: Partial<Record<ErrorCode, string>> = {
  UPLOAD_NOT_FOUND: "expected an existing upload at this URL, found none",
  UPLOAD_OFFSET_CONFLICT:
    "expected Upload-Offset to be the upload's current offset (HEAD on the upload gives it), found another",
  UPLOAD_EXPIRED: "expected an upload that has not expired, found it removed",
  TUS_VERSION_REQUIRED: "expected a Tus-Resumable: 1.0.0 header, found none",
};

/** The response as it goes out: a tus error becomes a problem with the same status and headers. */
export async function withProblemBody(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const text = (await response.text()).trim();
  const code = CODES[response.status];
  const problem = code
    ? problemOf(code, DETAILS[code] ?? `the upload was refused: ${text}`)
    : { ...problemOf("INTERNAL_ERROR", "Internal Server Error"), status: response.status };
  // tus's own status wins where the table's differs (it is the protocol's).
  problem.status = response.status;
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/problem+json");
  headers.delete("content-length");
  return new Response(JSON.stringify(problem), { status: response.status, headers });
}
