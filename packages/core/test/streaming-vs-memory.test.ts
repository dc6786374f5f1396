// The streaming reader (bytes → records) and the in-memory reader (a parsed document → records)
// must give the same Dataset and the same report for every conformance fixture file.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importFiles, importJson } from "../src/import/import-files.js";
import { taskFromFileName } from "../src/import/task-name.js";
import { decodePanopticPng } from "../src/panoptic/decode-png.js";

const ASSETS = fileURLToPath(
  new URL("../../../../shared/conformance/datumaro_coco/tests/assets/", import.meta.url),
);

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(path)));
    else if (entry.name.endsWith(".json") && !entry.name.startsWith("dataset_meta")) out.push(path);
  }
  return out.sort();
}

// Small chunks, so records and strings are cut at every possible place.
async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const files = (await jsonFiles(ASSETS)).map((path) => relative(ASSETS, path));

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
