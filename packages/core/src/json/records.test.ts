import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { expectedRecords } from "../../test/hostile-json-oracle.js";
import { isCocokitError } from "../errors.js";
import { NumberObjects } from "./number-objects.js";
import { type JsonRecord, scanRecordBatches, scanRecords } from "./records.js";

const enc = new TextEncoder();

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function collect(chunks: Iterable<Uint8Array>): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const r of scanRecords(chunks)) out.push(r);
  return out;
}

// The entries of JSON.parse, with the problems it hides flagged (random values hold large integers).
const expected = expectedRecords;

// A JSON text that tells -0 from 0, for comparisons that must be exact to the bit.
const exact = (v: unknown) => JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? "-0" : x));

async function failure(chunks: Iterable<Uint8Array>): Promise<unknown> {
  try {
    await collect(chunks);
  } catch (e) {
    return e;
  }
  throw new Error("expected scanRecords to throw");
}

describe("scanRecords", () => {
  const cases = [
    '{"images":[{"id":1},{"id":2}],"annotations":[],"info":{"a":[1,{"b":"]}"}]}}',
    ' \n{ "a" : [ 1 , "x\\"]}" , null , true , -1.5e3 , [ [ ] ] ] , "b" : "s" , "c" : 3 }\n ',
    '{"k\\u00e9y/~":[{"s":"é日本\\\\"}],"big":1e400}',
    "{}",
    '{"a":[]}',
  ];
  for (const text of cases) {
    it(`yields the entries JSON.parse gives, for ${text.slice(0, 40)}`, async () => {
      const bytes = enc.encode(text);
      for (const size of [1, 2, 3, 7, bytes.length])
        expect(await collect(split(bytes, size))).toEqual(expected(text));
    });
  }

  it("accepts a BOM at the start", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"a":[1]}')]);
    expect(await collect([bytes])).toEqual([{ key: "a", index: 0, value: 1 }]);
  });

  it("yields what JSON.parse gives for every conformance fixture", async () => {
    const root = fileURLToPath(new URL("../../../../../shared/conformance/datumaro_coco", import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith(".json")) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      const bytes = new Uint8Array(readFileSync(path));
      const text = new TextDecoder().decode(bytes);
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        continue;
      }
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) continue;
      expect(await collect(split(bytes, 97)), path).toEqual(expected(text));
    }
  });

  it("yields exactly the entries of JSON.parse for arrays of number-only objects, any layout and chunk size", async () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -100000, max: 100000 }).map((n) => n / 100),
      fc.constant(-0),
    );
    const value = fc.oneof(
      number,
      fc.array(number, { maxLength: 8 }),
      fc.array(fc.array(number, { maxLength: 8 }), { maxLength: 3 }),
    );
    const element = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.dictionary(fc.constantFrom("id", "bbox", "segmentation", "area", "k"), value),
      },
      { weight: 1, arbitrary: fc.jsonValue() },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(element, { maxLength: 30 }),
        fc.constantFrom(undefined, 1, "\t", " \r\n "),
        fc.integer({ min: 1, max: 200 }),
        async (annotations, indent, size) => {
          // -0 written as JSON.stringify would not write it (it writes 0).
          const text = JSON.stringify(
            { annotations, n: 1 },
            (_k, x) => (Object.is(x, -0) ? "NEG0" : x),
            indent,
          ).replaceAll('"NEG0"', "-0");
          expect(exact(await collect(split(enc.encode(text), size)))).toBe(exact(expected(text)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("yields exactly the entries of JSON.parse for arbitrary objects and chunk sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.integer({ min: 1, max: 64 }),
        async (obj, size) => {
          const text = JSON.stringify(obj);
          expect(await collect(split(enc.encode(text), size))).toEqual(expected(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  const bad: [string, Uint8Array, string, string | undefined][] = [
    ["empty input", new Uint8Array(0), "empty_input", undefined],
    ["whitespace only", enc.encode("  \n"), "empty_input", undefined],
    ["a top-level array", enc.encode("[1,2]"), "invalid_type", ""],
    ["a truncated file", enc.encode('{"images":[{"id":1},{"id"'), "malformed_json", "/images/1"],
    ["a missing comma", enc.encode('{"a":[1\n 2]}'), "malformed_json", "/a/0"],
    ["garbage after the object", enc.encode('{"a":1} x'), "malformed_json", undefined],
    ["a bad record", enc.encode('{"annotations":[{"id":1},{"id":}]}'), "malformed_json", "/annotations/1"],
    [
      "invalid UTF-8",
      new Uint8Array([...enc.encode('{"a":["'), 0xff, ...enc.encode('"]}')]),
      "invalid_encoding",
      "/a/0",
    ],
    ["a trailing comma before }", enc.encode('{"a":1,}'), "malformed_json", undefined],
    ["100k nested arrays left open", enc.encode(`{"a":${"[".repeat(100_000)}}`), "malformed_json", undefined],
  ];
  for (const [name, bytes, code, pointer] of bad) {
    it(`throws ${code} given ${name}`, async () => {
      const error = await failure(split(bytes, 5));
      expect(isCocokitError(error) && error.code).toBe(code);
      if (pointer !== undefined && isCocokitError(error)) expect(error.pointer).toBe(pointer);
    });
  }

  it("reports line and column of a structural error", async () => {
    const error = await failure([enc.encode('{"a":[1\n 2]}')]);
    expect((error as Error).message).toMatch(/line 2, column 2/);
  });

  it.each([
    1, 3, 7, 64,
  ])("reports the same line and column when the input comes in %i-byte chunks", async (size) => {
    const text = '{\n  "images": [\n    {"id": 1, "name": "é"},\n    {"id": 2}\n    {"id": 3}\n  ]\n}';
    const error = await failure(split(enc.encode(text), size));
    expect((error as Error).message).toMatch(/line 5, column 5/);
  });

  it("parses runs of elements in one chunk to the same values as one at a time, past the batch size", async () => {
    const elements = Array.from({ length: 9000 }, (_, i) =>
      i % 3 === 0 ? { id: i, s: 'a,"b]}', n: [i, [i]] } : i % 3 === 1 ? [i, null] : `x${i}`,
    );
    const text = `{"a": [ ${elements.map((e) => JSON.stringify(e)).join(" ,\n ")} ], "b": 1}`;
    const whole = await collect([enc.encode(text)]);
    expect(whole.map((r) => r.value)).toEqual([...elements, 1]);
    expect(whole.slice(0, -1).map((r) => r.index)).toEqual(elements.map((_, i) => i));
    const cut = await collect(split(enc.encode(text), 4093));
    expect(cut).toEqual(whole);
  });

  it("reads number-only objects from the bytes and every other element with JSON.parse, the same at every cut", async () => {
    const annotations = Array.from({ length: 60 }, (_, i) =>
      i % 20 === 7
        ? { segmentation: { counts: "PPYo1", size: [4, 4] }, id: i }
        : {
            segmentation: [[i + 0.25, "NEG0", 1e-7 * i, 12345678901234.568]],
            area: i * 1.5,
            bbox: [i, 0, 2.5, 3],
            id: i,
          },
    );
    // JSON.stringify writes -0 as 0; the files we read may well have "-0".
    const pretty = JSON.stringify(
      { images: [{ id: 1, file_name: "a.jpg" }], annotations },
      null,
      1,
    ).replaceAll('"NEG0"', "-0");
    const minified = JSON.stringify({ annotations, images: [{ id: 1, file_name: "a.jpg" }] }).replaceAll(
      '"NEG0"',
      "-0.0",
    );
    for (const text of [pretty, minified]) {
      const want = exact(expected(text));
      const parseRun = vi.spyOn(NumberObjects.prototype, "parseRun");
      expect(exact(await collect([enc.encode(text)]))).toBe(want);
      // All but the three RLE annotations came from NumberObjects.
      const read = parseRun.mock.results.reduce((n, r) => n + (r.value as number), 0);
      expect(read).toBe(57);
      parseRun.mockRestore();
      for (const size of [1, 2, 5, 64, 1000])
        expect(exact(await collect(split(enc.encode(text), size)))).toBe(want);
    }
  });

  it("hands on number-only objects in batches of at most 256, so they die young", async () => {
    const annotations = Array.from({ length: 1000 }, (_, i) => ({ id: i, bbox: [i, 1, 2, 3] }));
    const text = JSON.stringify({ annotations });
    const sizes: number[] = [];
    const values: unknown[] = [];
    for await (const batch of scanRecordBatches([enc.encode(text)])) {
      sizes.push(batch.length);
      for (const r of batch) values.push(r.value);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
    expect(values).toEqual(annotations);
  });

  it("parses at most 32 KB of text per JSON.parse call, minified or not, so no parsed text is a large object", async () => {
    const images = Array.from({ length: 30_000 }, (_, i) => ({ id: i, file_name: `${i}.jpg`, coco_url: "" }));
    for (const text of [JSON.stringify({ images }), JSON.stringify({ images }, null, 1)]) {
      const parse = vi.spyOn(JSON, "parse");
      const records = await collect([enc.encode(text)]);
      const longest = Math.max(...parse.mock.calls.map(([t]) => (t as string).length));
      parse.mockRestore();
      expect(text.length).toBeGreaterThan(1e6);
      expect(longest).toBeLessThan(33 * 1024);
      expect(records).toEqual(expected(text));
    }
  });

  it("stops trying NumberObjects on an array where it keeps failing, and tries again on the next array", async () => {
    const images = Array.from({ length: 100 }, (_, i) => ({ id: i, file_name: `${i}.jpg` }));
    const text = JSON.stringify({ images, annotations: [{ id: 1, bbox: [1, 2, 3, 4] }] });
    const parseRun = vi.spyOn(NumberObjects.prototype, "parseRun");
    expect(await collect([enc.encode(text)])).toEqual(expected(text));
    // 8 failed tries on images, then one successful read of the annotation.
    expect(parseRun.mock.results.map((r) => r.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it.each([
    1 << 20,
    4096,
    333,
  ])("reads minified object arrays exactly, whatever '},{' hides in strings and nested values (%i-byte chunks)", async (size) => {
    const elements = Array.from({ length: 3000 }, (_, i) => ({
      id: i,
      note: i % 7 === 0 ? 'x},{"id":-1}' : "plain",
      segments_info: i % 5 === 0 ? [{ id: 1 }, { id: 2, a: { b: [{}, {}] } }] : [],
    }));
    const text = JSON.stringify({ annotations: elements, images: [{ id: 1 }, { id: 2 }], info: {} });
    const records = await collect(split(enc.encode(text), size));
    const annotations = records.filter((r) => r.key === "annotations");
    expect(annotations.map((r) => r.value)).toEqual(elements);
    expect(annotations.map((r) => r.index)).toEqual(elements.map((_, i) => i));
    expect(records.filter((r) => r.key === "images").map((r) => r.index)).toEqual([0, 1]);
  });

  it("hands on the records of a chunk that precede an error in it, then throws", async () => {
    const seen: JsonRecord[] = [];
    const bytes = enc.encode('{"a":[{"id":1},{"id":2},{"id":}]}');
    const error = await (async () => {
      for await (const batch of scanRecordBatches([bytes])) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(seen.map((r) => r.value)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(isCocokitError(error) && [error.code, error.pointer]).toEqual(["malformed_json", "/a/2"]);
  });

  it("names the exact element when one in a run of a chunk is bad", async () => {
    const good = '{"id": 1}';
    const bad = await failure([enc.encode(`{"a": [${[good, good, good, '{"id": }', good].join(",")}]}`)]);
    expect(isCocokitError(bad) && [bad.code, bad.pointer]).toEqual(["malformed_json", "/a/3"]);
    const minified = await failure([
      enc.encode(`{"a":[${['{"id":1}', '{"id":2}', '{"id":}', '{"id":4}', '{"id":5}'].join(",")}]}`),
    ]);
    expect(isCocokitError(minified) && [minified.code, minified.pointer]).toEqual(["malformed_json", "/a/2"]);
    const bytes = new Uint8Array([...enc.encode('{"a": ["x", "y", "'), 0xff, ...enc.encode('", "z"]}')]);
    const encoding = await failure([bytes]);
    expect(isCocokitError(encoding) && [encoding.code, encoding.pointer]).toEqual([
      "invalid_encoding",
      "/a/2",
    ]);
  });

  it("does not crash on 100k nested arrays inside a record", async () => {
    const deep = `{"a":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    const result = await collect([enc.encode(deep)]).catch((e: unknown) => e);
    if (isCocokitError(result)) expect(result.code).toBe("malformed_json");
    else expect((result as JsonRecord[]).length).toBe(1);
  });

  it("throws aborted when the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const it = scanRecords([enc.encode("{}")], { signal: controller.signal });
    await expect(it.next()).rejects.toMatchObject({ code: "aborted" });
  });

  it("reports progress per chunk", async () => {
    const seen: number[] = [];
    for await (const _ of scanRecords(split(enc.encode('{"a":[1,2,3]}'), 4), {
      onProgress: (p) => seen.push(p.bytesRead),
    })) {
    }
    expect(seen).toEqual([4, 8, 12, 13]);
  });
});
