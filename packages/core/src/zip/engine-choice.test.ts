// Which zip library reads an archive is internal: small, plain archives in memory go to jszip,
// everything else to zip.js, and both show the caller the same entries and bytes.
import { describe, expect, it } from "vitest";
import { rawZip } from "../../test/hostile-archive-zip.js";
import { importDataset } from "../read/import-dataset.js";
import { openZip, zipEngineOf } from "./read-zip.js";
import type { ZipArchive } from "./zip-archive.js";

const JSON_NAME = "annotations/instances_default.json";
const DOC = '{"images":[{"id":1,"file_name":"a.jpg","width":2,"height":2}],"annotations":[],"categories":[]}';

async function contents(zip: ZipArchive): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of zip.entries) {
    const parts: Uint8Array[] = [];
    for await (const chunk of zip.open(entry)) parts.push(chunk);
    out[entry.path] = new TextDecoder().decode(
      new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer()),
    );
  }
  return out;
}

describe("openZip's choice of library", () => {
  const plain = rawZip([
    { name: JSON_NAME, data: DOC },
    { name: "images/default/a.jpg", data: "jpeg bytes", method: 0 },
  ]);

  it("reads a small plain archive in memory with jszip and the same archive as a Blob with zip.js, alike", async () => {
    const inMemory = await openZip(plain);
    const fromBlob = await openZip(new Blob([plain as BlobPart]));
    expect(zipEngineOf(inMemory)).toBe("jszip");
    expect(zipEngineOf(fromBlob)).toBe("zipjs");
    expect(inMemory.entries).toEqual(fromBlob.entries);
    expect(await contents(inMemory)).toEqual(await contents(fromBlob));
  });

  // jszip keys its objects by the local header's name, resolved and decoded its own way, one per
  // name: whenever that name may not say which entry an object holds, zip.js reads the archive.
  it.each([
    [
      "a repeated name",
      [
        { name: JSON_NAME, data: DOC },
        { name: JSON_NAME, data: DOC },
      ],
    ],
    ["a local name unlike the central one", [{ name: JSON_NAME, data: DOC, local: { name: "other.json" } }]],
    [
      "a local name that is another entry's",
      [
        { name: JSON_NAME, data: DOC },
        { name: "b.json", data: "{}", local: { name: JSON_NAME } },
      ],
    ],
    [
      "an unsafe name jszip resolves onto a safe one",
      [
        { name: JSON_NAME, data: DOC },
        { name: `x/../${JSON_NAME}`, data: "{}" },
      ],
    ],
    [
      "a non-ASCII name",
      [
        { name: JSON_NAME, data: DOC },
        { name: "images/default/é.jpg", data: "x" },
      ],
    ],
  ])("sends an archive with %s to zip.js", async (_what, entries) => {
    expect(zipEngineOf(await openZip(rawZip(entries)))).toBe("zipjs");
  });

  it("keeps the library out of the public results", async () => {
    const zip = await openZip(plain);
    expect(zip).not.toHaveProperty("engine");
    const { layout } = await importDataset(plain);
    expect(layout).toEqual({
      name: "coco",
      container: "zip",
      files: [{ path: JSON_NAME, task: "instances", subset: "default" }],
    });
    // @ts-expect-error the engine is not an option any more
    await openZip(plain, { engine: "jszip" });
  });
});
