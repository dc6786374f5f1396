import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  area,
  decode,
  encode,
  fromCountsString,
  iou,
  merge,
  RleError,
  toCountsString,
} from "../src/index.js";

const maskArb = fc
  .record({ h: fc.integer({ min: 0, max: 12 }), w: fc.integer({ min: 0, max: 12 }) })
  .chain(({ h, w }) =>
    fc.record({
      h: fc.constant(h),
      w: fc.constant(w),
      a: fc.uint8Array({ min: 0, max: 1, minLength: h * w, maxLength: h * w }),
      b: fc.uint8Array({ min: 0, max: 1, minLength: h * w, maxLength: h * w }),
    }),
  );

describe("properties", () => {
  it("decode(encode(m)) is the identity and area counts the ones", () => {
    fc.assert(
      fc.property(maskArb, ({ h, w, a }) => {
        const r = encode(a, h, w);
        expect(decode(r)).toEqual(a);
        expect(area(r)).toBe(a.reduce((s, x) => s + x, 0));
      }),
    );
  });
  it("fromCountsString(toCountsString(r)) is the identity for runs below 2^29", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 29 - 1 })), (counts) => {
        const r = { height: 0, width: 0, counts: Uint32Array.from(counts) };
        expect(fromCountsString(toCountsString(r), 0, 0, { checkSum: false }).counts).toEqual(r.counts);
      }),
    );
  });
  it("merge equals elementwise OR / AND of decoded masks", () => {
    fc.assert(
      fc.property(maskArb, fc.boolean(), ({ h, w, a, b }, inter) => {
        const m = decode(merge([encode(a, h, w), encode(b, h, w)], inter));
        expect(m).toEqual(a.map((x, i) => (inter ? x & (b[i] as number) : x | (b[i] as number))));
      }),
    );
  });
  it("iou agrees with a brute-force pixel count when both masks are non-empty", () => {
    fc.assert(
      fc.property(maskArb, fc.boolean(), ({ h, w, a, b }, crowd) => {
        let i = 0;
        let u = 0;
        let da = 0;
        for (let k = 0; k < a.length; k++) {
          i += (a[k] as number) & (b[k] as number);
          u += (a[k] as number) | (b[k] as number);
          da += a[k] as number;
        }
        const got = iou([encode(a, h, w)], [encode(b, h, w)], [crowd])[0];
        // Boxes that do not overlap short-circuit to 0, which is also the pixel answer (i = 0).
        expect(got).toBe(i === 0 ? 0 : i / (crowd ? da : u));
      }),
    );
  });
  it("fuzzed counts strings either parse or throw RleError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 64 }), (s, n) => {
        try {
          fromCountsString(s, n, 1);
        } catch (e) {
          expect(e).toBeInstanceOf(RleError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
