/**
 * Documents for the hostile-JSON suites: one hostile record among clean ones, read at every
 * chunk size, minified and pretty, so that each reading path of `scanRecords` meets it.
 */
import { expect } from "vitest";
import type { JsonProblem, JsonRecord } from "../src/json/records.js";
import { scanRecords } from "../src/json/records.js";

const enc = new TextEncoder();

export function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

export async function read(text: string, size = 1 << 20): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const r of scanRecords(split(enc.encode(text), size))) out.push(r);
  return out;
}

export const SIZES = [...Array.from({ length: 64 }, (_, k) => k + 1), 1 << 20];

// Clean elements around the hostile one, so that it is read by every path: NumberObjects runs,
// minified runs and pretty batches for JSON.parse, and alone when a chunk cuts it.
export const numberAnnotation = (i: number) =>
  `{"segmentation":[[1.5,2,3.25,4,${i},6]],"area":12.5,"iscrowd":0,"image_id":1,"bbox":[1,2,3,${i}],"category_id":1,"id":${i}}`;
export const stringAnnotation = (i: number) =>
  `{"id":${i},"image_id":1,"category_id":1,"caption":"at 10:30, a dog","attributes":{"occluded":false,"note":"constructor"}}`;

/** A document whose `annotations` hold `hostile` at index 12 among clean ones, minified or pretty. */
export function documentWith(hostile: string, clean: (i: number) => string, pretty: boolean): string {
  const elements = Array.from({ length: 25 }, (_, i) => (i === 12 ? hostile : clean(i)));
  const images = '{"id":1,"file_name":"a.jpg","coco_url":"http://x/a.jpg"}';
  return pretty
    ? `{\n "images": [\n  ${images}\n ],\n "annotations": [\n  ${elements.join(",\n  ")}\n ]\n}\n`
    : `{"images":[${images}],"annotations":[${elements.join(",")}]}`;
}

export type Expected = Pick<JsonProblem, "code" | "path"> & Partial<JsonProblem>;

/**
 * Reads `hostile` at index 12 of a document at every chunk size, minified and pretty, and checks
 * that it alone is flagged, with `want`, and that every other record is JSON.parse's (all of
 * them, `hostile` too, when `want` is undefined: it must not be flagged).
 */
export async function expectFlagged(
  hostile: string,
  want: Expected[] | undefined,
  clean = numberAnnotation,
  sizes = SIZES,
) {
  for (const pretty of [false, true]) {
    const text = documentWith(hostile, clean, pretty);
    const doc = JSON.parse(text) as { images: unknown[]; annotations: unknown[] };
    for (const size of sizes) {
      const records = await read(text, size);
      const where = `pretty ${pretty}, ${size}-byte chunks`;
      expect(records.length, where).toBe(26);
      for (const r of records) {
        if (r.key === "annotations" && r.index === 12 && want !== undefined) {
          expect(r.value, where).toBeUndefined();
          expect(r.problems, where).toMatchObject(want);
          expect(r.problems?.length, where).toBe(want.length);
        } else {
          expect(r.problems, where).toBeUndefined();
          expect(r.value, where).toEqual(r.key === "images" ? doc.images[r.index] : doc.annotations[r.index]);
        }
      }
    }
  }
}
