import type { CocokitError } from "../errors.js";
import { type Issue, type IssueCode, toPointer } from "../report/issue.js";

/** Where record checks report a problem: what was expected and found at a path of a file. */
export interface IssueSink {
  issue(
    code: IssueCode,
    file: string,
    path: (string | number)[],
    expected: string,
    found: unknown,
    severity?: "error" | "warning",
  ): void;
}

/** A found value told in words (`51 numbers`), shown as it is rather than as JSON. */
export class Described {
  constructor(readonly text: string) {}
}

/** Wraps a description of what was found, so issues show it without JSON quotes. */
export function described(text: string): Described {
  return new Described(text);
}

// What was found, as a message shows it: JSON for values, words for descriptions and for a
// missing field (never `undefined`).
function showFound(found: unknown): string {
  if (found instanceof Described) return found.text;
  if (found === undefined) return "nothing (the field is missing)";
  let shown: string | undefined;
  try {
    shown = JSON.stringify(found);
  } catch {
    shown = undefined;
  }
  return shown ?? String(found);
}

/** An issue at `path` of `file`: what was expected and what was found, shortened to ~200 characters. */
export function issueAt(
  code: IssueCode,
  file: string,
  path: (string | number)[],
  expected: string,
  found: unknown,
  severity: "error" | "warning" = "error",
): Issue {
  const shown = showFound(found);
  const f = shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
  const pointer = toPointer(path);
  return {
    code,
    severity,
    // A whole-file issue has the empty pointer: the message then starts with what was expected.
    message: `${pointer === "" ? "" : `${pointer}: `}expected ${expected}, found ${f}`,
    path,
    pointer,
    file,
    expected,
    found: f,
  };
}

/** The issue for a file that could not be read to its end (malformed JSON, a read error): its message says where. */
export function issueOfReadError(e: CocokitError, file: string): Issue {
  const pointer = e.pointer ?? "";
  const path = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointer);
  return {
    code: e.code as IssueCode,
    severity: "error",
    message: e.message,
    path,
    pointer,
    file,
    expected: "a readable COCO JSON file",
    found: e.message.slice(0, 200),
  };
}

// A JSON pointer segment back to a path element: array indexes become numbers.
function unescapePointer(segment: string): string | number {
  const text = segment.replaceAll("~1", "/").replaceAll("~0", "~");
  return /^(0|[1-9]\d*)$/.test(text) ? Number(text) : text;
}
