// The streaming reader (bytes → records) and the in-memory reader (a parsed document → records)
// must give the same Dataset and the same report for every conformance fixture file.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { taskFromFileName } from "../src/coco/tasks.js";
import { importFiles, importJson } from "../src/import/import-files.js";
import { decodePanopticPng } from "../src/panoptic/decode-png.js";
import { ASSETS, fixtureJsonFiles } from "./fixture-files.js";

// Small chunks, so records and strings are cut at every possible place.
async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const files = await fixtureJsonFiles();

// Panoptic PNGs sit in the folder named like the JSON file.
const pngReader = (path: string) => async (_subset: string, fileName: string) => {
  const file = join(dirname(path), path.slice(dirname(path).length + 1).replace(/\.json$/, ""), fileName);
  return decodePanopticPng(new Uint8Array(await readFile(file)), file);
};

describe("streaming and in-memory readers", () => {
  it("find the fixture files", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)("agree on %s", async (name) => {
    const path = join(ASSETS, name);
    const bytes = new Uint8Array(await readFile(path));
    const { task, subset } = taskFromFileName(name);
    const options = { mode: "lenient" as const, readPanopticPng: pngReader(path) };
    const streamed = await importFiles(
      [{ name, subset, ...(task ? { task } : {}), open: () => chunks(bytes, 7) }],
      options,
    );
    const parsed = JSON.parse(new TextDecoder().decode(bytes));
    const inMemory = await importJson(parsed, { ...options, name });
    expect(inMemory.dataset).toEqual(streamed.dataset);
    expect(inMemory.report).toEqual(streamed.report);
  });
});
