import { afterEach, describe, expect, it, vi } from "vitest";
import type { Annotation, Dataset, Item } from "../model/types.js";
import type { ProgressEvent } from "../progress/progress.js";
import { openZip } from "../zip/read-zip.js";
import { archiveToBlob, exportArchive, exportArchiveToBlob, planArchive } from "./export-archive.js";
import { exportJson } from "./export-dataset.js";

const box = (id: number): Annotation => ({
  type: "bbox",
  id,
  group: 0,
  categoryId: 1,
  attributes: {},
  bbox: [0, 0, 2, 3],
});
const item = (id: number, subset: string, annotations: Annotation[]): Item => ({
  id,
  subset,
  image: { fileName: `${id}.jpg`, width: 4, height: 4 },
  annotations,
  attributes: {},
});
const categories = [{ id: 1, name: "a" }];
const two: Dataset = { categories, items: [item(1, "train", [box(1)]), item(2, "val", [box(2)])] };
/** One subset, `n` images of one box each: big enough that a progress listener would see thousands of steps. */
const many = (n: number): Dataset => ({
  categories,
  items: Array.from({ length: n }, (_, i) => item(i + 1, "train", [box(i + 1)])),
});

async function bytesOf(chunks: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): Promise<Uint8Array> {
  if (chunks instanceof ReadableStream) {
    const blob = await archiveToBlob(chunks, "application/octet-stream");
    return new Uint8Array(await blob.arrayBuffer());
  }
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

afterEach(() => {
  vi.useRealTimers();
});

describe("exportArchive", () => {
  it("streams the same bytes for a JSON container as exportJson", async () => {
    const options = { subsets: ["val"] };
    const streamed = await bytesOf(exportArchive(two, { ...options, container: "json" }));
    expect(streamed).toEqual(await bytesOf(exportJson(two, options)));
    expect(JSON.parse(new TextDecoder().decode(streamed)).images).toEqual([
      { id: 2, width: 4, height: 4, file_name: "2.jpg" },
    ]);
  });

  it("streams a zip of every task file, readable by core's zip reader", async () => {
    const zip = await openZip(await bytesOf(exportArchive(two, { container: "zip" })));
    expect(zip.entries.map((e) => e.path).sort()).toEqual([
      "annotations/instances_train.json",
      "annotations/instances_val.json",
    ]);
  });

  it("throws the single-file rule before a byte is made: export_ambiguous, export_needs_archive", () => {
    expect(() => exportArchive(two, { container: "json" })).toThrow(
      expect.objectContaining({ code: "export_ambiguous" }),
    );
    const mask: Annotation = {
      type: "mask",
      id: 1,
      group: 0,
      categoryId: 1,
      attributes: {},
      task: "panoptic",
      rle: { height: 4, width: 4, counts: Uint32Array.from([0, 16]) },
    };
    expect(() => exportArchive({ categories, items: [item(1, "a", [mask])] }, { container: "json" })).toThrow(
      expect.objectContaining({ code: "export_needs_archive" }),
    );
  });

  it("plans once and tells what the archive holds", () => {
    const plan = planArchive(two, { container: "json", subsets: ["train"] });
    expect(plan).toMatchObject({
      container: "json",
      mimeType: "application/json",
      files: ["annotations/instances_train.json"],
    });
    expect(plan.report.ok).toBe(true);
  });
});

describe("exportArchiveToBlob", () => {
  it("gives a Blob with the container's MIME type", async () => {
    const zip = await exportArchiveToBlob(two, { container: "zip", compression: "store" });
    expect(zip.type).toBe("application/zip");
    expect((await openZip(new Uint8Array(await zip.arrayBuffer()))).entries).toHaveLength(2);
    const json = await exportArchiveToBlob(two, { container: "json", subsets: ["train"] });
    expect(json.type).toBe("application/json");
    expect(JSON.parse(await json.text()).annotations).toHaveLength(1);
  });

  it("rejects (does not throw) when the export cannot be planned", async () => {
    await expect(exportArchiveToBlob(two, { container: "json" })).rejects.toMatchObject({
      code: "export_ambiguous",
    });
  });
});

describe("export progress", () => {
  it("reports validate, build, write and compress, each phase's start and end, throttled", async () => {
    // A clock that never moves: the reporter lets through only what starts or ends a phase.
    vi.useFakeTimers({ toFake: ["Date"] });
    const events: ProgressEvent[] = [];
    const n = 2000;
    await bytesOf(exportArchive(many(n), { container: "zip", onProgress: (e) => events.push(e) }));
    const file = "annotations/instances_train.json";
    expect(events).toEqual([
      { phase: "validate", done: 0, total: n, unit: "items" },
      { phase: "validate", done: n, total: n, unit: "items" },
      { phase: "build", done: 0, total: n, unit: "items" },
      { phase: "build", done: n, total: n, unit: "items" },
      { phase: "write", done: 1, total: n, unit: "records", file },
      { phase: "write", done: n, total: n, unit: "records", file },
      { phase: "compress", done: 1, total: 1, unit: "files", file },
    ]);
  });

  it("reports at most about ten events a second on a real clock", async () => {
    const events: ProgressEvent[] = [];
    const started = Date.now();
    await bytesOf(exportArchive(many(3000), { container: "json", onProgress: (e) => events.push(e) }));
    const seconds = (Date.now() - started) / 1000;
    // Start and end of three phases, plus at most ten a second in between.
    expect(events.length).toBeLessThanOrEqual(6 + Math.ceil(seconds * 10));
    expect(new Set(events.map((e) => e.phase))).toEqual(new Set(["validate", "build", "write"]));
  });
});

describe("export abort", () => {
  const abortAt = (phase: ProgressEvent["phase"]) => {
    const controller = new AbortController();
    return {
      signal: controller.signal,
      onProgress: (e: ProgressEvent) => {
        if (e.phase === phase) controller.abort(new Error("stop"));
      },
    };
  };

  it("stops in validate and in build before anything is streamed", () => {
    for (const phase of ["validate", "build"] as const)
      expect(() => exportArchive(many(50), { container: "zip", ...abortAt(phase) })).toThrow(
        expect.objectContaining({ code: "aborted" }),
      );
  });

  it("errors the stream when aborted while writing JSON or compressing the zip", async () => {
    await expect(
      bytesOf(exportArchive(many(5000), { container: "json", ...abortAt("write") })),
    ).rejects.toMatchObject({
      code: "aborted",
    });
    // Two task files: the abort after the first entry stops the archive before the second.
    await expect(
      bytesOf(exportArchive(two, { container: "zip", ...abortAt("compress") })),
    ).rejects.toMatchObject({
      code: "aborted",
    });
  });

  it("stops within 100 ms of the abort, mid-file", async () => {
    const controller = new AbortController();
    const reader = exportArchive(many(60_000), { container: "zip", signal: controller.signal }).getReader();
    await reader.read();
    const aborted = Date.now();
    controller.abort();
    const error = await (async () => {
      try {
        while (!(await reader.read()).done);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: "aborted" });
    // Generous for a loaded machine; without per-chunk checks the whole file (seconds) is written.
    expect(Date.now() - aborted).toBeLessThan(250);
  });
});
