import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ProgressEvent } from "../progress/progress.js";
import { writeZip, type ZipEntrySource } from "./write-zip.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-write-zip-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (s: string) => new TextEncoder().encode(s);
const entry = (path: string, content: string): ZipEntrySource => ({
  path,
  open: async function* () {
    yield text(content);
  },
});

async function writeTo(
  name: string,
  entries: Iterable<ZipEntrySource>,
  compression?: "deflate" | "store",
): Promise<string> {
  const path = join(dir, name);
  await pipeline(
    Readable.from(writeZip(entries, compression ? { compression } : {})),
    createWriteStream(path),
  );
  return path;
}

/** Reads an archive back with Python's zipfile: [name, compress_type, content] per entry, plus the count. */
function pythonZip(path: string, show: number): { count: number; entries: [string, number, string][] } {
  const script = [
    "import sys, json, zipfile",
    "z = zipfile.ZipFile(sys.argv[1])",
    "infos = z.infolist()",
    "bad = z.testzip()",
    "assert bad is None, bad",
    "print(json.dumps({'count': len(infos), 'entries': [[i.filename, i.compress_type, z.read(i).decode()] for i in infos[:int(sys.argv[2])]]}))",
  ].join("\n");
  return JSON.parse(
    execFileSync("python3", ["-c", script, path, String(show)], { encoding: "utf8", maxBuffer: 1 << 26 }),
  );
}

function hasUnzip(): boolean {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("writeZip", () => {
  it("writes deflated entries that Python's zipfile reads back", async () => {
    const path = await writeTo("deflate.zip", [
      entry("annotations/a.json", '{"a":1}'),
      entry("images/x/b.txt", "b".repeat(5000)),
    ]);
    expect(pythonZip(path, 10)).toEqual({
      count: 2,
      entries: [
        ["annotations/a.json", 8, '{"a":1}'],
        ["images/x/b.txt", 8, "b".repeat(5000)],
      ],
    });
  });

  it("stores entries uncompressed with compression 'store', as CVAT's archives do", async () => {
    const path = await writeTo("store.zip", [entry("annotations/a.json", "{}")], "store");
    expect(pythonZip(path, 10).entries).toEqual([["annotations/a.json", 0, "{}"]]);
  });

  it("ends the stream with the error of an entry that fails", async () => {
    const failing: ZipEntrySource = {
      path: "bad",
      open: async function* () {
        yield text("x");
        throw new Error("media unreadable");
      },
    };
    await expect(writeTo("fail.zip", [entry("a", "a"), failing])).rejects.toThrow("media unreadable");
  });

  it("writes more than 65,535 entries (ZIP64) that unzip and Python's zipfile read back", async () => {
    const n = 65_540;
    const entries = function* () {
      for (let i = 0; i < n; i++) yield entry(`images/default/${i}.txt`, String(i));
    };
    const path = await writeTo("many.zip", entries(), "store");
    const read = pythonZip(path, 2);
    expect(read.count).toBe(n);
    expect(read.entries).toEqual([
      ["images/default/0.txt", 0, "0"],
      ["images/default/1.txt", 0, "1"],
    ]);
    // unzip is installed on these machines (apt-get install unzip); Python's zipfile above is the fallback check.
    if (hasUnzip()) {
      const listing = execFileSync("unzip", ["-l", path], { encoding: "utf8", maxBuffer: 1 << 28 });
      expect(listing).toContain(`${n} files`);
      expect(execFileSync("unzip", ["-p", path, "images/default/65539.txt"], { encoding: "utf8" })).toBe(
        "65539",
      );
    }
  }, 300_000);
});

describe("writeZip progress and abort", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const drain = async (chunks: AsyncIterable<Uint8Array>) => {
    for await (const _ of chunks);
  };

  it("reports phase compress per entry, with the entry count as total for an array", async () => {
    vi.useFakeTimers({ toFake: ["Date"] }); // a still clock: only the phase's start and end pass
    const events: ProgressEvent[] = [];
    const entries = [entry("a.json", "{}"), entry("b.json", "{}"), entry("c.json", "{}")];
    await drain(writeZip(entries, { onProgress: (e) => events.push(e) }));
    expect(events).toEqual([
      { phase: "compress", done: 1, total: 3, unit: "files", file: "a.json" },
      { phase: "compress", done: 3, total: 3, unit: "files", file: "c.json" },
    ]);
  });

  it("stops inside a large entry when aborted between its chunks", async () => {
    const controller = new AbortController();
    let produced = 0;
    const big: ZipEntrySource = {
      path: "big.json",
      open: async function* () {
        for (let i = 0; i < 10_000; i++) {
          produced++;
          if (i === 10) controller.abort();
          yield text("x".repeat(1000));
        }
      },
    };
    await expect(drain(writeZip([big], { signal: controller.signal }))).rejects.toMatchObject({
      code: "aborted",
    });
    expect(produced).toBeLessThan(20);
  });

  it("ends the producer when the reader stops early, instead of leaving it blocked", async () => {
    let closed = false;
    const entries = function* () {
      try {
        for (let i = 0; i < 1000; i++) yield entry(`${i}.txt`, "y".repeat(20_000));
      } finally {
        closed = true; // the producer's loop left: it is not waiting on a full pipe forever
      }
    };
    for await (const _ of writeZip(entries(), { compression: "store" })) break;
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 1000 });
  });
});
