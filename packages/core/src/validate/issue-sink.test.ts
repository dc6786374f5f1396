import { describe, expect, it } from "vitest";
import { CocokitError } from "../errors.js";
import { issueAt, issueOfReadError } from "./issue-sink.js";

describe("issueAt", () => {
  it("says what was expected and found at a pointer, shortening long values", () => {
    const issue = issueAt("invalid_bbox", "f.json", ["annotations", 3, "bbox"], "4 numbers", "x".repeat(500));
    expect(issue.pointer).toBe("/annotations/3/bbox");
    expect(issue.severity).toBe("error");
    expect(issue.found?.length).toBe(200);
    expect(issue.message.startsWith("/annotations/3/bbox: expected 4 numbers, found")).toBe(true);
  });
});

describe("issueOfReadError", () => {
  it("turns a read error's pointer back into a path with numeric indexes", () => {
    const e = new CocokitError("malformed_json", "bad JSON at line 2, column 5", {
      file: "f.json",
      pointer: "/a~1b/12",
    });
    const issue = issueOfReadError(e, "f.json");
    expect(issue.path).toEqual(["a/b", 12]);
    expect(issue.code).toBe("malformed_json");
  });
});
