import { encode } from "fast-png";
import { describe, expect, it } from "vitest";
import { decodePanopticPng } from "./decode-png.js";

describe("decodePanopticPng", () => {
  it("returns RGB bytes of an RGB PNG as they are", () => {
    const data = new Uint8Array([7, 7, 7, 20, 0, 1]);
    const png = decodePanopticPng(encode({ width: 2, height: 1, data, channels: 3, depth: 8 }), "a.png");
    expect(png).toEqual({ width: 2, height: 1, channels: 3, data });
  });

  it("drops the alpha of an RGBA PNG", () => {
    const data = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 0]);
    const png = decodePanopticPng(encode({ width: 1, height: 2, data, channels: 4, depth: 8 }), "a.png");
    expect([...png.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("expands a grey PNG to equal R, G and B", () => {
    const png = decodePanopticPng(
      encode({ width: 2, height: 1, data: new Uint8Array([9, 200]), channels: 1, depth: 8 }),
      "g.png",
    );
    expect([...png.data]).toEqual([9, 9, 9, 200, 200, 200]);
  });

  it("expands a palette PNG through its palette", () => {
    const bytes = encode({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [0, 0, 0],
        [7, 8, 9],
      ],
    });
    expect([...decodePanopticPng(bytes, "p.png").data]).toEqual([7, 8, 9, 0, 0, 0]);
  });

  it("throws invalid_png with the file for bytes that are not a PNG", () => {
    expect(() => decodePanopticPng(new TextEncoder().encode("nope"), "annotations/panoptic_x/a.png")).toThrow(
      expect.objectContaining({ code: "invalid_png", file: "annotations/panoptic_x/a.png" }),
    );
  });
});
