import { describe, expect, it } from "vitest";
import { decode } from "./decode.js";
import { RleError } from "./errors.js";

describe("RleError", () => {
  it("carries the brand of @cocokit/core's errors, so its isCocokitError recognises it", () => {
    const error = new RleError("invalid_size", "x");
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for("cocokit.error")]).toBe(true);
  });

  it("serialises like a CocokitError, with its code and kind", () => {
    let thrown: unknown;
    try {
      decode({ height: 1, width: 2, counts: new Uint32Array([1]) });
    } catch (e) {
      thrown = e;
    }
    expect(JSON.parse(JSON.stringify(thrown))).toEqual({
      name: "RleError",
      code: "counts_sum_mismatch",
      kind: "data",
      message: "expected runs to add up to 2 pixels, found 1",
    });
  });
});
