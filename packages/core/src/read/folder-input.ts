/**
 * A folder opened in a browser (a directory picker's files, or a dropped folder's entries) as an
 * input of `importDataset`: its files by relative path, read on demand. Browser-safe.
 */

import { chunksOf } from "../json/chunks-of.js";
import type { FileTree, TreeFile } from "../layouts/file-tree.js";
import { isUnsafeEntryName } from "../zip/zip-archive.js";

/** A folder's files, each a Blob (a `File`) at a `/`-separated path relative to the folder. */
export interface FolderInput {
  kind: "folder";
  /** The folder's name, used in messages and as the dataset's name. */
  name: string;
  files: readonly { path: string; blob: Blob }[];
}

/** True for a `FolderInput` (any other input is bytes or a stream). */
export function isFolderInput(input: unknown): input is FolderInput {
  return (
    typeof input === "object" &&
    input !== null &&
    (input as { kind?: unknown }).kind === "folder" &&
    Array.isArray((input as { files?: unknown }).files)
  );
}

/**
 * The folder of a directory picker's files (`<input type="file" webkitdirectory>`): each file's
 * `webkitRelativePath` without its first segment, which names the folder itself.
 * @example
 * input.onchange = () => importDataset(folderInput(input.files!), { mode: "lenient" });
 */
export function folderInput(files: Iterable<File> | ArrayLike<File>, name?: string): FolderInput {
  const list = Array.from(files as ArrayLike<File>);
  const relative = list.map((file) => (file.webkitRelativePath || file.name).replace(/\\/g, "/"));
  const roots = new Set(relative.map((path) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : "")));
  // One common top folder is the picked folder; strip it so paths start inside it.
  const root = roots.size === 1 ? [...roots][0]! : "";
  return {
    kind: "folder",
    name: name ?? (root || "folder"),
    files: list.map((blob, i) => ({ path: root ? relative[i]!.slice(root.length + 1) : relative[i]!, blob })),
  };
}

/** The folder as a file tree; unsafe paths (`../x`, `/x`) are listed as refused, never read. */
export function folderTree(folder: FolderInput): FileTree {
  const unsafe: string[] = [];
  const files: TreeFile[] = [];
  for (const { path, blob } of folder.files) {
    if (isUnsafeEntryName(path)) {
      unsafe.push(path);
      continue;
    }
    files.push({ path, size: blob.size, open: () => chunksOf(blob) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { container: "directory", name: folder.name, files, unsafe };
}
