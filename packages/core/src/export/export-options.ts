import type { MediaFiles } from "../media/media-files.js";
import type { CocoTask } from "../model/types.js";
import type { ProgressListener } from "../progress/progress.js";
import type { Report } from "../report/report.js";

/**
 * Options of `exportDataset` and the functions built on it. Names follow Datumaro's exporter
 * options; defaults keep what the dataset says (ids, precision, representation of unchanged
 * annotations), so an imported dataset exported again gives back the same files.
 */
export interface ExportOptions {
  /** Task files to write. Default: every task that has data in a subset (image_info when none has). Given tasks are written even when empty. */
  tasks?: readonly CocoTask[];
  /** Subsets to write; default all. Items with an empty subset belong to `default`. */
  subsets?: readonly string[];
  /**
   * How new or edited instances (no `area`) store their shape: `guess` (CVAT's rule: a mask when the
   * leader's `is_crowd` is true, or when it has no `is_crowd` and the group holds a mask of its
   * label), `polygons` (masks traced into polygons) or `mask` (one RLE). Default `guess`.
   * Unchanged annotations keep their representation.
   */
  segmentationMode?: "guess" | "polygons" | "mask";
  /** Number images 1…N across the export, annotations 1…N per file and categories 1…N in the dataset's order. Default false: ids are kept. */
  reindex?: boolean;
  /** Copy each item's media bytes into `images/<subset>/<file_name>` (bytes are copied, never re-encoded). */
  saveMedia?: boolean;
  /** Where `saveMedia` reads the bytes of `item.media.path` (`ImportResult.mediaFiles`, `attachMedia`'s). */
  media?: MediaFiles;
  /** Replace the extension of every `file_name` (and saved image path), such as `.png`. */
  imageExt?: string;
  /** Write annotation attributes other than `is_crowd` and `score` as a COCO `attributes` object. Default true. */
  allowAttributes?: boolean;
  /** Save media into `images/` instead of `images/<subset>/`. */
  mergeImages?: boolean;
  /** Write new masks' RLE counts as the compressed string instead of a list of numbers. Default false (CVAT writes lists). */
  compressRle?: boolean;
  /** Round coordinates (bbox, polygons, keypoints) to this many decimals; CVAT uses 2. Default: full precision. */
  precision?: number;
  /** When the dataset has no `info`/`licenses`, write CVAT's placeholders (and its image fields) instead of leaving them out. */
  cvatDefaults?: boolean;
  /** Keep at most this many issues in the report of a failed export. */
  maxIssues?: number;
  /**
   * Stops the export (within 100 ms, with `CocokitError` `aborted`); the output is then incomplete
   * and must be discarded (exportToPath does).
   */
  signal?: AbortSignal;
  /**
   * Progress, at most about ten events a second: `validate` (items checked), `build` (items
   * planned), `write` (annotation records of a JSON file written, `file` its path, `total` its
   * annotation records) and, for a zip, `compress` (entries written, `total` the entry count).
   */
  onProgress?: ProgressListener;
}

/** One file of an export: its path inside the output (`annotations/instances_train.json`) and its bytes. */
export interface ExportFile {
  path: string;
  /** Produces the bytes as chunks, generated as they are read; may be called more than once. */
  open(): AsyncIterable<Uint8Array>;
  /** The task of an annotation file; undefined for media. */
  task?: CocoTask;
  subset?: string;
}

/** What `exportDataset` returns: the files to write, and warnings found while planning them. */
export interface ExportResult {
  files: ExportFile[];
  report: Report;
}
