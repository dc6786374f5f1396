import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CocokitError } from "../errors.js";
import { exportDataset, exportJson, isSafePath } from "../export/export-dataset.js";
import type { ExportOptions } from "../export/export-options.js";
import type { Dataset } from "../model/types.js";
import type { Report } from "../report/report.js";
import { writeZip } from "../zip/write-zip.js";

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

async function writeFile(path: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  await pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(path));
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
  // Plan (and check) before touching the disk: a dataset that cannot be exported writes nothing.
  const { files, report } = exportDataset(dataset, options);
  const single = kind === "json" ? exportJson(dataset, options) : undefined;
  await mkdir(dirname(path), { recursive: true });
  const temp = tempSibling(path);
  try {
    if (kind === "zip") {
      await writeFile(
        temp,
        writeZip(files, {
          ...(options.compression ? { compression: options.compression } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
      await rename(temp, path);
    } else if (single) {
      await writeFile(temp, single);
      await rename(temp, path);
    } else {
      for (const file of files) {
        if (!isSafePath(file.path))
          throw new CocokitError("unsafe_zip_entry", `expected a relative output path, found ${file.path}`);
        const target = join(temp, ...file.path.split("/"));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.open());
      }
      await mkdir(temp, { recursive: true });
      await swapDirectory(temp, path, options.overwrite === true);
    }
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  return { path, kind, files: kind === "json" ? [basename(path)] : files.map((f) => f.path), report };
}
