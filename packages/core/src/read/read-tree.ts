import { CocokitError } from "../errors.js";
import { importFiles, validateFiles } from "../import/import-files.js";
import type { CocoFileSource, ImportOptions } from "../import/import-options.js";
import { detectLayout, type Layout } from "../layouts/detect-layout.js";
import type { FileTree } from "../layouts/file-tree.js";
import { matchMedia } from "../media/match-media.js";
import { panopticPngReader } from "../panoptic/panoptic-pngs.js";
import type { Issue } from "../report/issue.js";
import type { Report } from "../report/report.js";
import { throwIfAborted } from "../zip/zip-archive.js";
import { guardReads } from "./guard-reads.js";
import { mergeReports } from "./merge-reports.js";
import type { ImportResult, LayoutInfo, ReadDatasetOptions, ValidationResult } from "./read-options.js";

/** Reads every annotation file of a tree (zip, directory or single file) into one Dataset. */
export async function importTree(tree: FileTree, options: ReadDatasetOptions = {}): Promise<ImportResult> {
  const layout = detectLayout(tree);
  const readPanopticPng = panopticPngReader(tree, layout.files, options.signal);
  // The JSON pass runs lenient so archive and image issues join its report before strictness is judged.
  const { dataset, report } = await importFiles(sourcesOf(layout), {
    ...jsonOptions(layout, options),
    mode: "lenient",
    ...(readPanopticPng ? { readPanopticPng } : {}),
  });
  // The last progress call comes after the last chunk; an abort fired there must still stop the read.
  throwIfAborted(options.signal, tree.name);
  let media: ImportResult["media"];
  let mediaIssues: readonly Issue[] = [];
  if (options.media !== false && tree.container !== "file") {
    // An image that cannot be read while its size is looked up is reported, not fatal; reads
    // after the import (item.media.read()) throw as usual.
    const guarded = guardReads(tree);
    media = await matchMedia(dataset.items, guarded.tree, {
      imageDirs: imageDirsOf(layout),
      ...(options.readImageSizes === false ? { readSizes: false } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    guarded.release();
    mediaIssues = [...media.issues, ...guarded.issues];
  }
  const merged = mergeReports(report, treeIssues(tree), mediaIssues, options.maxIssues);
  throwIfStrict(merged, options);
  return { dataset, report: merged, layout: layoutInfo(layout, tree), ...(media ? { media } : {}) };
}

/** Validates every annotation file of a tree without building the model. */
export async function validateTree(
  tree: FileTree,
  options: ReadDatasetOptions = {},
): Promise<ValidationResult> {
  const layout = detectLayout(tree);
  const readPanopticPng = panopticPngReader(tree, layout.files, options.signal);
  const report = await validateFiles(sourcesOf(layout), {
    ...jsonOptions(layout, options),
    mode: "lenient",
    ...(readPanopticPng ? { readPanopticPng } : {}),
  });
  throwIfAborted(options.signal, tree.name);
  return {
    ...mergeReports(report, treeIssues(tree), [], options.maxIssues),
    layout: layoutInfo(layout, tree),
  };
}

export function sourcesOf(layout: Layout): CocoFileSource[] {
  return layout.files.map(({ file, task, subset }) => ({
    name: file.path,
    ...(task ? { task } : {}),
    subset,
    open: () => file.open(),
    ...(file.size === undefined ? {} : { size: file.size }),
  }));
}

// Progress over all files: bytes and records of finished files plus the current one.
function jsonOptions(layout: Layout, options: ReadDatasetOptions): ImportOptions {
  const { onProgress } = options;
  const out: ImportOptions = {};
  if (options.signal) out.signal = options.signal;
  if (options.maxIssues !== undefined) out.maxIssues = options.maxIssues;
  if (!onProgress) return out;
  const sizes = layout.files.map((f) => f.file.size);
  const total = sizes.every((s) => s !== undefined)
    ? sizes.reduce<number>((a, s) => a + (s ?? 0), 0)
    : undefined;
  let doneBytes = 0;
  let doneRecords = 0;
  let current = "";
  let last = { bytesRead: 0, records: 0 };
  out.onProgress = (p) => {
    if (p.file !== current) {
      doneBytes += last.bytesRead;
      doneRecords += last.records;
      current = p.file;
    }
    last = p;
    onProgress({
      file: p.file,
      bytesRead: doneBytes + p.bytesRead,
      records: doneRecords + p.records,
      ...(total === undefined ? {} : { totalBytes: total }),
    });
  };
  return out;
}

function imageDirsOf(layout: Layout): (subset: string) => readonly string[] {
  const bySubset = new Map<string, string[]>();
  for (const f of layout.files) {
    const dirs = bySubset.get(f.subset) ?? [];
    for (const dir of f.imageDirs) if (!dirs.includes(dir)) dirs.push(dir);
    bySubset.set(f.subset, dirs);
  }
  return (subset) => bySubset.get(subset) ?? [];
}

// Issues found while listing the tree: unsafe zip names, refused entries, unreadable files.
export function treeIssues(tree: FileTree): Issue[] {
  const unsafe: Issue[] = (tree.unsafe ?? []).map((name) => ({
    code: "unsafe_zip_entry",
    severity: "error",
    message: `expected zip entry names inside the archive, found "${name.slice(0, 200)}", which could write outside it; the entry was not read`,
    path: [],
    pointer: "",
    file: name,
    expected: "a relative path without '..'",
    found: name.slice(0, 200),
  }));
  return tree.issues?.length ? [...unsafe, ...tree.issues] : unsafe;
}

function throwIfStrict(report: Report, options: ReadDatasetOptions): void {
  if (options.mode === "lenient" || report.ok) return;
  throw new CocokitError(
    "validation_failed",
    `expected a valid COCO dataset, found ${report.errorCount} errors (first: ${report.issues.find((i) => i.severity === "error")?.message ?? "?"})`,
    { issues: report.issues },
  );
}

export function layoutInfo(layout: Layout, tree: FileTree): LayoutInfo {
  return {
    name: layout.name,
    container: layout.container,
    files: layout.files.map((f) => ({
      path: f.file.path,
      ...(f.task ? { task: f.task } : {}),
      subset: f.subset,
    })),
    ...(tree.engine ? { zipEngine: tree.engine } : {}),
  };
}
