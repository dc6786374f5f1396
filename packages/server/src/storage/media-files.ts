import { open } from "node:fs/promises";
import { extname, posix } from "node:path";
import type { MediaFiles } from "@cocokit/core";
import type { Storage } from "./storage.js";

/** The content type of each image extension the server stores. */
const TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".jpe": "image/jpeg",
  ".jfif": "image/jpeg",
  ".png": "image/png",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".webp": "image/webp",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".avif": "image/avif",
  ".heic": "image/heic",
  ".heif": "image/heif",
};

// Signatures at the start of an image file; they win over the extension.
const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "image/png"],
  [[0xff, 0xd8, 0xff], "image/jpeg"],
  [[0x47, 0x49, 0x46, 0x38], "image/gif"],
  [[0x42, 0x4d], "image/bmp"],
  [[0x49, 0x49, 0x2a, 0x00], "image/tiff"],
  [[0x4d, 0x4d, 0x00, 0x2a], "image/tiff"],
];

/** Where a dataset's attached images live: a storage key prefix (`media/3`), "/"-separated. */
export function mediaDir(datasetId: number): string {
  return posix.join("media", String(datasetId));
}

/**
 * The stored name of an item's image: its row and the job that attached it (a new job never
 * overwrites a file a committed row points at), with the source's extension when it is an image's.
 */
export function mediaPath(datasetId: number, imageRow: number, jobId: number, source: string): string {
  const extension = extname(source).toLowerCase();
  return posix.join(mediaDir(datasetId), `${imageRow}-${jobId}${TYPES[extension] ? extension : ""}`);
}

/**
 * An image's content type: from its first bytes when they are a known image header (a PNG named
 * `.jpg` is served as a PNG), else from its extension; octet-stream when neither says.
 */
export async function imageContentType(source: string, file: string): Promise<string> {
  const head = Buffer.alloc(12);
  const handle = await open(file, "r");
  try {
    await handle.read(head, 0, 12, 0);
  } finally {
    await handle.close();
  }
  for (const [bytes, type] of MAGIC) if (bytes.every((b, i) => head[i] === b)) return type;
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP")
    return "image/webp";
  return TYPES[extname(source).toLowerCase()] ?? "application/octet-stream";
}

/** Attached images read from storage by their stored path, for export's `saveMedia`. */
export function storedMediaFiles(storage: Storage): MediaFiles {
  const inside = (path: string) => path.startsWith(`media${"/"}`) || path.startsWith("media\\");
  return {
    has: (path) => inside(path),
    read: async (path) => new Uint8Array(Buffer.concat(await (await storage.get(path)).toArray())),
  };
}
