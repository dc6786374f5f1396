import { createReadStream } from "node:fs";
import { opendir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { FileTree, TreeFile } from "../layouts/file-tree.js";

/** A file on disk as a tree file: streamed from the file system on each open. */
export function diskFile(absolute: string, path: string, size?: number): TreeFile {
  return {
    path,
    ...(size === undefined ? {} : { size }),
    open: (signal?: AbortSignal) =>
      createReadStream(absolute, {
        highWaterMark: 1 << 20,
        ...(signal ? { signal } : {}),
      }) as AsyncIterable<Uint8Array>,
  };
}

/**
 * Lists every file under a directory (recursively, symlinks not followed) as a tree with
 * `/`-separated relative paths. JSON files get their size so progress can show a total.
 */
export async function directoryTree(root: string, name = root): Promise<FileTree> {
  const files: TreeFile[] = [];
  await walk(root, root, files);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { container: "directory", name, files };
}

async function walk(root: string, dir: string, out: TreeFile[]): Promise<void> {
  for await (const entry of await opendir(dir)) {
    const absolute = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, absolute, out);
    else if (entry.isFile()) {
      const path = relative(root, absolute).split(sep).join("/");
      const size = path.toLowerCase().endsWith(".json") ? (await stat(absolute)).size : undefined;
      out.push(diskFile(absolute, path, size));
    }
  }
}
