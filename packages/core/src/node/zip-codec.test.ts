import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { deflateRawSync, gunzipSync, inflateRawSync, crc32 as zlibCrc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCocokitError } from "../errors.js";
import { crc32, useNativeCrc32 } from "../zip/crc32.js";
import { openZip } from "../zip/read-zip.js";
import { writeZip } from "../zip/write-zip.js";
import { BLOCK_SIZE, NodeCompressionStream, NodeDecompressionStream, useNodeZlib } from "./zip-codec.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-zip-codec-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Several zip.js chunks (256 KB) of JSON-like text.
const big = new TextEncoder().encode(
  JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ id: i, bbox: [i % 97, i % 13, 5.5, 7] }))),
);

// Byte for byte, without vitest's element-by-element deep equality (seconds for megabytes).
function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(expected)).toBe(true);
}

// The bytes of `input` through a stream, written in chunks of `chunk` bytes.
async function piped(
  stream: { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> },
  input: Uint8Array,
  chunk = 100_000,
): Promise<Buffer> {
  const writing = (async () => {
    const writer = stream.writable.getWriter();
    for (let i = 0; i < input.length; i += chunk) await writer.write(input.slice(i, i + chunk));
    await writer.close();
  })();
  const out: Uint8Array[] = [];
  const reader = stream.readable.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) out.push(next.value);
  await writing;
  return Buffer.concat(out);
}

function through(format: string, level?: number, input: Uint8Array = big, chunk?: number): Promise<Buffer> {
  return piped(new NodeCompressionStream(format, level === undefined ? {} : { level }), input, chunk);
}

describe("NodeCompressionStream", () => {
  it("compresses as gzip and as raw deflate, at the level asked", async () => {
    expectSame(gunzipSync(await through("gzip")), Buffer.from(big));
    const fast = await through("deflate-raw", 1);
    const best = await through("deflate-raw", 9);
    expectSame(inflateRawSync(fast), Buffer.from(big));
    expectSame(inflateRawSync(best), Buffer.from(big));
    expect(best.length).toBeLessThan(fast.length);
    expect(() => new NodeCompressionStream("deflate")).toThrow(/unsupported format/);
  });

  it("deflates blocks in parallel into one stream whatever the input's size", async () => {
    expect(big.length).toBeGreaterThan(2 * BLOCK_SIZE);
    const sizes = [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 2 * BLOCK_SIZE, big.length];
    for (const size of sizes) {
      const input = big.subarray(0, size);
      expectSame(inflateRawSync(await through("deflate-raw", 6, input)), Buffer.from(input));
      const gzip = await through("gzip", 6, input);
      expectSame(gunzipSync(gzip), Buffer.from(input));
      // zip.js takes the entry's CRC-32 and size from the trailer.
      expect(gzip.readUInt32LE(gzip.length - 8)).toBe(zlibCrc32(input));
      expect(gzip.readUInt32LE(gzip.length - 4)).toBe(size);
    }
  });

  it("gives the same bytes however the input is chunked and however many blocks run at once", async () => {
    const reference = await through("deflate-raw", 6, big, 100_000);
    for (const chunk of [10_000, 65_536, BLOCK_SIZE, 3 * BLOCK_SIZE])
      expectSame(await through("deflate-raw", 6, big, chunk), reference);
    for (const parallelism of [1, 2, 8])
      expectSame(await piped(new NodeCompressionStream("deflate-raw", { parallelism }), big), reference);
  });

  it("primes each block with the one before, so repeats across blocks still compress", async () => {
    // A random 20 KB pattern over and over: without the previous block as dictionary, every block
    // would pay for the pattern's literals again.
    const pattern = randomBytes(20_000);
    const input = new Uint8Array(4 * BLOCK_SIZE);
    for (let i = 0; i < input.length; i += pattern.length)
      input.set(pattern.subarray(0, input.length - i), i);
    const single = deflateRawSync(input).length;
    const parallel = await through("deflate-raw", 6, input);
    expectSame(inflateRawSync(parallel), Buffer.from(input));
    expect(parallel.length).toBeLessThan(single + 1000);
  });

  it("inflates raw deflate in large chunks", async () => {
    const inflated = await piped(new NodeDecompressionStream("deflate-raw"), deflateRawSync(big));
    expectSame(inflated, Buffer.from(big));
    expect(() => new NodeDecompressionStream("gzip")).toThrow(/unsupported format/);
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

describe("NodeDecompressionStream in zip.js", () => {
  // A zip of `big` whose deflated bytes are damaged in the middle.
  async function damagedZip(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const chunk of writeZip([
      {
        path: "big.json",
        open: async function* () {
          yield big;
        },
      },
    ]))
      parts.push(chunk);
    const bytes = new Uint8Array(Buffer.concat(parts));
    const data = 30 + "big.json".length;
    for (let i = 0; i < 64; i++) bytes[data + 5000 + i] = 0xff;
    return bytes;
  }

  async function failure(bytes: Uint8Array): Promise<unknown> {
    // A Blob is read by zip.js, by range: the path of large archives.
    const zip = await openZip(new Blob([bytes as BlobPart]));
    const entry = zip.entries[0];
    if (!entry) throw new Error("no entry");
    try {
      for await (const _ of zip.open(entry)) {
        // drain
      }
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it("fails a damaged entry as the web stream does: a located CocokitError", async () => {
    const bytes = await damagedZip();
    const { configure } = await import("@zip.js/zip.js");
    configure({ DecompressionStream, DecompressionStreamFallback: DecompressionStream as never });
    const web = await failure(bytes);
    await useNodeZlib();
    const node = await failure(bytes);
    expect(isCocokitError(web)).toBe(true);
    expect(isCocokitError(node)).toBe(true);
    expect({ code: (node as { code: string }).code, file: (node as { file?: string }).file }).toEqual({
      code: (web as { code: string }).code,
      file: (web as { file?: string }).file,
    });
  });
});

describe("useNodeZlib's CRC-32", () => {
  it("makes crc32 zlib's, with the same values across any split into chunks", async () => {
    const calls: number[] = [];
    useNativeCrc32((bytes, previous) => {
      calls.push(bytes.length);
      return zlibCrc32(bytes, previous);
    });
    const bytes = randomBytes(70_000);
    const split = crc32(bytes.subarray(1000), crc32(bytes.subarray(0, 1000)));
    expect(calls).toEqual([1000, 69_000]);
    expect(split).toBe(jsCrc32(bytes));
    useNativeCrc32(undefined);
    await useNodeZlib();
    expect(crc32(bytes.subarray(5), crc32(bytes.subarray(0, 5)))).toBe(jsCrc32(bytes));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

// The table loop, with no native CRC installed.
function jsCrc32(bytes: Uint8Array): number {
  useNativeCrc32(undefined);
  try {
    return crc32(bytes);
  } finally {
    useNativeCrc32(zlibCrc32);
  }
}
