// End-to-end tests through the built binary: every input kind (json, zip, directory, stdin),
// hostile inputs, media attachment, and that failures leave no partial output.
import { cp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instances, runCli, tempTree } from "./run-cli.js";

const EXAMPLE = fileURLToPath(new URL("../examples/tiny-coco", import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempTree({
    "instances_val.json": instances,
    "truncated.json": JSON.stringify(instances).slice(0, 120),
    "empty-dir/readme.md": "no annotations here",
  }));
  await cp(EXAMPLE, join(dir, "tiny"), { recursive: true });
});
afterEach(() => cleanup());

async function zipOf(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: "uint8array" });
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("commands on each kind of input", () => {
  it("validates the example directory (CVAT/Datumaro layout) with exit 0", async () => {
    const result = await runCli(["validate", "tiny"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("converts a directory to a zip that validates and holds images/<subset>/ and annotations/", async () => {
    const out = await runCli(["convert", "tiny", "tiny.zip", "--save-media"], { cwd: dir });
    expect(out.code).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(join(dir, "tiny.zip")));
    const names = Object.keys(zip.files).filter((n) => !n.endsWith("/"));
    expect(names).toEqual(
      expect.arrayContaining([
        "annotations/instances_train.json",
        "annotations/instances_val.json",
        "images/train/000001.png",
        "images/val/000003.png",
      ]),
    );
    const check = await runCli(["validate", "tiny.zip"], { cwd: dir });
    expect(check.code).toBe(0);
  });

  it("prints stats of a zip and of a directory that agree", async () => {
    await runCli(["convert", "tiny", "tiny.zip"], { cwd: dir });
    const fromDir = JSON.parse((await runCli(["stats", "tiny", "--json"], { cwd: dir })).stdout);
    const fromZip = JSON.parse((await runCli(["stats", "tiny.zip", "--json"], { cwd: dir })).stdout);
    expect(fromDir.images).toBeGreaterThan(0);
    expect(fromZip).toEqual(fromDir);
  });

  it("reads JSON from stdin and writes JSON to stdout (convert - -)", async () => {
    const result = await runCli(["convert", "-", "-"], { cwd: dir, stdin: JSON.stringify(instances) });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.images.map((i: { id: number }) => i.id)).toEqual(instances.images.map((i) => i.id));
    expect(doc.annotations.map((a: { id: number }) => a.id)).toEqual(instances.annotations.map((a) => a.id));
  });
});

describe("bad and hostile inputs", () => {
  it.each([
    [["validate", "missing.json"], /found nothing/, "missing.json"],
    [["convert", "missing.json", "out.zip"], /found nothing/, "missing.json"],
    [["stats", "missing.zip"], /found nothing/, "missing.zip"],
    [["validate", "empty-dir"], /annotation/i, "empty-dir"],
    [["convert", "empty-dir", "out.json"], /annotation/i, "empty-dir"],
    [["validate", "truncated.json"], /truncated|end of/i, "truncated.json"],
    [["convert", "truncated.json", "out.json"], /truncated|end of/i, "truncated.json"],
  ])("%j exits 2 with a short message and no stack trace", async (args, words, file) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    const text = `${result.stdout}\n${result.stderr}`;
    expect(text).toMatch(words);
    expect(text).toContain(file);
    expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(await readdir(dir)).not.toContain("out.json");
    expect(await readdir(dir)).not.toContain("out.zip");
  });

  it("refuses a zip entry named ../x: reported, never extracted, and no output written", async () => {
    const evil = await zipOf({
      "annotations/instances_default.json": JSON.stringify(instances),
      "../evil.txt": "owned",
    });
    await writeFile(join(dir, "evil.zip"), evil);
    const validate = await runCli(["validate", "evil.zip", "--json"], { cwd: dir });
    expect(validate.code).not.toBe(0);
    const report = JSON.parse(validate.stdout);
    expect(report.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "unsafe_zip_entry", file: "../evil.txt" })]),
    );
    const convert = await runCli(["convert", "evil.zip", "out"], { cwd: dir });
    expect(convert.code).not.toBe(0);
    expect(await exists(join(dir, "..", "evil.txt"))).toBe(false);
    expect(await exists(join(dir, "out"))).toBe(false);
  });

  it("refuses a multi-subset dataset into one .json (exit 2, no file) until --subsets picks one", async () => {
    const refused = await runCli(["convert", "tiny", "one.json"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/one task file/);
    expect(await exists(join(dir, "one.json"))).toBe(false);
    const picked = await runCli(["convert", "tiny", "one.json", "--subsets", "val"], { cwd: dir });
    expect(picked.code).toBe(0);
    const json = JSON.parse(await readFile(join(dir, "one.json"), "utf8"));
    const source = JSON.parse(await readFile(join(EXAMPLE, "annotations", "instances_val.json"), "utf8"));
    expect(json.images.map((i: { id: number }) => i.id)).toEqual(
      source.images.map((i: { id: number }) => i.id),
    );
  });

  it("leaves an existing output file unchanged when the conversion fails", async () => {
    await writeFile(join(dir, "keep.json"), "precious");
    const result = await runCli(["convert", "truncated.json", "keep.json"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(await readFile(join(dir, "keep.json"), "utf8")).toBe("precious");
    expect((await readdir(dir)).filter((n) => n.includes("keep"))).toEqual(["keep.json"]);
  });
});

describe("cocokit convert --images", () => {
  it("--dry-run prints matched, missing and unused files and writes nothing", async () => {
    const result = await runCli(
      ["convert", "tiny/annotations/instances_val.json", "--images", "tiny/images/train", "--dry-run"],
      { cwd: dir },
    );
    // The val annotations name val images; the train folder has none of them.
    expect(result.stdout).toMatch(/0 matched, 2 missing, 0 ambiguous, 2 unused/);
    expect(result.stdout).toContain("missing (no image file):");
    expect(result.code).toBe(1);
    const good = await runCli(
      ["convert", "tiny/annotations/instances_val.json", "--images", "tiny/images/val", "--dry-run"],
      { cwd: dir },
    );
    expect(good.stdout).toMatch(/2 matched, 0 missing, 0 ambiguous, 0 unused/);
    expect(good.code).toBe(0);
    expect(await readdir(dir)).not.toContain("out.zip");
  });

  it("attaches images from a folder into a CVAT-style archive", async () => {
    const result = await runCli(
      ["convert", "tiny/annotations/instances_val.json", "val.zip", "--images", "tiny/images/val"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(join(dir, "val.zip")));
    const images = Object.keys(zip.files).filter((n) => n.startsWith("images/") && !n.endsWith("/"));
    expect(images.sort()).toEqual(["images/val/000003.png", "images/val/000004.png"]);
  });

  it("exits 2 for --dry-run without --images", async () => {
    const result = await runCli(["convert", "instances_val.json", "--dry-run"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--images");
  });
});

describe("help", () => {
  it.each([
    "validate",
    "convert",
    "stats",
    "merge",
    "split",
    "filter",
    "remap",
    "rle",
  ])("cocokit %s --help describes the command with an example", async (name) => {
    const result = await runCli([name, "--help"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: cocokit ${name}`);
    expect(result.stdout).toContain("$ cocokit");
  });
});
