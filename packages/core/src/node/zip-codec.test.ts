import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync, inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeZip } from "../zip/write-zip.js";
import { NodeCompressionStream, useNodeZlib } from "./zip-codec.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-zip-codec-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Several zip.js chunks (256 KB) of JSON-like text.
const big = new TextEncoder().encode(
  JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ id: i, bbox: [i % 97, i % 13, 5.5, 7] }))),
);

async function through(format: string, level?: number): Promise<Buffer> {
  const out: Uint8Array[] = [];
  const stream = new NodeCompressionStream(format, level === undefined ? {} : { level });
  const reader = new Blob([big]).stream().pipeThrough(stream).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) out.push(next.value);
  return Buffer.concat(out);
}

describe("NodeCompressionStream", () => {
  it("compresses as gzip and as raw deflate, at the level asked", async () => {
    expect(gunzipSync(await through("gzip"))).toEqual(Buffer.from(big));
    const fast = await through("deflate-raw", 1);
    const best = await through("deflate-raw", 9);
    expect(inflateRawSync(fast)).toEqual(Buffer.from(big));
    expect(inflateRawSync(best)).toEqual(Buffer.from(big));
    expect(best.length).toBeLessThan(fast.length);
    expect(() => new NodeCompressionStream("deflate")).toThrow(/unsupported format/);
  });

  it("writes zips that zipfile reads with their CRC-32 once zip.js uses it", async () => {
    await useNodeZlib();
    const path = join(dir, "a.zip");
    const entries = [
      {
        path: "big.json",
        open: async function* () {
          for (let i = 0; i < big.length; i += 100_000) yield big.subarray(i, i + 100_000);
        },
      },
      {
        path: "small.txt",
        open: async function* () {
          yield new TextEncoder().encode("hello");
        },
      },
    ];
    await pipeline(Readable.from(writeZip(entries)), createWriteStream(path));
    const script =
      "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.read('big.json')), z.read('small.txt').decode(), z.getinfo('big.json').compress_type)";
    expect(execFileSync("python3", ["-c", script, path], { encoding: "utf8" }).trim()).toBe(
      `${big.length} hello 8`,
    );
  });
});
