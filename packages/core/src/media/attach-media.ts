import type { FileTree } from "../layouts/file-tree.js";
import { treeFromZip } from "../layouts/file-tree.js";
import type { Dataset } from "../model/types.js";
import { openZip } from "../zip/read-zip.js";
import type { OpenZipOptions } from "../zip/zip-archive.js";
import { type MediaMatchReport, matchMedia } from "./match-media.js";

/** Options of `attachMedia`. */
export interface AttachMediaOptions {
  /** Read width/height from image headers when the dataset lacks them (default true). */
  readImageSizes?: boolean;
  /** Zip limits when `images` is a zip. */
  zip?: Omit<OpenZipOptions, "file">;
  signal?: AbortSignal;
}

/** Where a subset's images are looked for in a standalone images folder or zip, best first. */
export function standaloneImageDirs(subset: string): readonly string[] {
  return [`${subset}/`, `images/${subset}/`, "images/", ""];
}

/**
 * Matches a folder or zip of images to an already-imported dataset (exact path, then path without
 * extension, then base name, under `<subset>/`, `images/<subset>/`, `images/` or the root) and
 * attaches `item.media`; a dry run of the same matching is the returned report. Ambiguous names
 * are reported, never picked.
 * @example
 * const report = await attachMedia(dataset, imagesZipBlob);
 * console.log(report.matched.length, report.missing.length, report.ambiguous);
 */
export async function attachMedia(
  dataset: Dataset,
  images: Uint8Array | ArrayBuffer | Blob | FileTree,
  options: AttachMediaOptions = {},
): Promise<MediaMatchReport> {
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
  return matchMedia(dataset.items, tree, {
    imageDirs: standaloneImageDirs,
    ...(options.readImageSizes === false ? { readSizes: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
