import { CocokitError } from "../errors.js";
import { importFiles, validateFiles } from "../import/import-files.js";
import type { CocoFileSource, ImportOptions } from "../import/import-options.js";
import { detectLayout, type Layout } from "../layouts/detect-layout.js";
import type { FileTree } from "../layouts/file-tree.js";
import { matchMedia } from "../media/match-media.js";
import { mediaFilesOfTree } from "../media/media-files.js";
import { panopticPngReader } from "../panoptic/panoptic-pngs.js";
import { ProgressReporter, throwIfAborted } from "../progress/progress.js";
import type { Issue } from "../report/issue.js";
import type { Report } from "../report/report.js";
import { guardReads } from "./guard-reads.js";
import { mergeReports } from "./merge-reports.js";
import type { ImportResult, LayoutInfo, ReadDatasetOptions, ValidationResult } from "./read-options.js";

/**
 * Reads every annotation file of a tree (zip, directory or single file) into one Dataset, then
 * matches image files to its items (a new item for each match; the bytes stay in the tree,
 * which the result's `mediaFiles` reads). `progress` is the operation's one reporter.
 */
export async function importTree(
  tree: FileTree,
  options: ReadDatasetOptions = {},
  progress = new ProgressReporter(options.onProgress),
): Promise<ImportResult> {
  const layout = detectLayout(tree);
  const readPanopticPng = panopticPngReader(tree, layout.files, options.signal);
  // The JSON pass runs lenient so archive and image issues join its report before strictness is judged.
  const imported = await importFiles(sourcesOf(layout), {
    ...jsonOptions(options, progress),
    mode: "lenient",
    ...(readPanopticPng ? { readPanopticPng } : {}),
  });
  throwIfAborted(options.signal, tree.name);
  let { dataset } = imported;
  let media: ImportResult["media"];
  let mediaIssues: readonly Issue[] = [];
  const withMedia = options.media !== false && tree.container !== "file";
  if (withMedia) {
    // An image that cannot be read while its size is looked up is reported, not fatal; reads
    // after the import (mediaFiles.read) throw as usual.
    const guarded = guardReads(tree);
    const matched = await matchMedia(dataset.items, guarded.tree, {
      imageDirs: imageDirsOf(layout),
      reporter: progress,
      ...(options.readImageSizes === false ? { readSizes: false } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    guarded.release();
    dataset = { ...dataset, items: matched.items };
    media = matched.media;
    mediaIssues = [...matched.issues, ...guarded.issues];
  }
  const report = mergeReports(imported.report, treeIssues(tree), mediaIssues, options.maxIssues);
  throwIfStrict(report, options);
  return {
    dataset,
    report,
    layout: layoutInfo(layout),
    ...(media ? { media } : {}),
    ...(withMedia ? { mediaFiles: mediaFilesOfTree(tree) } : {}),
  };
}

/** Validates every annotation file of a tree without building the model. */
export async function validateTree(
  tree: FileTree,
  options: ReadDatasetOptions = {},
  progress = new ProgressReporter(options.onProgress),
): Promise<ValidationResult> {
  const layout = detectLayout(tree);
  const readPanopticPng = panopticPngReader(tree, layout.files, options.signal);
  const report = await validateFiles(sourcesOf(layout), {
    ...jsonOptions(options, progress),
    mode: "lenient",
    ...(readPanopticPng ? { readPanopticPng } : {}),
  });
  throwIfAborted(options.signal, tree.name);
  return {
    ...mergeReports(report, treeIssues(tree), [], options.maxIssues),
    layout: layoutInfo(layout),
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

// The JSON pass reports `parse` and `build` through the operation's reporter.
function jsonOptions(options: ReadDatasetOptions, progress: ProgressReporter): ImportOptions {
  const out: ImportOptions = {};
  if (options.signal) out.signal = options.signal;
  if (options.maxIssues !== undefined) out.maxIssues = options.maxIssues;
  if (progress.active) out.onProgress = (event) => progress.report(event);
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

export function layoutInfo(layout: Layout): LayoutInfo {
  return {
    name: layout.name,
    container: layout.container,
    files: layout.files.map((f) => ({
      path: f.file.path,
      ...(f.task ? { task: f.task } : {}),
      subset: f.subset,
    })),
  };
}
