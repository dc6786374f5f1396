import type { CocoTask } from "../model/types.js";
import type { ProgressListener } from "../progress/progress.js";

/** One COCO JSON file to read, wherever it lives (bare file, zip entry, directory). */
export interface CocoFileSource {
  /** Name used in issues: the path inside the archive/directory, or the file name. */
  name: string;
  /** Task from the file name (`instances_train.json` → instances); undefined = find it from the content. */
  task?: CocoTask;
  subset: string;
  /** Opens the file's bytes as chunks; may be called more than once. */
  open(): AsyncIterable<Uint8Array>;
  /**
   * The file already parsed (`JSON.parse` of its text): its records are taken from it and `open`
   * is not called. The in-memory path of `importJson`; the result is the same as streaming.
   */
  document?: unknown;
  size?: number;
}

/** A decoded PNG, row-major, `channels` bytes per pixel. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** Options of `importFiles` / `validateFiles`. */
export interface ImportOptions {
  /** strict (default): any error throws `CocokitError` `validation_failed` with `.issues`; lenient: bad records are skipped and counted. */
  mode?: "strict" | "lenient";
  signal?: AbortSignal;
  /**
   * Progress, throttled: `parse` (JSON bytes over all files; total when every size is known) and
   * `build` (panoptic PNGs decoded, with their count). `signal` stops every phase.
   */
  onProgress?: ProgressListener;
  maxIssues?: number;
  /** Reads and decodes a panoptic PNG `annotations/panoptic_<subset>/<fileName>`; supplied by the container layer. */
  readPanopticPng?: (subset: string, fileName: string) => Promise<DecodedPng | undefined>;
}
