import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ApiError } from "../errors.js";

/** The content types an upload may have, and the extension its file gets. */
export const UPLOAD_TYPES: Record<string, ".json" | ".zip"> = {
  "application/json": ".json",
  "application/zip": ".zip",
  "application/x-zip-compressed": ".zip",
};

/** Where uploads wait for their job, inside the data folder. */
export function uploadsDir(dataDir: string): string {
  return join(dataDir, "uploads");
}

/** A file name safe to put on disk, ending with the upload type's extension (core picks the reader by it). */
export function uploadName(given: string | undefined, contentType: string): string {
  const extension = UPLOAD_TYPES[contentType] ?? ".json";
  const base =
    basename((given ?? `dataset${extension}`).replaceAll("\\", "/"))
      .replace(/[^\w.-]/g, "_")
      .replace(/^\.+/, "") || "dataset";
  return base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`;
}

/** Throws 413 when a declared Content-Length is over the limit, before anything is read. */
export function checkDeclaredLength(header: string | undefined, maxBytes: number): void {
  if (header === undefined) return;
  const length = Number(header);
  if (Number.isFinite(length) && length > maxBytes)
    throw new ApiError(
      "UPLOAD_TOO_LARGE",
      `expected an upload of at most ${maxBytes} bytes, found Content-Length ${length}`,
    );
}

/**
 * Streams a request body to `uploads/<random>/<name>`, never holding it in memory, and stops with
 * 413 as soon as more than `maxBytes` arrived (a body without Content-Length, or one that lies).
 * A failed upload leaves no file behind.
 */
export async function receiveUpload(
  body: NodeJS.ReadableStream,
  dataDir: string,
  name: string,
  maxBytes: number,
): Promise<{ path: string; bytes: number }> {
  const dir = join(uploadsDir(dataDir), randomBytes(8).toString("hex"));
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        callback(
          new ApiError("UPLOAD_TOO_LARGE", `expected an upload of at most ${maxBytes} bytes, found more`),
        );
      else callback(null, chunk);
    },
  });
  // The body is piped, not put in the pipeline: an oversize upload must not destroy the request
  // (that would reset the socket before the client reads the 413), only stop reading it.
  body.once("error", (error) => limit.destroy(error));
  body.pipe(limit);
  try {
    await pipeline(limit, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  if (bytes === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new ApiError("EMPTY_BODY", "expected the file as the request body, found an empty body");
  }
  return { path, bytes };
}

/**
 * Removes what a stopped server left behind: upload folders no queued job will read,
 * half-written temporary results (`.…tmp`), and images a media job was staging for S3
 * (`media/<dataset>/….staged.tmp`). Returns how many entries were removed.
 */
export async function removeLeftovers(
  dataDir: string,
  keepUploads: readonly string[],
  resultsDir: string,
): Promise<number> {
  const keep = new Set(keepUploads.map((path) => relative(uploadsDir(dataDir), path).split(/[\\/]/)[0]));
  let removed = 0;
  for (const name of await readdir(uploadsDir(dataDir)).catch(() => [] as string[]))
    if (!keep.has(name)) {
      await rm(join(uploadsDir(dataDir), name), { recursive: true, force: true });
      removed++;
    }
  for (const name of await readdir(resultsDir).catch(() => [] as string[]))
    if (name.endsWith(".tmp")) {
      await rm(join(resultsDir, name), { recursive: true, force: true });
      removed++;
    }
  const media = join(dataDir, "media");
  for (const dataset of await readdir(media).catch(() => [] as string[]))
    for (const name of await readdir(join(media, dataset)).catch(() => [] as string[]))
      if (name.endsWith(".staged.tmp")) {
        await rm(join(media, dataset, name), { recursive: true, force: true });
        removed++;
      }
  return removed;
}
