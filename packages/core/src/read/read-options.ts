import type { ImportOptions } from "../import/import-options.js";
import type { LayoutName } from "../layouts/detect-layout.js";
import type { MediaMatchReport } from "../media/match-media.js";
import type { MediaFiles } from "../media/media-files.js";
import type { CocoTask, Dataset } from "../model/types.js";
import type { Report } from "../report/report.js";
import type { OpenZipOptions } from "../zip/zip-archive.js";

/** Options of `importDataset`, `validateDataset` and the Node path readers. */
export interface ReadDatasetOptions extends Omit<ImportOptions, "readPanopticPng"> {
  /** Name of the input (a file name): a bare JSON's task and subset come from it (`instances_val.json`). */
  name?: string;
  /** Zip reading: limits against zip bombs (`maxTotalBytes`, `maxRatio`, `maxEntries`). */
  zip?: Omit<OpenZipOptions, "file">;
  /** Match image files to items (default true). */
  media?: boolean;
  /** Read width/height from image headers when the JSON lacks them (default true). */
  readImageSizes?: boolean;
}

/** Which layout was found, and the annotation files read. */
export interface LayoutInfo {
  name: LayoutName;
  container: "file" | "zip" | "directory";
  files: { path: string; task?: CocoTask; subset: string }[];
}

/** The result of `importDataset` / `importPath`. */
export interface ImportResult {
  dataset: Dataset;
  /** Every problem found: JSON files, archive entries and image files. */
  report: Report;
  layout: LayoutInfo;
  /** How image files were matched to items (zip and directory inputs); the issues are in `report`. */
  media?: MediaMatchReport;
  /** The image bytes of `item.media.path`, read from the zip or directory (export's `media`). */
  mediaFiles?: MediaFiles;
}

/** The result of `validateDataset` / `validatePath`. */
export type ValidationResult = Report & { layout: LayoutInfo };
