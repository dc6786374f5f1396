import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { CocokitError } from "../errors.js";
import { planArchive } from "../export/export-archive.js";
import { exportDataset, isSafePath } from "../export/export-dataset.js";
import type { ExportOptions } from "../export/export-options.js";
import type { Dataset } from "../model/types.js";
import { throwIfAborted } from "../progress/progress.js";
import type { Report } from "../report/report.js";
import { useNodeZlib } from "./zip-codec.js";

/** Options of `exportToPath`: the export options, plus how the output is written. */
export interface ExportToPathOptions extends ExportOptions {
  /** Zip entries: `deflate` (default) or `store` (CVAT's layout: nothing compressed). */
  compression?: "deflate" | "store";
  /** Replace an existing non-empty directory at the target. Default false: such a target is an error. Files are always replaced. */
  overwrite?: boolean;
}

/** What `exportToPath` wrote. */
export interface ExportToPathResult {
  path: string;
  /** `zip`, `json` or `directory`, from the target's extension. */
  kind: "zip" | "json" | "directory";
  /** Paths written, relative to the target (zip entries or files of the directory). */
  files: string[];
  report: Report;
}

function tempSibling(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
}

async function writeFile(
  path: string,
  chunks: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): Promise<void> {
  const source =
    chunks instanceof ReadableStream
      ? Readable.fromWeb(chunks as NodeReadableStream<Uint8Array>)
      : Readable.from(chunks, { objectMode: false });
  const sink = createWriteStream(path);
  try {
    await pipeline(source, sink);
  } catch (e) {
    // pipeline can reject before the file stream has opened and closed its file: removing the
    // temporary file then would race with its creation and leave it behind. Wait for the close.
    if (!sink.closed) await new Promise<void>((resolve) => sink.once("close", () => resolve()));
    throw e;
  }
}

async function isNonEmptyDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return false;
  if (!info.isDirectory()) return false;
  return (await readdir(path)).length > 0;
}

/** Puts a finished temporary directory at the target, keeping the old one until the new one is in place. */
async function swapDirectory(temp: string, target: string, overwrite: boolean): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return rename(temp, target);
  if (!info.isDirectory() || (await isNonEmptyDirectory(target))) {
    if (!overwrite)
      throw new CocokitError(
        "export_target_exists",
        `expected no file or an empty directory at ${target}, found an existing ${info.isDirectory() ? "directory" : "file"}; pass overwrite to replace it`,
        { file: target },
      );
    const old = tempSibling(target);
    await rename(target, old);
    try {
      await rename(temp, target);
    } catch (e) {
      await rename(old, target);
      throw e;
    }
    await rm(old, { recursive: true, force: true });
    return;
  }
  await rm(target, { recursive: true });
  await rename(temp, target);
}

/**
 * Exports a dataset to a path, chosen by its extension: `.zip` → a zip archive (deflated, or
 * stored with `compression: "store"`), `.json` → one JSON file (the dataset must give exactly one
 * task file: choose with `tasks`/`subsets`), anything else → a directory with `annotations/` (and
 * `images/` with `saveMedia`). Atomic: everything is written to a temporary sibling, then renamed
 * into place; a failed export leaves nothing behind and leaves an existing target untouched.
 * Zip and JSON are `exportArchive`'s bytes. `onProgress` sees every phase (`validate`, `build`,
 * `write`, `compress`); `signal` stops the export within 100 ms, and an aborted export too
 * leaves nothing behind.
 * @example
 * await exportToPath(dataset, "out/coco.zip", { compression: "store" }) // CVAT's archive layout
 */
export async function exportToPath(
  dataset: Dataset,
  path: string,
  options: ExportToPathOptions = {},
): Promise<ExportToPathResult> {
  const lower = path.toLowerCase();
  const kind = lower.endsWith(".zip") ? "zip" : lower.endsWith(".json") ? "json" : "directory";
  if (kind === "zip") await useNodeZlib();
  // Check and plan, once, before touching the disk: a dataset that cannot be exported writes nothing.
  const archive = kind === "directory" ? undefined : planArchive(dataset, { ...options, container: kind });
  const { files, report } = archive ? { files: [], report: archive.report } : exportDataset(dataset, options);
  await mkdir(dirname(path), { recursive: true });
  const temp = tempSibling(path);
  try {
    if (archive) {
      await writeFile(temp, archive.stream());
      // An abort after the last chunk still wins: the caller asked for nothing to be left.
      throwIfAborted(options.signal, path);
      await rename(temp, path);
    } else {
      for (const file of files) {
        throwIfAborted(options.signal, path);
        if (!isSafePath(file.path))
          throw new CocokitError("unsafe_zip_entry", `expected a relative output path, found ${file.path}`);
        const target = join(temp, ...file.path.split("/"));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.open());
      }
      await mkdir(temp, { recursive: true });
      throwIfAborted(options.signal, path);
      await swapDirectory(temp, path, options.overwrite === true);
    }
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  const written = archive ? (kind === "json" ? [basename(path)] : archive.files) : files.map((f) => f.path);
  return { path, kind, files: written, report };
}
