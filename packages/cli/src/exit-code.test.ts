import { CocokitError, InternalError, type Issue } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { exitCodeFor } from "./exit-code.js";

const issue = (code: Issue["code"]): Issue => ({
  code,
  severity: "error",
  message: code,
  path: [],
  pointer: "",
});

describe("exitCodeFor", () => {
  it.each([
    [
      "a strict import that found data problems",
      new CocokitError("invalid_dataset", "x", { issues: [issue("unknown_category")] }),
      1,
    ],
    [
      "an export that would lose data",
      new CocokitError("export_failed", "x", { issues: [issue("export_unknown_category")] }),
      1,
    ],
    ["malformed JSON", new CocokitError("malformed_json", "x"), 2],
    [
      "an error whose issues are all read failures",
      new CocokitError("import_failed", "x", { issues: [issue("invalid_zip")] }),
      2,
    ],
    ["a missing input", new CocokitError("input_not_found", "x"), 2],
    ["a usage error", new CocokitError("usage_error", "x"), 2],
    ["an internal error", new InternalError("x"), 2],
    ["an unknown error", new TypeError("x"), 2],
  ])("maps %s to exit %i", (_, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
