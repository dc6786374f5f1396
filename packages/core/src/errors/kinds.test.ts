import { describe, expect, it } from "vitest";
import { CocokitError, InternalError } from "../errors.js";
import { codeKind, ERROR_KINDS, exitCodeOf, httpStatusOf, isCocokitCode, isReportCode } from "./kinds.js";

describe("codeKind", () => {
  it("gives each code its one kind, thrown or reported", () => {
    expect(codeKind("zip_limit_exceeded")).toBe("input");
    expect(codeKind("invalid_bbox")).toBe("data");
    expect(codeKind("duplicate_annotation_id")).toBe("conflict");
    expect(codeKind("export_target_exists")).toBe("conflict");
    expect(codeKind("aborted")).toBe("aborted");
    expect(codeKind("internal_error")).toBe("internal");
  });

  it("calls a string that is no cocokit code internal, and does not read inherited keys", () => {
    expect(codeKind("ENOENT")).toBe("internal");
    expect(codeKind("toString")).toBe("internal");
    expect(isCocokitCode("toString")).toBe(false);
    expect(isCocokitCode("usage_error")).toBe(true);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(ERROR_KINDS)).toBe(true);
  });
});

describe("exitCodeOf", () => {
  it("is 1 (problems found) for data and 2 (could not run) for every other kind", () => {
    expect((["input", "data", "conflict", "aborted", "internal"] as const).map(exitCodeOf)).toEqual([
      2, 1, 2, 2, 2,
    ]);
  });
});

describe("httpStatusOf", () => {
  it("maps kinds to 400, 422, 409, 499 and 500", () => {
    expect((["input", "data", "conflict", "aborted", "internal"] as const).map(httpStatusOf)).toEqual([
      400, 422, 409, 499, 500,
    ]);
  });

  it("maps codes by their kind, with 413 for too large and 415 for unsupported input", () => {
    expect(httpStatusOf("malformed_json")).toBe(400);
    expect(httpStatusOf("zip_limit_exceeded")).toBe(413);
    expect(httpStatusOf("unsupported_input")).toBe(415);
    expect(httpStatusOf("unsupported_results")).toBe(415);
    expect(httpStatusOf("validation_failed")).toBe(422);
    expect(httpStatusOf("duplicate_image_id")).toBe(409);
    expect(httpStatusOf("aborted")).toBe(499);
    expect(httpStatusOf("internal_error")).toBe(500);
  });
});

describe("isReportCode", () => {
  it("is true only for the errors that stand for a whole report", () => {
    expect(["validation_failed", "export_failed", "invalid_type", "not_coco"].map(isReportCode)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("CocokitError.toJSON", () => {
  it("carries the code's kind", () => {
    expect(new CocokitError("zip_limit_exceeded", "x", { file: "a.zip" }).toJSON()).toEqual({
      name: "CocokitError",
      code: "zip_limit_exceeded",
      kind: "input",
      message: "x",
      file: "a.zip",
    });
    expect(new InternalError("x").toJSON()).toMatchObject({ code: "internal_error", kind: "internal" });
  });
});
