/**
 * Core's media matching for the media job, beside `core-adapter.ts`: a zip of images on disk is
 * opened by range (never read whole), matched to the dataset's items by core's `attachMedia`
 * (exact path, then path without extension, then base name), and each match can be streamed out.
 */

import { openAsBlob } from "node:fs";
import {
  attachMedia,
  CocokitError,
  type FileTree,
  type Issue,
  type Item,
  type MediaMatchReport,
  openZip,
  type TreeFile,
} from "@cocokit/core";
import type { StepOptions } from "./core-adapter.js";
import type { ImageRef } from "./repositories/media-repository.js";

/** One item's file found in the zip. */
export interface MatchedImage {
  /** The item's `images.id`. */
  row: number;
  /** The zip entry. */
  source: string;
  /** Sizes read from the image's header when the item had none. */
  width?: number;
  height?: number;
  /** Streams the entry's bytes. */
  open(signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** What matching found: the files to store, core's report, and the warnings. */
export interface ImagesMatch {
  matched: MatchedImage[];
  report: MediaMatchReport;
  issues: Issue[];
}

/**
 * Matches the images of a zip to items. A zip with an entry that could escape its folder
 * (`../x`, `/x`) is refused whole with `unsafe_zip_entry`, as an import refuses it.
 */
export async function matchImagesZip(
  path: string,
  images: readonly ImageRef[],
  options: StepOptions = {},
): Promise<ImagesMatch> {
  const name = options.name ?? "images.zip";
  const archive = await openZip(await openAsBlob(path), { file: name });
  if (archive.unsafe.length > 0)
    throw new CocokitError(
      "unsafe_zip_entry",
      `expected zip entries inside the archive, found ${archive.unsafe.length} that could escape it (${archive.unsafe[0]})`,
      {
        file: name,
        issues: archive.unsafe.map((entry) => ({
          code: "unsafe_zip_entry",
          severity: "error",
          message: `expected a relative entry name inside the archive, found "${entry}"; nothing was stored`,
          path: [],
          pointer: "",
          file: entry,
        })),
      },
    );
  const files: TreeFile[] = archive.entries.map((entry) => ({
    path: entry.path,
    size: entry.size,
    open: (signal?: AbortSignal) => archive.open(entry, signal),
  }));
  const tree: FileTree = { container: "zip", name, files, issues: archive.issues };
  const items: Item[] = images.map((image) => ({
    id: image.imageId,
    subset: image.subset,
    image: {
      fileName: image.fileName,
      ...(image.width === null ? {} : { width: image.width }),
      ...(image.height === null ? {} : { height: image.height }),
    },
    annotations: [],
    attributes: {},
  }));
  const result = await attachMedia({ categories: [], items }, tree, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const byPath = new Map(files.map((f) => [f.path, f]));
  const matched: MatchedImage[] = [];
  result.dataset.items.forEach((item, at) => {
    const file = item.media ? byPath.get(item.media.path) : undefined;
    const image = images[at] as ImageRef;
    if (!file) return;
    matched.push({
      row: image.row,
      source: file.path,
      ...(image.width === null && item.image.width !== undefined ? { width: item.image.width } : {}),
      ...(image.height === null && item.image.height !== undefined ? { height: item.image.height } : {}),
      open: (signal) => file.open(signal),
    });
  });
  return { matched, report: result.media, issues: [...result.report.issues] };
}
