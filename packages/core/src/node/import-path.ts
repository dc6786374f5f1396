import { openAsBlob } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { taskFromFileName } from "../coco/tasks.js";
import { CocokitError } from "../errors.js";
import { type FileTree, treeFromZip } from "../layouts/file-tree.js";
import { type AttachMediaOptions, type AttachMediaResult, attachMedia } from "../media/attach-media.js";
import type { Dataset } from "../model/types.js";
import { ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { listedZip } from "../read/open-input.js";
import type { ImportResult, ReadDatasetOptions, ValidationResult } from "../read/read-options.js";
import { importTree, validateTree } from "../read/read-tree.js";
import type { Issue } from "../report/issue.js";
import { JSZIP_MAX_BYTES, looksLikeZip, notAZip, openZip } from "../zip/read-zip.js";
import type { OpenZipOptions } from "../zip/zip-archive.js";
import { directoryTree, diskFile, listPngFolder, unreadableFile } from "./directory-tree.js";
import { useNodeZlib } from "./zip-codec.js";

/**
 * Reads a COCO dataset from a path: a `.json` file (streamed from disk; a panoptic file's PNGs from
 * the folder beside it), a `.zip` (read by range, never loaded whole when large) or a directory in
 * any known layout (CVAT/Datumaro, mmdet, Roboflow), matching image files to items. In a folder,
 * only regular files are read: symlinks (not followed), FIFOs and files that fail to read are
 * reported as `unreadable_file`, naming the file.
 * @example
 * import { importPath } from "@cocokit/core/node";
 * const { dataset, report, layout, media } = await importPath("coco2017/", { mode: "lenient" });
 */
export async function importPath(path: string, options: ReadDatasetOptions = {}): Promise<ImportResult> {
  const progress = new ProgressReporter(options.onProgress);
  return importTree(await treeOfPath(path, options, progress), options, progress);
}

/**
 * Validates a COCO dataset at a path (same inputs as `importPath`) without building the model.
 * @example
 * import { validatePath } from "@cocokit/core/node";
 * const report = await validatePath("annotations/instances_val2017.json");
 * console.log(report.ok, report.errorCount, report.layout.name);
 */
export async function validatePath(
  path: string,
  options: ReadDatasetOptions = {},
): Promise<ValidationResult> {
  const progress = new ProgressReporter(options.onProgress);
  return validateTree(await treeOfPath(path, options, progress), options, progress);
}

/**
 * Matches a folder or zip of images on disk to an imported dataset and returns a new dataset
 * with `item.media` set, the images' bytes in `mediaFiles` (what `cocokit convert --images
 * <dir|zip>` and its `--dry-run` use). What the folder or zip left out is in `report`.
 * @example
 * import { attachMediaFromPath, exportToPath } from "@cocokit/core/node";
 * const { dataset: withImages, media, mediaFiles } = await attachMediaFromPath(dataset, "train2017/");
 * console.log(`${media.matched.length} matched, ${media.missing.length} missing, ${media.ambiguous.length} ambiguous`);
 * await exportToPath(withImages, "out.zip", { saveMedia: true, media: mediaFiles });
 */
export async function attachMediaFromPath(
  dataset: Dataset,
  path: string,
  options: AttachMediaOptions = {},
): Promise<AttachMediaResult> {
  const info = await statOrThrow(path);
  const progress = new ProgressReporter(undefined);
  const tree = info.isDirectory()
    ? await directoryTree(path)
    : await zipOfPath(path, info.size, options, progress);
  return attachMedia(dataset, tree, options);
}

async function treeOfPath(
  path: string,
  options: ReadDatasetOptions,
  progress: ProgressReporter,
): Promise<FileTree> {
  throwIfAborted(options.signal, path);
  const info = await statOrThrow(path);
  if (info.isDirectory()) return directoryTree(path);
  // Opening a FIFO waits for a writer, so only a regular file is opened at all.
  if (!info.isFile())
    throw new CocokitError(
      "unreadable_file",
      `expected a regular file or a directory at "${path}", found a FIFO, socket or device`,
      { file: path },
    );
  const head = new Uint8Array(4);
  try {
    const handle = await open(path, "r");
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw unreadableFile(path, cause);
  }
  if (looksLikeZip(head)) return zipOfPath(path, info.size, options, progress);
  if (path.toLowerCase().endsWith(".zip")) throw notAZip(path);
  const files = [diskFile(path, path, info.size)];
  const issues: Issue[] = [];
  // A panoptic file's PNGs sit in the folder named like the file (spec datumaro-coco §3.6).
  if (taskFromFileName(path).task === "panoptic") {
    const pngDir = path.replace(/\.json$/i, "");
    const listed = await listPngFolder(pngDir);
    files.push(...listed.files);
    issues.push(...listed.issues);
  }
  return { container: "file", name: path, files, ...(issues.length > 0 ? { issues } : {}) };
}

async function zipOfPath(
  path: string,
  size: number,
  options: { zip?: Omit<OpenZipOptions, "file">; signal?: AbortSignal },
  progress: ProgressReporter,
): Promise<FileTree> {
  const { zip, signal } = options;
  // Small archives are read into memory (jszip); large ones by range from disk (zip.js).
  const small = size <= JSZIP_MAX_BYTES;
  let input: Uint8Array | Blob;
  try {
    if (small) {
      progress.report({ phase: "read", done: 0, total: size, unit: "bytes", file: path });
      input = new Uint8Array(await readFile(path, signal ? { signal } : {}));
      progress.report({ phase: "read", done: size, total: size, unit: "bytes", file: path });
    } else input = await openAsBlob(path);
  } catch (cause) {
    throwIfAborted(signal, path);
    throw unreadableFile(path, cause);
  }
  throwIfAborted(signal, path);
  // zip.js inflates large archives: on zlib's thread pool in large chunks.
  if (!small) await useNodeZlib();
  const archive = await openZip(input, { ...zip, file: basename(path) });
  return listedZip(treeFromZip(archive, path), signal, progress);
}

async function statOrThrow(path: string) {
  try {
    return await stat(path);
  } catch (cause) {
    throw new CocokitError(
      "input_not_found",
      `expected an existing file or directory, found nothing at "${path}"`,
      {
        file: path,
        cause,
      },
    );
  }
}
