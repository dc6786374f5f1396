import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { problemsOf } from "../../test/hostile-json-oracle.js";
import { topLevelKeyProblem } from "./json-problem.js";
import { scanRecords } from "./records.js";
import { writeDocument } from "./write-document.js";

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
}

describe("writeDocument", () => {
  it("writes a document JSON.parse reads back, from async record streams", async () => {
    async function* images() {
      for (let id = 1; id <= 3; id++) yield { id, file_name: `a"${id}].jpg` };
    }
    const out = await text(
      writeDocument([
        { key: "info", value: { v: 1 } },
        { key: "images", records: images() },
        { key: "annotations", records: [] },
      ]),
    );
    expect(JSON.parse(out)).toEqual({
      info: { v: 1 },
      images: [1, 2, 3].map((id) => ({ id, file_name: `a"${id}].jpg` })),
      annotations: [],
    });
  });

  it("emits chunks of about 64 KB for large documents", async () => {
    const records = Array.from({ length: 5000 }, (_, id) => ({ id, name: "x".repeat(50) }));
    const sizes: number[] = [];
    for await (const c of writeDocument([{ key: "a", records }])) sizes.push(c.length);
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThan(80 * 1024);
  });

  it("round-trips arbitrary documents through scanRecords", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.array(fc.jsonValue())), async (obj) => {
        const members = Object.entries(obj).map(([key, records]) => ({ key, records }));
        const back: Record<string, unknown[]> = Object.fromEntries(Object.keys(obj).map((k) => [k, []]));
        for await (const r of scanRecords(writeDocument(members))) {
          // An empty array comes back whole (index -1), a non-empty one element by element;
          // what JSON.parse would misread (integers past 2^53) comes back flagged, without a value.
          if (r.index >= 0) back[r.key]?.push(r.problems ? { problems: r.problems } : r.value);
          else if (r.problems) back[r.key] = r.problems;
          else expect(r.value).toEqual([]);
        }
        const want = Object.entries(JSON.parse(JSON.stringify(obj)) as Record<string, unknown[]>).map(
          ([key, records]) => {
            const problem = topLevelKeyProblem(key, 1);
            if (problem) return [key, [problem]];
            return [key, records.map((v) => (problemsOf(v) ? { problems: problemsOf(v) } : v))];
          },
        );
        expect(back).toEqual(Object.fromEntries(want));
      }),
      { numRuns: 200 },
    );
  });
});
