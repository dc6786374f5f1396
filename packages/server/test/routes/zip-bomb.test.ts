import { crc32, createDeflateRaw } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, importBytes } from "../helpers.js";

const MiB = 1024 * 1024;

/**
 * One deflated entry: `head` then `size - head.length` spaces (legal JSON whitespace, so only a
 * zip limit can stop a reader), deflated as a stream: the test never holds the inflated bytes.
 */
async function deflatedEntry(head: string, size: number): Promise<{ data: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  const first = Buffer.from(head);
  let crc = crc32(first);
  deflate.write(first);
  const spaces = Buffer.alloc(MiB, 0x20);
  for (let left = size - first.length; left > 0; left -= spaces.length) {
    const chunk = left >= spaces.length ? spaces : spaces.subarray(0, left);
    crc = crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await done;
  return { data: Buffer.concat(out), crc };
}

/** A one-entry zip whose headers declare `declared` uncompressed bytes (the truth, or a lie). */
function zipOf(name: string, entry: { data: Buffer; crc: number }, declared: number): Buffer {
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0x21, 12); // 1980-01-01
  local.writeUInt32LE(entry.crc >>> 0, 14);
  local.writeUInt32LE(entry.data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(entry.crc >>> 0, 16);
  central.writeUInt32LE(entry.data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 42); // the local header's offset
  const centralOffset = local.length + fileName.length + entry.data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, entry.data, central, fileName, end]);
}

async function importZip(zip: Buffer) {
  const { app } = await buildTestApp({ workers: 1 });
  const id = await createDataset(app);
  const rss = process.memoryUsage().rss;
  const job = await importBytes(app, id, zip, { filename: "bomb.zip", contentType: "application/zip" });
  const grown = process.memoryUsage().rss - rss;
  const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues` })).json();
  const dataset = (await app.inject({ url: `/api/datasets/${id}` })).json();
  return { job, issues, dataset, grown };
}

describe("POST /api/datasets/{id}/import with a zip bomb", () => {
  it("refuses an entry that inflates 1 GiB from 1 MB (zip_limit_exceeded) without holding it", async () => {
    const entry = await deflatedEntry('{"images":[', 1024 * MiB);
    const zip = zipOf("annotations/instances_default.json", entry, 1024 * MiB);
    expect(zip.length).toBeLessThan(2 * MiB);
    const { job, issues, dataset, grown } = await importZip(zip);
    // The read stops at the limit and reports it: a failed job whose issue is zip_limit_exceeded.
    expect(job).toMatchObject({ status: "failed", error_code: "validation_failed" });
    expect(job.message).toMatch(/compression ratio of at most 200:1.*zip bomb/);
    expect(issues.results).toContainEqual(
      expect.objectContaining({ code: "zip_limit_exceeded", file: "annotations/instances_default.json" }),
    );
    expect(dataset.images_count).toBe(0);
    // Stopped at the ratio limit (200:1, so about 200 MiB of the GiB read through, never held).
    expect(grown).toBeLessThan(256 * MiB);
  });

  it("refuses an entry that inflates past the size its headers declare (a lying zip)", async () => {
    const entry = await deflatedEntry('{"images":[', 64 * MiB);
    const { job, issues, dataset } = await importZip(
      zipOf("annotations/instances_default.json", entry, 1000),
    );
    expect(job).toMatchObject({ status: "failed", error_code: "validation_failed" });
    expect(job.message).toMatch(/declared 1000 bytes.*zip bomb/);
    expect(issues.results).toContainEqual(expect.objectContaining({ code: "zip_limit_exceeded" }));
    expect(dataset.images_count).toBe(0);
  });
});
