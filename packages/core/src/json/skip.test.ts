import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type JsonRecord, type ScanOptions, scanRecords } from "./records.js";

const enc = new TextEncoder();

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function collect(chunks: Iterable<Uint8Array>, options: ScanOptions = {}): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const r of scanRecords(chunks, options)) out.push(r);
  return out;
}

const SKIP = new Set(["images"]);

describe("scanRecords with skip", () => {
  it("yields every other record unchanged, and of a skipped array a prefix holding its first element", async () => {
    const element = fc.oneof(
      fc.record({ id: fc.integer(), x: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({
        id: fc.integer(),
        s: fc.string({ unit: "grapheme" }),
        a: fc.array(fc.jsonValue(), { maxLength: 3 }),
      }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(element, { maxLength: 40 }),
        fc.array(element, { maxLength: 10 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        async (images, others, imagesFirst, size) => {
          const doc = imagesFirst ? { images, others, info: { a: 1 } } : { others, images, info: { a: 1 } };
          const text = enc.encode(JSON.stringify(doc, null, size % 2 ? 1 : undefined));
          const all = await collect(split(text, size));
          const got = await collect(split(text, size), { skip: SKIP });
          expect(got.filter((r) => r.key !== "images")).toEqual(all.filter((r) => r.key !== "images"));
          const skipped = got.filter((r) => r.key === "images");
          const full = all.filter((r) => r.key === "images");
          expect(skipped).toEqual(full.slice(0, skipped.length));
          expect(skipped.length).toBeGreaterThanOrEqual(Math.min(1, full.length));
          // Where the key stands among the others is kept.
          expect([...new Set(got.map((r) => r.key))]).toEqual([...new Set(all.map((r) => r.key))]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reads on past a first element with problems, to one without", async () => {
    const text = enc.encode('{"images":[{"id":1,"id":2},{"id":3},{"id":4},{"id":5}]}');
    for (const size of [1, 3, 7, 100]) {
      const got = await collect(split(text, size), { skip: SKIP });
      expect(got[0]?.problems?.length).toBe(1);
      expect(got.some((r) => r.index === 1 && (r.value as { id: number }).id === 3)).toBe(true);
      // Cut into small chunks, no fast path reads ahead: the elements after it are stepped over.
      if (size < 5) expect(got.some((r) => r.index === 3)).toBe(false);
    }
  });

  it("steps over syntax errors among skipped elements, but not a truncated file", async () => {
    // Escaped quotes and backslashes in strings, cut at every byte, and a ",," between elements.
    const bad = enc.encode('{"images":[{"id":1},{"id":tru,"s":"]}\\"]"},,{"t":"\\\\"}],"info":{"a":1}}');
    for (const size of [1, 2, 3, 5, 100]) {
      const got = await collect(split(bad, size), { skip: SKIP });
      expect(got.map((r) => r.key)).toEqual(["images", "info"]);
    }
    await expect(collect(split(bad, 5))).rejects.toMatchObject({ code: "malformed_json" });
    const cut = enc.encode('{"images":[{"id":1},{"id":2,"s":"a');
    const plain = await collect([cut]).catch((e: Error) => e);
    const skipping = await collect([cut], { skip: SKIP }).catch((e: Error) => e);
    expect(skipping).toBeInstanceOf(Error);
    expect((skipping as Error).message).toBe((plain as Error).message);
  });

  it("still rejects what the grammar around the elements forbids", async () => {
    for (const text of [
      '{"images":[{"id":1},{"id":2}],}',
      '{"images":[{"id":1},{"id":2}}',
      '{"images":[1,2] "x":1}',
    ])
      await expect(collect([enc.encode(text)], { skip: SKIP })).rejects.toMatchObject({
        code: "malformed_json",
      });
  });
});
