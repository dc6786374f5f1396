import { CocokitError } from "../errors.js";
import type { Issue } from "../report/issue.js";
import type { ZipArchive } from "../zip/zip-archive.js";

/** One file of a tree (a zip entry, a file in a directory, or a bare file), read on demand. */
export interface TreeFile {
  /** Path relative to the tree's root, `/`-separated. */
  path: string;
  /** Size in bytes when known without reading. */
  size?: number;
  /** Streams the file's bytes; can be called again for a new read. */
  open(signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Where a dataset's files come from, with every file listed by relative path. */
export interface FileTree {
  container: "file" | "zip" | "directory";
  /** Name of the input (a path, a file name), used in messages. */
  name: string;
  files: readonly TreeFile[];
  /** Entry names refused because they could escape the tree (`../x`, `/x`); never read. */
  unsafe?: readonly string[];
  /**
   * Problems found while listing the tree, reported with the JSON's issues: entries refused
   * (`duplicate_zip_entry`), files that cannot be read or are not followed (`unreadable_file`).
   */
  issues?: readonly Issue[];
}

/** Lists the entries of an opened zip as a file tree. */
export function treeFromZip(zip: ZipArchive, name: string): FileTree {
  return {
    container: "zip",
    name,
    unsafe: zip.unsafe,
    issues: zip.issues,
    files: zip.entries.map((entry) => ({
      path: entry.path,
      size: entry.size,
      open: (signal?: AbortSignal) => zip.open(entry, signal),
    })),
  };
}

/** Reads a whole file into one byte array. */
export async function readAll(file: TreeFile, signal?: AbortSignal): Promise<Uint8Array> {
  return concat(file.open(signal), Number.POSITIVE_INFINITY);
}

/** Reads at most the first `limit` bytes of a file, stopping the read there. */
export function readHead(file: TreeFile, limit: number, signal?: AbortSignal): Promise<Uint8Array> {
  return concat(file.open(signal), limit);
}

async function concat(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= limit) break;
  }
  const out = new Uint8Array(Math.min(length, limit));
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.length, out.length - at);
    out.set(take === part.length ? part : part.subarray(0, take), at);
    at += take;
    if (at === out.length) break;
  }
  return out;
}

/** Throws when a one-shot stream is opened a second time. */
export function onceOnly(chunks: AsyncIterable<Uint8Array>, name: string): () => AsyncIterable<Uint8Array> {
  let used = false;
  return () => {
    if (used)
      throw new CocokitError(
        "unsupported_input",
        `expected to read "${name}" once, found a second read of a one-shot stream; pass bytes or a Blob to read it twice`,
        { file: name },
      );
    used = true;
    return chunks;
  };
}
