import { describe, expect, it } from "vitest";
import { gather, issueKeys } from "../../test/records-support.js";
import { importDataset } from "../read/import-dataset.js";
import { readCocoRecords } from "./read-records.js";

const enc = new TextEncoder();
const name = "instances_default.json";
const image = (id: number) => `{"id":${id},"file_name":"${id}.jpg","width":4,"height":4}`;
const box = (id: number) => `{"id":${id},"image_id":1,"category_id":1,"bbox":[0,0,1,1],"area":1,"iscrowd":0}`;

// The first pass steps over images and annotations unparsed: what only a parse finds is the
// second pass's to report, once.
describe("headPass skipping images and annotations", () => {
  for (const [where, text] of [
    [
      "an image",
      `{"categories":[{"id":1,"name":"a"}],"images":[${image(1)},{"id":tru}],"annotations":[${box(1)}]}`,
    ],
    [
      "an annotation",
      `{"categories":[{"id":1,"name":"a"}],"images":[${image(1)}],"annotations":[${box(1)},{"id":nul}]}`,
    ],
  ] as const) {
    it(`reports a syntax error inside ${where} once, as importDataset does`, async () => {
      const bytes = enc.encode(text);
      const expected = await importDataset(bytes, { name, mode: "lenient" });
      const got = await gather(readCocoRecords(bytes, { name, mode: "lenient" }));
      expect(issueKeys(got.report)).toEqual(issueKeys(expected.report));
      expect(got.report.issues.find((i) => i.code === "malformed_json")?.message).toBe(
        expected.report.issues.find((i) => i.code === "malformed_json")?.message,
      );
      expect(got.dataset.items.length).toBe(expected.dataset.items.length);
      await expect(gather(readCocoRecords(bytes, { name }))).rejects.toMatchObject({
        code: "validation_failed",
      });
    });
  }

  it("counts every annotation object of a file without images as skipped", async () => {
    const bytes = enc.encode(
      `{"categories":[{"id":1,"name":"a"}],"annotations":[${box(1)},${box(2)},5,${box(3)}]}`,
    );
    const expected = await importDataset(bytes, { name, mode: "lenient" });
    const got = await gather(readCocoRecords(bytes, { name, mode: "lenient" }));
    expect(got.report.skipped).toBe(expected.report.skipped);
    expect(issueKeys(got.report)).toEqual(issueKeys(expected.report));
  });
});
