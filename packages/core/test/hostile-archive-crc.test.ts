// Zip entries whose data does not have the CRC-32 their headers declare: every entry that is read
// (annotation JSON, panoptic PNG, an image read for its size or as media) is refused with
// `zip_crc_mismatch` naming it, with either zip engine, while it streams.
import { encode } from "fast-png";
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { importDataset } from "../src/read/import-dataset.js";
import { openZip } from "../src/zip/read-zip.js";
import { rawZip } from "./hostile-archive-zip.js";
import { ZIP_INPUTS, zipInput } from "./zip-input.js";

const ENGINES = ZIP_INPUTS;
const JSON_NAME = "annotations/instances_default.json";
const BAD_CRC = 0x000004d2;

const coco = (image: Record<string, unknown>) =>
  JSON.stringify({
    images: [{ id: 1, file_name: "a.png", ...image }],
    annotations: [],
    categories: [{ id: 1, name: "a" }],
  });
// A 3 × 2 RGB PNG: small enough to be read whole for its size.
const PNG = encode({ width: 3, height: 2, data: new Uint8Array(18).fill(1), channels: 3, depth: 8 });

async function rejection(
  run: () => Promise<unknown>,
): Promise<{ code: string; file?: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (!isCocokitError(e)) throw e;
    return { code: e.code, ...(e.file === undefined ? {} : { file: e.file }), message: e.message };
  }
  throw new Error("expected a rejection");
}

function expectClean(message: string | undefined): void {
  expect(message).toBeTruthy();
  expect(message).not.toMatch(/undefined|NaN|\[object /);
}

describe("importDataset on an annotation file whose CRC-32 is wrong", () => {
  for (const engine of ENGINES) {
    for (const method of [8, 0]) {
      it(`reports zip_crc_mismatch naming the entry, deflated or stored (${engine}, method ${method})`, async () => {
        const bytes = rawZip([
          { name: JSON_NAME, data: coco({ width: 3, height: 2 }), method, crc: BAD_CRC },
        ]);
        const { report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
        const issue = report.issues.find((i) => i.code === "zip_crc_mismatch");
        expect(issue).toMatchObject({ severity: "error", file: JSON_NAME, pointer: "" });
        expect(issue?.message).toContain("CRC-32 0x000004d2");
        expect(issue?.message).toMatch(/found 0x[0-9a-f]{8}/);
        expectClean(issue?.message);
        const strict = await rejection(() => importDataset(zipInput(bytes, engine)));
        expect(strict.code).toBe("validation_failed");
      });
    }
  }

  it("checks the CRC-32 while the entry streams: chunks arrive before the verdict, none is held whole", async () => {
    // 3 MiB that does not compress, stored: many chunks from either engine.
    const data = new Uint8Array(3 << 20);
    for (let i = 0, x = 1; i < data.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      data[i] = x >>> 24;
    }
    const bytes = rawZip([{ name: "big.bin", data, method: 0, crc: BAD_CRC }]);
    for (const engine of ENGINES) {
      const zip = await openZip(zipInput(bytes, engine));
      let chunks = 0;
      let received = 0;
      const error = await rejection(async () => {
        for await (const chunk of zip.open(zip.entries[0] as (typeof zip.entries)[0])) {
          chunks++;
          received += chunk.length;
        }
      });
      expect(error).toMatchObject({ code: "zip_crc_mismatch", file: "big.bin" });
      expect(chunks).toBeGreaterThan(1);
      expect(received).toBe(data.length);
    }
  });

  it("refuses an entry that inflates to fewer bytes than its headers declare (both engines)", async () => {
    const json = coco({ width: 3, height: 2 });
    const declared = { size: json.length + 100 };
    const bytes = rawZip([{ name: JSON_NAME, data: json, local: declared, central: declared }]);
    const found = [];
    for (const engine of ENGINES) {
      const { report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
      const issue = report.issues.find((i) => i.file === JSON_NAME);
      expectClean(issue?.message);
      found.push([issue?.code, issue?.message]);
    }
    // jszip says how short the entry fell; zip.js stops it without saying which way it differed.
    expect(found[0]).toEqual([
      "zip_entry_mismatch",
      expect.stringContaining(
        `to inflate to the ${declared.size} bytes its central directory declares, found ${json.length}`,
      ),
    ]);
    expect(found[1]).toEqual([
      "zip_limit_exceeded",
      expect.stringContaining("found a size other than declared"),
    ]);
  });

  it("accepts the same archive when the CRC-32 is right", async () => {
    const bytes = rawZip([{ name: JSON_NAME, data: coco({ width: 3, height: 2 }) }]);
    for (const engine of ENGINES) {
      const { report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
      expect(report.issues).toEqual([]);
    }
  });
});

describe("importDataset on images and panoptic PNGs whose CRC-32 is wrong", () => {
  for (const engine of ENGINES) {
    it(`rejects mediaFiles.read(item.media.path) with zip_crc_mismatch naming the image (${engine})`, async () => {
      const bytes = rawZip([
        { name: JSON_NAME, data: coco({ width: 3, height: 2 }) },
        { name: "images/default/a.png", data: PNG, crc: BAD_CRC },
      ]);
      const { dataset, report, mediaFiles } = await importDataset(zipInput(bytes, engine), {
        mode: "lenient",
      });
      expect(report.issues).toEqual([]);
      const media = dataset.items[0]?.media;
      expect(media?.path).toBe("images/default/a.png");
      const error = await rejection(async () => mediaFiles?.read(media?.path ?? ""));
      expect(error).toMatchObject({ code: "zip_crc_mismatch", file: "images/default/a.png" });
      expectClean(error.message);
    });

    it(`reports zip_crc_mismatch for an image read for its size, and takes no size from it (${engine})`, async () => {
      const bytes = rawZip([
        { name: JSON_NAME, data: coco({}) },
        { name: "images/default/a.png", data: PNG, crc: BAD_CRC },
      ]);
      const { dataset, report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
      expect(report.issues.filter((i) => i.code === "zip_crc_mismatch")).toEqual([
        expect.objectContaining({ severity: "error", file: "images/default/a.png" }),
      ]);
      expect(dataset.items[0]?.image).toEqual({ fileName: "a.png" });
      const strict = await rejection(() => importDataset(zipInput(bytes, engine)));
      expect(strict.code).toBe("validation_failed");
    });

    it(`reports a panoptic PNG whose CRC-32 is wrong, naming the PNG (${engine})`, async () => {
      const panoptic = JSON.stringify({
        images: [{ id: 1, file_name: "a.jpg", width: 3, height: 2 }],
        annotations: [
          { image_id: 1, file_name: "a.png", segments_info: [{ id: 1, category_id: 1, iscrowd: 0 }] },
        ],
        categories: [{ id: 1, name: "a" }],
      });
      const name = "annotations/panoptic_default/a.png";
      const bytes = rawZip([
        { name: "annotations/panoptic_default.json", data: panoptic },
        { name, data: PNG, crc: BAD_CRC },
      ]);
      const { report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
      // The panoptic reader files every failed PNG read under its own code; what failed is in the message.
      const issue = report.issues.find((i) => i.file === name);
      expect(issue).toMatchObject({ severity: "error" });
      expect(issue?.found ?? issue?.message).toContain("CRC-32 0x000004d2");
    });
  }
});
