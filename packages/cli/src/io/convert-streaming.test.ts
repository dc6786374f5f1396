import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openZip, readCocoRecords, recordsZip } from "@cocokit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";
import { convertStreaming, wholeDatasetReason } from "./convert-streaming.js";
import { readDataset, saveDataset } from "./dataset-io.js";

const COCO = fileURLToPath(
  new URL("../../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset/", import.meta.url),
);
const SINGLE = [
  "coco_instances",
  "coco_person_keypoints",
  "coco_captions",
  "coco_labels",
  "coco_stuff",
  "coco_image_info",
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-convert-streaming-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const request = { startedAt: 0, quiet: true, json: false, lenient: false, exportOptions: {} };

/** A zip's entries, by path, as text. */
async function entries(path: string): Promise<Record<string, string>> {
  const zip = await openZip(new Uint8Array(await readFile(path)));
  const out: Record<string, string> = {};
  for (const entry of zip.entries) {
    const parts: Uint8Array[] = [];
    for await (const c of zip.open(entry)) parts.push(c);
    out[entry.path] = Buffer.concat(parts).toString("utf8");
  }
  return out;
}

/** The whole-dataset path of convert: read, then export the Dataset. */
async function whole(input: string, output: string): Promise<void> {
  const { dataset } = await readDataset(input, { quiet: true, lenient: true });
  await saveDataset(dataset, output, { segmentationMode: "guess" });
}

async function jsonFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const name of SINGLE)
    for (const file of await readdir(join(COCO, name, "annotations")))
      if (file.endsWith(".json")) out.push(join(name, "annotations", file));
  return out;
}

const JSON_FILES = await jsonFiles();

describe("convert's streaming path writes what the whole-dataset path writes", () => {
  it.each(JSON_FILES)("%s → .json (bytes) and → .zip (entries)", async (file) => {
    const input = join(COCO, file);
    const tag = file.replace(/\W/g, "_");
    for (const ext of [".json", ".zip"]) {
      const streamed = join(dir, `${tag}-streamed${ext}`);
      const expected = join(dir, `${tag}-whole${ext}`);
      expect(await convertStreaming(input, streamed, request)).toBe(true);
      await whole(input, expected);
      if (ext === ".json") expect(await readFile(streamed, "utf8")).toBe(await readFile(expected, "utf8"));
      else expect(await entries(streamed)).toEqual(await entries(expected));
    }
  });

  it("converts a zip back to .json, and to .zip", async () => {
    const zip = join(dir, "instances-in.zip");
    // A CVAT-style zip of one task file, written by the records writer itself.
    const source = new Uint8Array(
      await readFile(join(COCO, "coco_instances/annotations/instances_train.json")),
    );
    const parts: Uint8Array[] = [];
    for await (const c of recordsZip(readCocoRecords(source, { name: "instances_train.json" })))
      parts.push(c);
    await writeFile(zip, Buffer.concat(parts));
    for (const ext of [".json", ".zip"]) {
      const streamed = join(dir, `from-zip-streamed${ext}`);
      const expected = join(dir, `from-zip-whole${ext}`);
      expect(await convertStreaming(zip, streamed, request)).toBe(true);
      await whole(zip, expected);
      if (ext === ".json") expect(await readFile(streamed, "utf8")).toBe(await readFile(expected, "utf8"));
      else expect(await entries(streamed)).toEqual(await entries(expected));
    }
  });

  it("gives the input back to the whole-dataset path, writing nothing, when it has several files of one subset", async () => {
    const { zipDirectory } = await import("../../../core/test/zip-fixture.js");
    const zip = join(dir, "coco.zip");
    await writeFile(zip, await zipDirectory(join(COCO, "coco")));
    const out = join(dir, "coco-out.zip");
    expect(await convertStreaming(zip, out, request)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});

describe("convert's streaming path gives way", () => {
  it("for a file without images, which the whole-dataset path writes no file for", async () => {
    const input = join(dir, "instances_empty.json");
    await writeFile(
      input,
      JSON.stringify({ images: [], annotations: [], categories: [{ id: 1, name: "a" }] }),
    );
    expect(await convertStreaming(input, join(dir, "empty.zip"), request)).toBe(false);
    expect(existsSync(join(dir, "empty.zip"))).toBe(false);
  });

  it("for annotations without ids, whose new ids need the whole file", async () => {
    const input = join(dir, "captions_noids.json");
    const image = { id: 1, file_name: "a.jpg" };
    await writeFile(
      input,
      JSON.stringify({
        images: [image],
        annotations: [
          { image_id: 1, caption: "a" },
          { image_id: 1, caption: "b" },
        ],
      }),
    );
    expect(await convertStreaming(input, join(dir, "noids.json"), request)).toBe(false);
    await whole(input, join(dir, "noids-whole.json"));
    expect(existsSync(join(dir, "noids.json"))).toBe(false);
  });
});

describe("wholeDatasetReason", () => {
  const json = { name: "a.json", kind: "json" as const };
  it("streams a .json or .zip file to a .json or .zip file without whole-dataset flags", () => {
    expect(wholeDatasetReason(json, "out.zip", {})).toBeUndefined();
    expect(wholeDatasetReason({ name: "a.zip", kind: "zip" }, "out.json", {})).toBeUndefined();
  });
  it.each([
    [{ reindex: true }, "out.zip"],
    [{ saveMedia: true }, "out.zip"],
    [{ images: "imgs/" }, "out.zip"],
    [{ tasks: "instances" }, "out.zip"],
    [{ subsets: "train" }, "out.zip"],
    [{}, "out/"],
    [{}, "-"],
  ])("builds the Dataset for %o → %s", (flags, output) => {
    expect(wholeDatasetReason(json, output, flags)).toBeTypeOf("string");
  });
  it("builds the Dataset for stdin and directories", () => {
    expect(wholeDatasetReason({ name: "<stdin>", kind: "json" }, "out.zip", {})).toBeTypeOf("string");
    expect(wholeDatasetReason({ name: "d", kind: "directory" }, "out.zip", {})).toBeTypeOf("string");
  });
});

describe("cocokit convert on bad input, streamed or not", () => {
  const bad = {
    images: [{ id: 1, file_name: "a.jpg", width: 10, height: 10 }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0 },
      { id: 2, image_id: 9, category_id: 1, bbox: [0, 0, 1, 1], area: 1, iscrowd: 0 },
    ],
    categories: [{ id: 1, name: "a" }],
  };
  it.each([
    ["refuses without --lenient", []],
    ["writes the rest with --lenient", ["--lenient"]],
  ])("%s, with the same messages and exit code", async (_title, extra) => {
    await writeFile(join(dir, "instances_bad.json"), JSON.stringify(bad));
    // --tasks instances writes the same file by the whole-dataset path.
    const streamed = await runCli(["convert", "instances_bad.json", "s.json", ...extra], { cwd: dir });
    const wholeRun = await runCli(
      ["convert", "instances_bad.json", "w.json", "--tasks", "instances", ...extra],
      {
        cwd: dir,
      },
    );
    expect(streamed.code).toBe(wholeRun.code);
    expect(streamed.stderr).toBe(wholeRun.stderr);
    expect(existsSync(join(dir, "s.json"))).toBe(existsSync(join(dir, "w.json")));
    if (existsSync(join(dir, "s.json")))
      expect(await readFile(join(dir, "s.json"), "utf8")).toBe(await readFile(join(dir, "w.json"), "utf8"));
  });
});
