import type { FileTree } from "../layouts/file-tree.js";
import { treeFromZip } from "../layouts/file-tree.js";
import type { Dataset } from "../model/types.js";
import type { ProgressOptions } from "../progress/progress.js";
import type { Issue } from "../report/issue.js";
import { type Report, ReportBuilder } from "../report/report.js";
import { openZip } from "../zip/read-zip.js";
import type { OpenZipOptions } from "../zip/zip-archive.js";
import { type MediaMatchReport, matchMedia } from "./match-media.js";
import { type MediaFiles, mediaFilesOfTree } from "./media-files.js";

/** Options of `attachMedia`. */
export interface AttachMediaOptions extends ProgressOptions {
  /** Read width/height from image headers when the dataset lacks them (default true). */
  readImageSizes?: boolean;
  /** Zip limits when `images` is a zip. */
  zip?: Omit<OpenZipOptions, "file">;
}

/** What `attachMedia` gives: a new dataset with `item.media` set, and how the files matched. */
export interface AttachMediaResult {
  /** The dataset with matched items copied and given `media`; the input dataset is unchanged. */
  dataset: Dataset;
  /** Matched, unmatched, ambiguous and missing files, as data (what a dry run prints). */
  media: MediaMatchReport;
  /** `missing_image_file` and `ambiguous_image_file` warnings, and what the folder or zip left out. */
  report: Report;
  /** The images' bytes by `MediaRef.path`: pass it to export as `media`. */
  mediaFiles: MediaFiles;
}

/** Where a subset's images are looked for in a standalone images folder or zip, best first. */
export function standaloneImageDirs(subset: string): readonly string[] {
  return [`${subset}/`, `images/${subset}/`, "images/", ""];
}

/**
 * Matches a folder or zip of images to an already-imported dataset (exact path, then path without
 * extension, then base name, under `<subset>/`, `images/<subset>/`, `images/` or the root) and
 * returns a new dataset whose matched items have `media`, with the files' bytes in `mediaFiles`.
 * Ambiguous names are reported, never picked. Progress is the `media` phase.
 * @example
 * const { dataset: withImages, media, mediaFiles } = await attachMedia(dataset, imagesZipBlob);
 * console.log(media.matched.length, media.missing.length, media.ambiguous.length);
 * await exportDataset(withImages, { saveMedia: true, media: mediaFiles });
 */
export async function attachMedia(
  dataset: Dataset,
  images: Uint8Array | ArrayBuffer | Blob | FileTree,
  options: AttachMediaOptions = {},
): Promise<AttachMediaResult> {
  const tree =
    images instanceof Uint8Array || images instanceof ArrayBuffer || images instanceof Blob
      ? treeFromZip(
          await openZip(images instanceof ArrayBuffer ? new Uint8Array(images) : images, {
            ...options.zip,
            file: "images.zip",
          }),
          "images.zip",
        )
      : images;
  const matched = await matchMedia(dataset.items, tree, {
    imageDirs: standaloneImageDirs,
    ...(options.readImageSizes === false ? { readSizes: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const report = new ReportBuilder();
  const add = (issue: Issue) => report.add(issue);
  matched.issues.forEach(add);
  // What the folder or zip left out (links not followed, repeated zip names) explains missing images.
  tree.issues?.forEach(add);
  return {
    dataset: { ...dataset, items: matched.items },
    media: matched.media,
    report: report.finish(),
    mediaFiles: mediaFilesOfTree(tree),
  };
}
