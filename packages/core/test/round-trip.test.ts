import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskFromFileName } from "../src/coco/tasks.js";
import { exportDataset } from "../src/export/export-dataset.js";
import type { ExportOptions } from "../src/export/export-options.js";
import { importFiles } from "../src/import/import-files.js";
import type { CocoFileSource } from "../src/import/import-options.js";
import { chunksOf } from "../src/json/chunks-of.js";
import type { Dataset } from "../src/model/types.js";

const assets = fileURLToPath(
  new URL("../../../../shared/conformance/datumaro_coco/tests/assets/", import.meta.url),
);
const generator = fileURLToPath(new URL("../../../../shared/tools/gen_coco_synth.py", import.meta.url));

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

function sourceOf(name: string, bytes: Uint8Array): CocoFileSource {
  const { task, subset } = taskFromFileName(name);
  return { name, subset, ...(task ? { task } : {}), open: () => chunksOf(bytes) };
}

/** Exports a dataset in memory: path → bytes. */
async function exported(dataset: Dataset, options?: ExportOptions): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const f of exportDataset(dataset, options).files) out.set(f.path, await bytesOf(f.open()));
  return out;
}

/** Imports the JSON files of an export, as a directory import would. */
async function reimport(files: Map<string, Uint8Array>): Promise<Dataset> {
  // In name order, as a directory import reads them.
  const sources = [...files]
    .filter(([p]) => p.endsWith(".json"))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, b]) => sourceOf(p, b));
  return (await importFiles(sources)).dataset;
}

/** A dataset without `source` (where each object was read from), which an export changes by design. */
function withoutSources(dataset: Dataset): unknown {
  return JSON.parse(
    JSON.stringify(dataset, (key, value) => {
      if (key === "source") return undefined;
      if (value instanceof Uint32Array) return Array.from(value);
      return value;
    }),
  );
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith(".json")) out.push(join(entry.parentPath, entry.name));
  return out.sort();
}

// Every conformance file read on its own; panoptic files need their PNG folders, so they go
// through directories in round-trip-fixtures.test.ts.
const singles = (await jsonFiles(assets)).filter((p) => !/panoptic/.test(p)).map((p) => relative(assets, p));

describe("import → export → import", () => {
  it.each(singles)("gives the same JSON and the same Dataset for %s", async (file) => {
    const bytes = await readFile(join(assets, file));
    // Roboflow and relaxed files are named freely: read them as instances of `default`.
    const name = taskFromFileName(file).task ? (file.split("/").pop() ?? file) : "instances_default.json";
    const first = await importFiles([sourceOf(name, bytes)]);
    const files = await exported(first.dataset);
    const json = [...files.keys()].filter((p) => p.endsWith(".json"));
    expect(json).toHaveLength(1);
    const written = JSON.parse(new TextDecoder().decode(files.get(json[0] as string)));
    expect(written).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
    expect(withoutSources(await reimport(files))).toEqual(withoutSources(first.dataset));
  });

  it("gives the same Dataset for the combined fixture directory (every task, two subsets)", async () => {
    const dir = join(assets, "coco_dataset/coco/annotations");
    const names = (await readdir(dir)).filter((n) => n.endsWith(".json") && !/panoptic/.test(n));
    const sources = await Promise.all(names.map(async (n) => sourceOf(n, await readFile(join(dir, n)))));
    const first = (await importFiles(sources)).dataset;
    const again = await reimport(await exported(first));
    expect(withoutSources(again)).toEqual(withoutSources(first));
  });

  describe("W1 (synthetic COCO, 300 images)", () => {
    let dir: string;
    let bytes: Buffer;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "cocokit-round-trip-"));
      execFileSync("python3", [generator, join(dir, "w1.json"), "--images", "300", "--seed", "7"], {
        stdio: "ignore",
      });
      bytes = await readFile(join(dir, "w1.json"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("comes back as the same JSON (ids, bbox, area, info, licenses, extra image fields, RLE strings)", async () => {
      const { dataset } = await importFiles([sourceOf("instances_train.json", bytes)]);
      const files = await exported(dataset);
      const written = JSON.parse(new TextDecoder().decode(files.get("annotations/instances_train.json")));
      expect(written).toEqual(JSON.parse(bytes.toString("utf8")));
      expect(withoutSources(await reimport(files))).toEqual(withoutSources(dataset));
    });

    it("keeps every mask's pixels and area when edited shapes are written again by CVAT's rules", async () => {
      const { dataset } = await importFiles([sourceOf("instances_train.json", bytes)]);
      // Drop import's mark: every annotation is now "edited" and gets pycocotools' pixel area,
      // though it still holds the file's area.
      for (const item of dataset.items) for (const a of item.annotations) delete a.unchanged;
      const written = JSON.parse(
        new TextDecoder().decode((await exported(dataset)).get("annotations/instances_train.json")),
      );
      const original = JSON.parse(bytes.toString("utf8"));
      expect(written.annotations).toHaveLength(original.annotations.length);
      written.annotations.forEach((a: Record<string, unknown>, i: number) => {
        const o = original.annotations[i];
        expect(a.id).toBe(o.id);
        expect(a.bbox).toEqual(o.bbox);
        // Crowd RLE stays a crowd mask (lists of counts now, as CVAT writes them); polygons stay polygons.
        expect(a.iscrowd).toBe(o.iscrowd);
        expect(Array.isArray(a.segmentation)).toBe(Array.isArray(o.segmentation));
        // The generator's crowd blobs are rectangles, whose pixel area it writes exactly.
        if (o.iscrowd === 1) expect(a.area).toBe(o.area);
      });
    });
  });
});
