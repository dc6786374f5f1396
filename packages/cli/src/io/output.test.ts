import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeAtomically } from "./output.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-output-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const bytes = (text: string) => new TextEncoder().encode(text);

describe("writeAtomically", () => {
  it("writes every chunk to the target", async () => {
    await writeAtomically(join(dir, "out.json"), [bytes('{"a":'), bytes("1}")]);
    expect(await readFile(join(dir, "out.json"), "utf8")).toBe('{"a":1}');
  });

  it("writes a web stream's chunks", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("[1,"));
        controller.enqueue(bytes("2]"));
        controller.close();
      },
    });
    await writeAtomically(join(dir, "stream.json"), stream);
    expect(await readFile(join(dir, "stream.json"), "utf8")).toBe("[1,2]");
  });

  it("leaves neither the target nor a temporary file when the chunks fail midway", async () => {
    async function* failing() {
      yield bytes("partial");
      throw new Error("disk on fire");
    }
    await expect(writeAtomically(join(dir, "out.json"), failing())).rejects.toThrow("disk on fire");
    expect(await readdir(dir)).toEqual([]);
  });

  it("keeps an existing target unchanged when the new write fails", async () => {
    await writeFile(join(dir, "out.json"), "old");
    async function* failing() {
      yield bytes("new");
      throw new Error("stop");
    }
    await expect(writeAtomically(join(dir, "out.json"), failing())).rejects.toThrow("stop");
    expect(await readFile(join(dir, "out.json"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });
});
