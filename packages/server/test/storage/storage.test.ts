import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FolderStorage } from "../../src/storage/folder-storage.js";
import { openStorage } from "../../src/storage/open-storage.js";
import type { Storage } from "../../src/storage/storage.js";
import { tempDataDir } from "../helpers.js";
import { freshStorage, keysUnder } from "./s3-test-bucket.js";

async function bytesOf(stream: Readable): Promise<Buffer> {
  return Buffer.concat(await stream.toArray());
}

type Opened = { storage: Storage; keys: () => Promise<string[]> };

function inFolder(dataDir: string): Opened {
  const storage = new FolderStorage(dataDir);
  return { storage, keys: async () => (await storage.list("")).sort() };
}

function inS3(dataDir: string): Opened {
  const { url, prefix, endpoint } = freshStorage();
  return { storage: openStorage(url, dataDir), keys: () => keysUnder(endpoint, prefix) };
}

const kinds: [string, (dataDir: string) => Opened][] = [
  ["the data folder", inFolder],
  ["S3 (s3rver)", inS3],
];

describe.each(kinds)("Storage in %s", (_name, open) => {
  it("moves a local file in (multipart when big), reads it whole and by range, stats, lists, deletes", async () => {
    const data = await tempDataDir();
    const { storage, keys } = open(data);
    // 17 MiB: three parts of 8 MiB for S3.
    const bytes = randomBytes(17 * 1024 * 1024);
    const local = storage.staging("results/job-1.zip");
    await writeFile(join(data, "source.bin"), bytes);
    await storage.putFile("results/job-1.zip", join(data, "source.bin"));
    // Where a job writes it: the key's own name (core picks what to write by its extension).
    expect(basename(local)).toBe("job-1.zip");
    expect(local.startsWith(join(data, "results"))).toBe(true);
    const ref = storage.ref("results/job-1.zip");
    expect(await storage.stat(ref)).toEqual({ size: bytes.length });
    expect((await bytesOf(await storage.get(ref))).equals(bytes)).toBe(true);
    const part = await bytesOf(await storage.get(ref, { start: 9_000_000, end: 9_000_099 }));
    expect(part.equals(bytes.subarray(9_000_000, 9_000_100))).toBe(true);
    await storage.putStream("media/3/1-2.png", Readable.from([Buffer.from("png")]));
    await storage.putStream("media/3/2-2.png", Readable.from([Buffer.from("png2")]));
    expect((await storage.list("media/3/")).sort()).toEqual(["media/3/1-2.png", "media/3/2-2.png"]);
    expect(await keys()).toEqual(["media/3/1-2.png", "media/3/2-2.png", "results/job-1.zip"]);
    const copy = await storage.toLocal("media/3/2-2.png");
    expect(copy.startsWith(data)).toBe(true);
    await storage.deletePrefix("media/3/");
    await storage.delete(ref);
    await storage.delete(ref); // already gone: no error
    expect(await storage.stat(ref)).toBeUndefined();
    expect(await keys()).toEqual([]);
    await expect(storage.get("results/none.zip")).rejects.toThrow();
    storage.close();
  });

  it("stores nothing from a stream that fails or is aborted midway", async () => {
    const data = await tempDataDir();
    const { storage, keys } = open(data);
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(9 * 1024 * 1024);
        throw new Error("the source broke");
      })(),
    );
    await expect(storage.putStream("results/job-2.zip", failing)).rejects.toThrow();
    const controller = new AbortController();
    const aborted = Readable.from(
      (async function* () {
        yield randomBytes(9 * 1024 * 1024);
        controller.abort();
        yield randomBytes(1024);
      })(),
    );
    await expect(
      storage.putStream("results/job-3.zip", aborted, { signal: controller.signal }),
    ).rejects.toThrow();
    expect(await keys()).toEqual([]);
    storage.close();
  });
});

describe("FolderStorage over a relative --data", () => {
  it("gives refs that resolve to the same file (pnpm start uses ./cocokit-data)", async () => {
    const dataDir = await tempDataDir();
    const storage = new FolderStorage(relative(process.cwd(), dataDir));
    const source = join(dataDir, "source.json");
    await writeFile(source, "{}");
    await storage.putFile("uploads/a/source.json", source);
    const ref = storage.ref("uploads/a/source.json");
    expect(ref).toBe(join(dataDir, "uploads/a/source.json"));
    expect(await readFile(await storage.toLocal(ref))).toEqual(Buffer.from("{}"));
  });
});

describe("S3Storage presign", () => {
  it("gives a URL that downloads the object's bytes without credentials", async () => {
    const { storage } = inS3(await tempDataDir());
    const bytes = randomBytes(1000);
    await storage.putStream("results/job-4.zip", Readable.from([bytes]));
    const url = await storage.presign("results/job-4.zip", { expiresIn: 60, filename: "x.zip" });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="x.zip"');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    storage.close();
  });

  it("the data folder has none", async () => {
    await expect(new FolderStorage(await tempDataDir()).presign()).rejects.toThrow(/--storage s3/);
  });
});
