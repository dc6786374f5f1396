import { type FileTree, readAll, type TreeFile } from "../layouts/file-tree.js";
import type { Item } from "../model/types.js";
import { type Issue, toPointer } from "../report/issue.js";
import { imageHeaderSize } from "./image-header.js";
import { baseName, ImageIndex, stripExtension } from "./image-index.js";

/** How an image file was found for an item: same path, same path but another extension, same base name. */
export type MatchStrategy = "exact" | "stem" | "basename";

/** An item and the file found for it. */
export interface MediaMatch {
  subset: string;
  itemId: number;
  fileName: string;
  /** Path of the file in the archive or directory. */
  path: string;
  strategy: MatchStrategy;
}

/** What matching image files to items found; nothing is picked silently. */
export interface MediaMatchReport {
  matched: MediaMatch[];
  /** Image files that no item uses. */
  unmatched: string[];
  /** Items with several equally good files; none was attached. */
  ambiguous: { subset: string; itemId: number; fileName: string; candidates: string[] }[];
  /** Items without a file. */
  missing: { subset: string; itemId: number; fileName: string }[];
  /** `missing_image_file` and `ambiguous_image_file` warnings (none when the input holds no image at all). */
  issues: Issue[];
}

/** Options of `matchMedia`. */
export interface MatchMediaOptions {
  /** Folders (tree paths ending in `/`, `` = root) searched for a subset's images, best first. */
  imageDirs: (subset: string) => readonly string[];
  /** Read width and height from image headers for items whose JSON lacks them (default true). */
  readSizes?: boolean;
  signal?: AbortSignal;
}

// Header reads in flight at once: enough to hide zip/fs latency without flooding memory.
const CONCURRENCY = 8;

/**
 * Finds each item's image file in a tree: by exact relative path under the subset's image folders,
 * then by path without extension, then by base name. Matched items get `item.media` (bytes read on
 * demand) and, when the JSON lacks them, `image.width`/`image.height` from the file's header.
 */
export async function matchMedia(
  items: readonly Item[],
  tree: FileTree,
  options: MatchMediaOptions,
): Promise<MediaMatchReport> {
  const index = new ImageIndex(tree.files);
  const report: MediaMatchReport = { matched: [], unmatched: [], ambiguous: [], missing: [], issues: [] };
  const used = new Set<string>();
  const sizeless: { item: Item; file: TreeFile }[] = [];
  for (const item of items) {
    const fileName = item.image.fileName.replaceAll("\\", "/").replace(/^(\.\/)+/, "");
    const dirs = options.imageDirs(item.subset);
    const found = find(index, dirs, fileName);
    const ids = { subset: item.subset, itemId: item.id, fileName: item.image.fileName };
    if (found.files.length === 1 && found.strategy) {
      const file = found.files[0] as TreeFile;
      used.add(file.path);
      item.media = mediaRef(file);
      report.matched.push({ ...ids, path: file.path, strategy: found.strategy });
      if (item.image.width === undefined || item.image.height === undefined) sizeless.push({ item, file });
    } else if (found.files.length > 1) {
      const candidates = found.files.map((f) => f.path);
      report.ambiguous.push({ ...ids, candidates });
      if (index.size > 0) report.issues.push(issue(item, "ambiguous_image_file", candidates));
    } else {
      report.missing.push(ids);
      if (index.size > 0) report.issues.push(issue(item, "missing_image_file", dirs));
    }
  }
  for (const path of index.byPath.keys()) if (!used.has(path)) report.unmatched.push(path);
  if (options.readSizes !== false) await readSizes(sizeless, options.signal);
  return report;
}

function find(
  index: ImageIndex,
  dirs: readonly string[],
  fileName: string,
): { files: readonly TreeFile[]; strategy?: MatchStrategy } {
  for (const dir of dirs) {
    const file = index.byPath.get(dir + fileName);
    if (file) return { files: [file], strategy: "exact" };
  }
  for (const dir of dirs) {
    const files = index.stem(stripExtension(dir + fileName));
    if (files.length > 0) return { files, strategy: "stem" };
  }
  const all = index.base(baseName(fileName));
  const near = all.filter((f) => dirs.some((dir) => f.path.startsWith(dir)));
  const files = near.length > 0 ? near : all;
  return { files, strategy: "basename" };
}

function mediaRef(file: TreeFile): Item["media"] & object {
  return {
    path: file.path,
    ...(file.size === undefined ? {} : { size: file.size }),
    read: () => readAll(file),
  };
}

function issue(
  item: Item,
  code: "missing_image_file" | "ambiguous_image_file",
  where: readonly string[],
): Issue {
  const path = item.source ? [...pathOf(item.source.pointer), "file_name"] : ["images"];
  const shown = where.map((d) => (d === "" ? "./" : d)).join(", ");
  const found = shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
  const message =
    code === "missing_image_file"
      ? `expected an image file "${item.image.fileName}" for image ${item.id} (${item.subset}) in ${found}, found none`
      : `expected one image file for "${item.image.fileName}" (image ${item.id}, ${item.subset}), found several: ${found}; none was attached`;
  return {
    code,
    severity: "warning",
    message,
    path,
    pointer: toPointer(path),
    ...(item.source ? { file: item.source.file } : {}),
    expected: code === "missing_image_file" ? `a file "${item.image.fileName}"` : "exactly one matching file",
    found: code === "missing_image_file" ? "no file" : found,
  };
}

function pathOf(pointer: string): (string | number)[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

async function readSizes(work: { item: Item; file: TreeFile }[], signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { item, file } = work[next++] as { item: Item; file: TreeFile };
      const size = await imageHeaderSize(file, signal);
      if (!size) continue;
      item.image.width ??= size.width;
      item.image.height ??= size.height;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
}
