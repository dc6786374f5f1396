import { CocokitError, type Issue } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { colorsFor } from "./colors.js";
import { formatFailure, formatIssue } from "./format-issues.js";

const plain = colorsFor({ isTTY: false });

const issue = (pointer: string, text: string, extra: Partial<Issue> = {}): Issue => ({
  code: "invalid_bbox",
  severity: "error",
  message: `${pointer}: ${text}`,
  path: [],
  pointer,
  file: "a.json",
  ...extra,
});

describe("formatIssue", () => {
  it("shows the pointer once, on the → line, not in front of the message", () => {
    expect(formatIssue(issue("/annotations/3/bbox", "expected 4 numbers, found 3 numbers"), plain)).toBe(
      "✖ expected 4 numbers, found 3 numbers\n  → at /annotations/3/bbox in a.json",
    );
  });

  it("prints expected and found that the message does not already say, as they are", () => {
    const text = formatIssue(issue("/x", "bad value", { expected: "a list", found: "51 numbers" }), plain);
    expect(text).toBe("✖ bad value\n  → at /x in a.json\n    expected a list\n    found 51 numbers");
  });
});

describe("formatFailure", () => {
  it("leaves out the issue an error was made from, and a file-level message's empty pointer", () => {
    const only = issue("", "expected a COCO file, found only metainfo");
    const error = new CocokitError("not_coco", only.message, { file: "a.json", issues: [only] });
    expect(formatFailure(error, plain)).toBe("✖ expected a COCO file, found only metainfo\n  → in a.json");
  });

  it("prints the first 20 issues and counts the rest", () => {
    const issues = Array.from({ length: 23 }, (_, i) => issue(`/annotations/${i}`, "expected more"));
    const text = formatFailure(
      new CocokitError("validation_failed", "expected a valid dataset", { issues }),
      plain,
    );
    expect(text.split("\n").filter((line) => line.startsWith("✖"))).toHaveLength(21);
    expect(text.endsWith("… and 3 more problems")).toBe(true);
  });
});
