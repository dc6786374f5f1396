import { CocokitError, InternalError, type Issue } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { exitCodeFor, isUnreadable } from "./exit-code.js";

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
      new CocokitError("validation_failed", "x", { issues: [issue("unknown_category")] }),
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
      new CocokitError("validation_failed", "x", {
        issues: [issue("invalid_zip"), issue("zip_crc_mismatch")],
      }),
    ],
    ["a missing input", 2, new CocokitError("input_not_found", "x")],
    ["a usage error", 2, new CocokitError("usage_error", "x")],
    [
      "a read whose errors include a data one beside a damaged entry",
      1,
      new CocokitError("validation_failed", "x", {
        issues: [issue("zip_crc_mismatch"), issue("invalid_bbox")],
      }),
    ],
    ["a target that exists (a conflict)", 2, new CocokitError("export_target_exists", "x")],
    ["clashing ids a split cannot keep (a conflict)", 2, new CocokitError("duplicate_image_id", "x")],
    ["an aborted run", 2, new CocokitError("aborted", "x")],
    ["a bad record met before any report (eval results)", 2, new CocokitError("unknown_image", "x")],
    ["an RleError-coded error", 2, new CocokitError("invalid_counts", "x")],
    ["an internal error", 2, new InternalError("x")],
    ["an unknown error", 2, new TypeError("x")],
  ])("maps %s to exit %i", (_, code, error) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe("isUnreadable", () => {
  it("follows the kinds of core's table: input and aborted codes, not data or conflict ones", () => {
    expect(["malformed_json", "zip_crc_mismatch", "input_not_found", "aborted"].map(isUnreadable)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["invalid_bbox", "duplicate_annotation_id", "validation_failed"].map(isUnreadable)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
