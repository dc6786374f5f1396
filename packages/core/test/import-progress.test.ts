// Import and validation report their phases (read, unzip, parse, build, media) through one
// throttled listener, and an abort fired at any phase's progress event stops them within 100 ms.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importPath, validatePath } from "../src/node/import-path.js";
import type { ProgressEvent, ProgressPhase } from "../src/progress/progress.js";
import { importDataset, validateDataset } from "../src/read/import-dataset.js";
import type { ReadDatasetOptions } from "../src/read/read-options.js";
import { ASSETS } from "./fixture-files.js";
import { zipDirectory } from "./zip-fixture.js";

// Every task, panoptic PNGs among them, and images: each phase has work to do.
const DIR = join(ASSETS, "coco_dataset/coco");
const zip = await zipDirectory(DIR);
const scratch = await mkdtemp(join(tmpdir(), "cocokit-import-progress-"));
const zipPath = join(scratch, "coco.zip");
await writeFile(zipPath, zip);
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A one-shot web stream in small chunks, as a fetch body would be: the zip must be buffered (`read`). */
function stream(bytes: Uint8Array, chunk = 4096): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

type Run = (options: ReadDatasetOptions) => Promise<unknown>;
const runs: [string, Run, ProgressPhase[]][] = [
  [
    "importDataset (stream)",
    (o) => importDataset(stream(zip), o),
    ["read", "unzip", "parse", "build", "media"],
  ],
  ["validateDataset (stream)", (o) => validateDataset(stream(zip), o), ["read", "unzip", "parse", "build"]],
  ["importPath (zip)", (o) => importPath(zipPath, o), ["read", "unzip", "parse", "build", "media"]],
  ["importPath (directory)", (o) => importPath(DIR, o), ["parse", "build", "media"]],
  ["validatePath (directory)", (o) => validatePath(DIR, o), ["parse", "build"]],
];

describe.each(runs)("%s", (_, run, phases) => {
  it(`reports the phases ${phases.join(", ")} in order, each ending at its total`, async () => {
    const seen: ProgressEvent[] = [];
    await run({ mode: "lenient", onProgress: (e) => seen.push(e) });
    const order = seen.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1]);
    expect([...new Set(order)]).toEqual(phases);
    for (const phase of phases) {
      const last = seen.filter((e) => e.phase === phase).at(-1);
      if (phase !== "build") expect(last?.done, phase).toBe(last?.total);
    }
    expect(seen.find((e) => e.phase === "unzip")?.unit ?? "files").toBe("files");
    expect(seen.find((e) => e.phase === "parse")?.unit).toBe("bytes");
  });

  for (const phase of phases)
    it(`rejects with aborted within 100 ms of an abort at a ${phase} event`, async () => {
      const stop = new AbortController();
      let abortedAt = 0;
      const run1 = run({
        mode: "lenient",
        signal: stop.signal,
        onProgress: (e) => {
          if (e.phase !== phase || stop.signal.aborted) return;
          abortedAt = performance.now();
          stop.abort();
        },
      });
      await expect(run1).rejects.toMatchObject({ code: "aborted" });
      expect(abortedAt).toBeGreaterThan(0);
      expect(performance.now() - abortedAt).toBeLessThan(100);
    });
});

describe("a file that lists its annotations before their images", () => {
  it("stops reading the waiting annotations within 100 ms of an abort from a timer", async () => {
    const count = 200_000;
    const annotations = Array.from(
      { length: count },
      (_, i) => `{"id":${i + 1},"image_id":1,"category_id":1,"bbox":[1,2,3,4],"area":12,"iscrowd":0}`,
    );
    const text = `{"annotations":[${annotations.join(",")}],"categories":[{"id":1,"name":"a"}],"images":[{"id":1,"file_name":"a.jpg","width":9,"height":9}]}`;
    const bytes = new TextEncoder().encode(text);
    const stop = new AbortController();
    let abortedAt = 0;
    const run = importDataset(bytes, {
      name: "instances_default.json",
      signal: stop.signal,
      onProgress: (e) => {
        // The file is parsed: every annotation now waits for its image, read in one loop.
        if (e.phase === "parse" && e.done === e.total)
          setTimeout(() => {
            abortedAt = performance.now();
            stop.abort();
          }, 0);
      },
    });
    await expect(run).rejects.toMatchObject({ code: "aborted" });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(100);
  });
});
