// Archives whose structure is built to mislead: a central directory that disagrees with a local
// header, two entries of one name, entries that share bytes (overlapping zip bombs). Each is
// refused by name with either zip engine; nothing in it is read as if it were sound.
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { importDataset } from "../src/read/import-dataset.js";
import { openZip } from "../src/zip/read-zip.js";
import { quotedZip, type RawEntry, rawZip, sharedKernelZip } from "./hostile-archive-zip.js";
import { ZIP_INPUTS, zipInput } from "./zip-input.js";

const ENGINES = ZIP_INPUTS;
const JSON_NAME = "annotations/instances_default.json";
const coco = (...ids: number[]) =>
  JSON.stringify({
    images: ids.map((id) => ({ id, file_name: `${id}.jpg`, width: 1, height: 1 })),
    annotations: [],
    categories: [{ id: 1, name: "a" }],
  });

async function thrown(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    if (!isCocokitError(e)) throw e;
    return e;
  }
  throw new Error("expected a throw");
}

describe("importDataset on a local header that disagrees with the central directory", () => {
  const table: { what: string; entry: RawEntry; says: string }[] = [
    {
      what: "name",
      entry: { name: JSON_NAME, data: coco(1), local: { name: "annotations/instances_other.json" } },
      says: `name "${JSON_NAME}" in the central directory, "annotations/instances_other.json" in the local header`,
    },
    {
      what: "compression method",
      entry: { name: JSON_NAME, data: coco(1), method: 0, local: { method: 8 } },
      says: "compression method 0 in the central directory, 8 in the local header",
    },
    {
      what: "compressed size",
      entry: { name: JSON_NAME, data: coco(1), local: { compressedSize: 5 } },
      says: "in the central directory, 5 in the local header",
    },
    {
      what: "CRC-32",
      entry: { name: JSON_NAME, data: coco(1), local: { crc: 5 } },
      says: "in the central directory, 0x00000005 in the local header",
    },
  ];
  for (const { what, entry, says } of table) {
    for (const engine of ENGINES) {
      it(`reports zip_entry_mismatch for a different ${what} and reads nothing of the entry (${engine})`, async () => {
        const bytes = rawZip([entry]);
        const { dataset, report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
        expect(dataset.items).toEqual([]);
        const issue = report.issues.find((i) => i.code === "zip_entry_mismatch");
        expect(issue).toMatchObject({ severity: "error", file: JSON_NAME });
        expect(issue?.message).toContain(says);
        expect(issue?.message).not.toMatch(/undefined|NaN|\[object /);
        expect((await thrown(() => importDataset(zipInput(bytes, engine)))).code).toBe("validation_failed");
      });
    }
  }

  it("lists entries by their central names with both engines (jszip used to name them from local headers)", async () => {
    const bytes = rawZip([{ name: "images/a.jpg", data: "x", local: { name: JSON_NAME } }]);
    for (const engine of ENGINES) {
      const zip = await openZip(zipInput(bytes, engine));
      expect(zip.entries.map((e) => e.path)).toEqual(["images/a.jpg"]);
    }
  });

  it("reads an archive after a prepended stub (a self-extractor) with both engines", async () => {
    const zip = rawZip([{ name: JSON_NAME, data: coco(1) }]);
    const bytes = new Uint8Array(100 + zip.length);
    bytes.set(zip, 100);
    for (const engine of ENGINES) {
      const zip = await openZip(zipInput(bytes, engine));
      const chunks: Uint8Array[] = [];
      for await (const chunk of zip.open(zip.entries[0] as (typeof zip.entries)[0])) chunks.push(chunk);
      expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe(coco(1));
    }
  });

  it("accepts a local header that leaves CRC and sizes to a data descriptor (flag 8)", async () => {
    const flags = 0x0808;
    const bytes = rawZip([
      {
        name: JSON_NAME,
        data: coco(1),
        local: { flags, crc: 0, compressedSize: 0, size: 0 },
        central: { flags },
      },
    ]);
    for (const engine of ENGINES) {
      const zip = await openZip(zipInput(bytes, engine));
      const entry = zip.entries[0] as (typeof zip.entries)[0];
      const chunks: Uint8Array[] = [];
      for await (const chunk of zip.open(entry)) chunks.push(chunk);
      expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe(coco(1));
    }
  });
});

describe("importDataset on entries zip.js refuses before inflating (these used to hang it)", () => {
  const table: { what: string; entry: RawEntry }[] = [
    {
      what: "an unsupported compression method (bzip2)",
      entry: { name: JSON_NAME, data: coco(1), method: 12 },
    },
    {
      what: "a compressed size that runs past the archive",
      entry: {
        name: JSON_NAME,
        data: coco(1),
        local: { compressedSize: 1e6 },
        central: { compressedSize: 1e6 },
      },
    },
  ];
  for (const { what, entry } of table) {
    it(`reports invalid_zip naming the entry for ${what}`, async () => {
      const { report } = await importDataset(zipInput(rawZip([entry]), "blob"), { mode: "lenient" });
      expect(report.issues).toEqual([expect.objectContaining({ code: "invalid_zip", file: JSON_NAME })]);
      // jszip refuses the same archives when it opens them.
      const error = await thrown(() => importDataset(rawZip([entry])));
      expect(error.code).toBe("invalid_zip");
    });
  }
});

describe("importDataset on two entries with one name", () => {
  for (const engine of ENGINES) {
    it(`reports duplicate_zip_entry naming both and reads neither (${engine})`, async () => {
      const bytes = rawZip([
        { name: JSON_NAME, data: coco(1, 2) },
        { name: "images/default/1.jpg", data: "first" },
        { name: "images/default/1.jpg", data: "second" },
      ]);
      const { dataset, report, media } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
      const issue = report.issues.find((i) => i.code === "duplicate_zip_entry");
      expect(issue).toMatchObject({ severity: "error", file: "images/default/1.jpg", pointer: "" });
      expect(issue?.message).toContain('one zip entry named "images/default/1.jpg", found 2 (entries 2, 3)');
      expect(dataset.items[0]?.media).toBeUndefined();
      expect(media?.matched).toEqual([]);
      expect((await thrown(() => importDataset(zipInput(bytes, engine)))).code).toBe("validation_failed");
    });

    it(`throws annotations_not_found naming the repeated annotation file (${engine})`, async () => {
      const bytes = rawZip([
        { name: JSON_NAME, data: coco(1) },
        { name: `annotations/./instances_default.json`, data: coco(99) },
      ]);
      const error = await thrown(() => importDataset(zipInput(bytes, engine), { mode: "lenient" }));
      expect(error.code).toBe("annotations_not_found");
      expect(error.message).toContain(`not read: ${JSON_NAME} (duplicate_zip_entry)`);
      expect(error.issues?.map((i) => i.code)).toEqual(["duplicate_zip_entry"]);
    });
  }
});

describe("importDataset on overlapping entries (zip bombs that reuse one kernel)", () => {
  const kernel = { name: JSON_NAME, data: coco(1) };
  const bombs = [
    {
      name: "three central entries pointing at one local record",
      bytes: () =>
        sharedKernelZip(kernel, [JSON_NAME, "annotations/instances_b.json", "annotations/instances_c.json"]),
      says: ['"annotations/instances_b.json" (entry 2, bytes 0-', "and 1 more overlapping entries"],
    },
    {
      name: "an entry whose data quotes the next entry's local header",
      bytes: () => quotedZip("annotations/instances_outer.json", kernel).bytes,
      says: [
        `"${JSON_NAME}" (entry 2, bytes 62-`,
        'inside "annotations/instances_outer.json" (entry 1, bytes 0-',
      ],
    },
  ];
  for (const bomb of bombs) {
    for (const engine of ENGINES) {
      it(`throws overlapping_zip_entries for ${bomb.name}, before any entry is read (${engine})`, async () => {
        const error = await thrown(() => importDataset(zipInput(bomb.bytes(), engine), { name: "bomb.zip" }));
        expect(error).toMatchObject({ code: "overlapping_zip_entries", file: "bomb.zip" });
        for (const text of bomb.says) expect(error.message).toContain(text);
        expect(error.message).not.toMatch(/undefined|NaN|\[object /);
      });
    }
  }
});
