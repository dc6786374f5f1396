import type { FileTree, TreeFile } from "../layouts/file-tree.js";
import type { Item, MediaRef } from "../model/types.js";
import { type ProgressOptions, ProgressReporter, throwIfAborted } from "../progress/progress.js";
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
}

/** What `matchMedia` gives: new items (the input is left as it was), the matches, and the issues. */
export interface MatchMediaResult {
  /** The items in the same order; a matched item is a copy with `media` (and sizes) set. */
  items: Item[];
  media: MediaMatchReport;
  /** `missing_image_file` and `ambiguous_image_file` warnings (none when the input holds no image at all). */
  issues: Issue[];
}

/** Options of `matchMedia`. */
export interface MatchMediaOptions extends ProgressOptions {
  /** Folders (tree paths ending in `/`, `` = root) searched for a subset's images, best first. */
  imageDirs: (subset: string) => readonly string[];
  /** Read width and height from image headers for items whose JSON lacks them (default true). */
  readSizes?: boolean;
  /** Reports the `media` phase to this reporter instead of one of its own (one per operation). */
  reporter?: ProgressReporter;
}

// Header reads in flight at once: enough to hide zip/fs latency without flooding memory.
const CONCURRENCY = 8;

/**
 * Finds each item's image file in a tree: by exact relative path under the subset's image folders,
 * then by path without extension, then by base name. Returns new items: a matched one is a copy
 * with `media` (the file's path, its bytes in the tree) and, when the JSON lacks them,
 * `image.width`/`image.height` from the file's header; the input items are not changed.
 * Progress is the `media` phase, counted in items (total = the number of items).
 */
export async function matchMedia(
  items: readonly Item[],
  tree: FileTree,
  options: MatchMediaOptions,
): Promise<MatchMediaResult> {
  const { signal } = options;
  const progress = options.reporter ?? new ProgressReporter(options.onProgress);
  const total = items.length;
  const tick = (done: number) => {
    progress.report({ phase: "media", done, total, unit: "items", file: tree.name });
    throwIfAborted(signal, tree.name);
  };
  tick(0);
  const index = new ImageIndex(tree.files);
  const media: MediaMatchReport = { matched: [], unmatched: [], ambiguous: [], missing: [] };
  const issues: Issue[] = [];
  const used = new Set<string>();
  const out: Item[] = new Array(items.length);
  const sizeless: { at: number; file: TreeFile }[] = [];
  for (let at = 0; at < items.length; at++) {
    const item = items[at] as Item;
    out[at] = item;
    const fileName = item.image.fileName.replaceAll("\\", "/").replace(/^(\.\/)+/, "");
    const dirs = options.imageDirs(item.subset);
    const found = find(index, dirs, fileName);
    const ids = { subset: item.subset, itemId: item.id, fileName: item.image.fileName };
    if (found.files.length === 1 && found.strategy) {
      const file = found.files[0] as TreeFile;
      used.add(file.path);
      out[at] = { ...item, media: mediaRef(file) };
      media.matched.push({ ...ids, path: file.path, strategy: found.strategy });
      if (item.image.width === undefined || item.image.height === undefined) sizeless.push({ at, file });
    } else if (found.files.length > 1) {
      const candidates = found.files.map((f) => f.path);
      media.ambiguous.push({ ...ids, candidates });
      if (index.size > 0) issues.push(issue(item, "ambiguous_image_file", candidates));
    } else {
      media.missing.push(ids);
      if (index.size > 0) issues.push(issue(item, "missing_image_file", dirs));
    }
    // Matching is synchronous: only a listener can abort it, so check after each report.
    if ((at & 1023) === 1023 && progress.active) tick(at + 1 - sizeless.length);
  }
  for (const path of index.byPath.keys()) if (!used.has(path)) media.unmatched.push(path);
  let done = total - sizeless.length;
  tick(done);
  if (options.readSizes !== false && sizeless.length > 0)
    await readSizes(sizeless, out, signal, () => tick(++done));
  else if (sizeless.length > 0) tick(total);
  return { items: out, media, issues };
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

function mediaRef(file: TreeFile): MediaRef {
  return file.size === undefined ? { path: file.path } : { path: file.path, size: file.size };
}

function issue(
  item: Item,
  code: "missing_image_file" | "ambiguous_image_file",
  where: readonly string[],
): Issue {
  const path = item.source ? [item.source.list, item.source.index, "file_name"] : ["images"];
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

// Header reads run a few at a time; each sized item is copied once more (its image too).
async function readSizes(
  work: { at: number; file: TreeFile }[],
  items: Item[],
  signal: AbortSignal | undefined,
  onRead: () => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { at, file } = work[next++] as { at: number; file: TreeFile };
      const size = await imageHeaderSize(file, signal);
      onRead();
      if (!size) continue;
      const item = items[at] as Item;
      const image = { ...item.image };
      image.width ??= size.width;
      image.height ??= size.height;
      items[at] = { ...item, image };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
}
