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
      1,
      new CocokitError("invalid_dataset", "x", { issues: [issue("unknown_category")] }),
    ],
    [
      "an export that would lose data",
      1,
      new CocokitError("export_failed", "x", { issues: [issue("export_unknown_category")] }),
    ],
    [
      "a strict read refused by the command after printing its report",
      1,
      new CocokitError("validation_failed", "x"),
    ],
    ["malformed JSON", 2, new CocokitError("malformed_json", "x")],
    ["a JSON file that is not COCO", 2, new CocokitError("not_coco", "x")],
    [
      "a read whose only error is that the input is not COCO",
      2,
      new CocokitError("validation_failed", "x", { issues: [issue("not_coco")] }),
    ],
    ["a panoptic dataset written to one .json", 2, new CocokitError("export_needs_archive", "x")],
    [
      "an output that cannot hold the dataset, even with issues attached",
      2,
      new CocokitError("export_needs_archive", "x", { issues: [issue("invalid_png")] }),
    ],
    ["an output without images", 2, new CocokitError("empty_output", "x")],
    [
      "an error whose issues are all read failures",
      2,
      new CocokitError("import_failed", "x", { issues: [issue("invalid_zip")] }),
    ],
    ["a missing input", 2, new CocokitError("input_not_found", "x")],
    ["a usage error", 2, new CocokitError("usage_error", "x")],
    ["an internal error", 2, new InternalError("x")],
    ["an unknown error", 2, new TypeError("x")],
  ])("maps %s to exit %i", (_, code, error) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});
