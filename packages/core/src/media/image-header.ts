import { imageSize } from "image-size";
import { readAll, readHead, type TreeFile } from "../layouts/file-tree.js";

// Enough for the size fields of PNG, GIF, BMP, WebP and nearly every JPEG (EXIF comes first and can
// be large; a JPEG whose size marker lies further on is read again whole).
const HEAD_BYTES = 64 * 1024;

/** Reads an image's width and height from its header, reading only the first bytes when they suffice. */
export async function imageHeaderSize(
  file: TreeFile,
  signal?: AbortSignal,
): Promise<{ width: number; height: number } | undefined> {
  const head = await readHead(file, HEAD_BYTES, signal);
  const first = sizeOf(head);
  if (first || head.length < HEAD_BYTES) return first;
  return sizeOf(await readAll(file, signal));
}

function sizeOf(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
