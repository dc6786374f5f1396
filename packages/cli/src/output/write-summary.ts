import type { CocoTask, Dataset } from "@cocokit/core";
import { computeStats } from "@cocokit/core";
import type { ExportToPathResult } from "@cocokit/core/node";

/** What a command wrote: the line it prints, or the object `--json` prints. */
export interface WriteSummary {
  /** The output as given (`-` for stdout). */
  output: string;
  kind: ExportToPathResult["kind"];
  /** The COCO JSON files written, relative to the output (`annotations/instances_val.json`). */
  taskFiles: string[];
  /** Image files copied into the output (`--save-media`, `--images`). */
  mediaFiles: number;
  images: number;
  /** COCO annotations written: every shape of one object counts once, as in the files. */
  annotations: number;
  categories: number;
  seconds: number;
  /** Records a lenient read left out. */
  skipped?: number;
  /** Merge conflicts, counted by code. */
  conflicts?: Record<string, number>;
}

/** What will be written, counted before writing: the items of the chosen subsets and their objects. */
export interface WriteCounts {
  images: number;
  annotations: number;
  categories: number;
}

/**
 * Counts what an export with these `subsets` and `tasks` writes. Every annotation a command reads
 * carries the task file it came from, and export writes it back there; one without (made by
 * code) is counted when no `tasks` are chosen.
 */
export function countWritten(
  dataset: Dataset,
  choice: { subsets?: readonly string[]; tasks?: readonly CocoTask[] } = {},
): WriteCounts {
  // Export writes items without a subset to `default`, and --subsets names it so.
  const subsets = choice.subsets === undefined ? undefined : new Set(choice.subsets);
  const tasks = choice.tasks === undefined ? undefined : new Set<string>(choice.tasks);
  let items = dataset.items.filter(
    (item) => subsets?.has(item.subset === "" ? "default" : item.subset) ?? true,
  );
  if (tasks !== undefined) {
    items = items.map((item) => ({
      ...item,
      annotations: item.annotations.filter((a) => a.task !== undefined && tasks.has(a.task)),
    }));
  }
  const stats = computeStats({ ...dataset, items });
  return { images: items.length, annotations: stats.annotations, categories: dataset.categories.length };
}

/** The summary of a finished write, from the export's result and the counts taken before it. */
export function summarize(
  output: string,
  result: ExportToPathResult,
  counts: WriteCounts,
  startedAt: number,
): WriteSummary {
  const annotationFile = (path: string) => /^annotations\/[^/]+\.json$/.test(path);
  return {
    output,
    kind: result.kind,
    taskFiles: result.kind === "json" ? result.files : result.files.filter(annotationFile),
    mediaFiles: result.files.filter((path) => path.startsWith("images/")).length,
    ...counts,
    seconds: Math.round((performance.now() - startedAt) / 100) / 10,
  };
}

/** `wrote out.zip: 2 task files (instances_train, instances_val), 4 images, 5 annotations, 2 categories in 0.3 s`. */
export function formatSummary(summary: WriteSummary): string {
  const files = summary.taskFiles;
  const names = files.map((path) => (path.split("/").pop() ?? path).replace(/\.json$/i, ""));
  // A single .json output is named by the output itself; listing more than a few names is noise.
  const listed =
    summary.kind === "json" || names.length === 0
      ? ""
      : names.length <= 4
        ? ` (${names.join(", ")})`
        : ` (${names.slice(0, 3).join(", ")}, … and ${names.length - 3} more)`;
  const parts = [
    `${count(files.length, "task file")}${listed}`,
    count(summary.images, "image"),
    count(summary.annotations, "annotation"),
    count(summary.categories, "category", "categories"),
  ];
  if (summary.mediaFiles > 0) parts.push(count(summary.mediaFiles, "image file"));
  const target = summary.output === "-" ? "<stdout>" : summary.output;
  return `wrote ${target}: ${parts.join(", ")} in ${formatSeconds(summary.seconds)}`;
}

/** `0.3 s`, `12.0 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** `1 image`, `118,287 images`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}
