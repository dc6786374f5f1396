import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonBytes, NumericRecord } from "./json-bytes.js";

const decoder = new TextDecoder();

function written(write: (out: JsonBytes) => void): string {
  const out = new JsonBytes();
  write(out);
  return decoder.decode(out.take());
}

/** Every form a double takes in JSON.stringify: integers, short and long decimals, exponents, extremes. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.double({ noNaN: true }).map((x) => x * 1e15),
  fc.double({ min: -1e-5, max: 1e-5 }),
  fc
    .tuple(fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.integer({ min: 0, max: 9 }))
    .map(([m, k]) => m / 10 ** k),
  fc
    .tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: 0, max: 7 }))
    .map(([m, k]) => m / 10 ** k),
  fc.constantFrom(0, -0, 0.1 + 0.2, 1e-6, 1e-7, 2 ** 31, -(2 ** 31), 2 ** 53, 1e15, 1e21, 5e-324),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE),
);

describe("JsonBytes", () => {
  it("writes numbers exactly as JSON.stringify does", () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 300 }), fc.array(fc.array(anyNumber)), (list, lists) => {
        const record = new NumericRecord({ list, lists, one: list[0] ?? 0 }, [list], [lists]);
        expect(written((out) => out.record(record))).toBe(JSON.stringify(record.value));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes COCO-like coordinates (two decimals, up to 10^7) exactly as JSON.stringify does", () => {
    const list = Array.from({ length: 20_000 }, (_, k) => (((k * 7919) % 2_000_000) - 1_000_000) / 100);
    const coords = Array.from(
      { length: 20_000 },
      (_, k) => Math.round(((k * 104_729) % 64_000_000) / 1000) / 100,
    );
    const record = new NumericRecord({ segmentation: [list, coords] }, [], [[list, coords]]);
    expect(written((out) => out.record(record))).toBe(JSON.stringify(record.value));
  });

  it("writes every other member as JSON.stringify does, in the same order", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.constant(undefined))),
        fc.array(fc.double()),
        (extra, bbox) => {
          const value: Record<string, unknown> = { 2: "an index key", ...extra, bbox };
          const record = new NumericRecord(value, [bbox], []);
          expect(written((out) => out.record(record))).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves out what JSON.stringify leaves out and gives toJSON its member's key", () => {
    const value = {
      id: 1,
      skipped: undefined,
      fn: () => 1,
      sym: Symbol("s"),
      date: new Date(Date.UTC(2024, 0, 2)),
      keyed: { toJSON: (key: string) => `key ${key}` },
      gone: { toJSON: () => undefined },
      'é\n"': ["ünïcode", "\u2028", "\ud800"],
      ["__proto__"]: 5,
    };
    Object.defineProperty(value, "hidden", { value: 1, enumerable: false });
    const record = new NumericRecord(value, [], []);
    expect(written((out) => out.record(record))).toBe(JSON.stringify(value));
  });

  it("writes undeclared lists by JSON.stringify, whatever they hold", () => {
    const mixed = [1, "2", null, { a: 1.5 }, [0.1]];
    const record = new NumericRecord({ mixed, bbox: [1.5, 2, 3, 4] }, [], []);
    expect(written((out) => out.record(record))).toBe(
      '{"mixed":[1,"2",null,{"a":1.5},[0.1]],"bbox":[1.5,2,3,4]}',
    );
  });

  it("writes a record inside JSON.stringify as its value", () => {
    const record = new NumericRecord({ a: [0.5] }, [], []);
    expect(JSON.stringify([record])).toBe('[{"a":[0.5]}]');
    expect(written((out) => out.value([record]))).toBe('[{"a":[0.5]}]');
  });

  it("grows past its buffer and hands over every byte once", () => {
    const out = new JsonBytes();
    const list = Array.from({ length: 100_000 }, (_, k) => k / 8);
    out.record(new NumericRecord({ list }, [list], []));
    const first = decoder.decode(out.take());
    expect(first).toBe(JSON.stringify({ list }));
    out.raw("[]");
    expect(decoder.decode(out.take())).toBe("[]");
  });
});
