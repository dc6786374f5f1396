import { readdir } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { instances, runCli, tempTree } from "./run-cli.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempTree({
    "instances_val.json": instances,
    "truncated.json": JSON.stringify(instances).slice(0, 120),
    "notes.txt": "hello",
    "empty-dir/readme.md": "no annotations here",
  }));
});
afterEach(() => cleanup());

const COMMANDS = ["validate", "convert", "stats", "merge", "split", "filter", "remap", "rle"];

describe("cocokit (program)", () => {
  it.each(COMMANDS)("prints help with an example for %s and exits 0", async (command) => {
    const result = await runCli([command, "--help"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: cocokit ${command}`);
    expect(result.stdout).toContain("Examples:");
  });

  it("lists every command in the top-level help", async () => {
    const result = await runCli(["--help"], { cwd: dir });
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
  });

  it("prints the package version with --version", async () => {
    const result = await runCli(["--version"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ["an unknown command", ["frobnicate"]],
    ["a missing argument", ["stats"]],
    ["an unknown option", ["stats", "instances_val.json", "--nope"]],
  ])("exits 2 with a usage hint for %s", async (_, args) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--help");
  });
});

describe("cocokit stats", () => {
  it("prints counts as JSON for a JSON file, its subset named from the file", async () => {
    const result = await runCli(["stats", "instances_val.json", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats).toMatchObject({
      images: 2,
      annotations: 3,
      crowd: 1,
      imagesWithoutAnnotations: 1,
      subsets: { val: { images: 2, annotations: 3 } },
      areas: { small: 1, medium: 1, large: 1, unknown: 0 },
    });
    expect(stats.categories).toEqual([
      { id: 1, name: "person", annotations: 2, images: 1 },
      { id: 2, name: "car", annotations: 1, images: 1 },
    ]);
  });

  it("prints a readable summary without colour codes when NO_COLOR is set", async () => {
    const result = await runCli(["stats", "instances_val.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("images        2 (1 without annotations)");
    expect(result.stdout).toContain("1 person: 2 / 1");
    expect(result.stdout).not.toContain("\u001b[");
  });

  it.each([["stats"], ["validate"]])("draws no progress bar when stderr is piped (%s)", async (command) => {
    const result = await runCli([command, "instances_val.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("reads JSON from stdin with -", async () => {
    const result = await runCli(["stats", "-", "--json"], { cwd: dir, stdin: JSON.stringify(instances) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).subsets).toEqual({ default: { images: 2, annotations: 3 } });
  });

  it.each([
    ["a missing file", ["stats", "nope.json"], /found nothing at "nope.json"/],
    ["truncated JSON", ["stats", "truncated.json"], /found the end of input/],
    [
      "an unsupported file type",
      ["stats", "notes.txt"],
      /expected a \.json file, a \.zip archive or a directory/,
    ],
    ["empty stdin", ["stats", "-"], /empty input/],
  ])("exits 2 with a one-line reason and no stack trace for %s", async (_, args, message) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^✖ /);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(result.stdout).toBe("");
  });

  it("shows the stack trace of an error only with --debug", async () => {
    const result = await runCli(["stats", "truncated.json", "--debug"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at .+:\d+:\d+/);
  });
});

describe("cocokit rle", () => {
  it("exits 2 for a runs list that does not cover the mask, writing no file", async () => {
    const result = await runCli(["rle", "decode", "[1,2]", "--size", "2,2", "-o", "mask.png"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("expected runs summing to 2×2 = 4 pixels, found 3");
    expect(await readdir(dir)).not.toContain("mask.png");
  });

  it("exits 2 for a --size that is not height,width", async () => {
    const result = await runCli(["rle", "area", "[4]", "--size", "big"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected --size as height,width (such as 480,640), found "big"');
  });
});
