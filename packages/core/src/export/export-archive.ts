import type { Dataset } from "../model/types.js";
import { ProgressReporter } from "../progress/progress.js";
import type { Report } from "../report/report.js";
import { writeZip } from "../zip/write-zip.js";
import { exportWith, singleJsonFile } from "./export-dataset.js";
import type { ExportOptions } from "./export-options.js";

/** The single-file outputs an export can stream: a zip archive, or one COCO JSON document. */
export type ArchiveContainer = "zip" | "json";

/** The MIME type of each container, as a `Blob` or an HTTP response carries it. */
export const ARCHIVE_MIME_TYPES: Readonly<Record<ArchiveContainer, string>> = {
  zip: "application/zip",
  json: "application/json",
};

/** Options of `exportArchive`: the export options, the container and, for a zip, its compression. */
export interface ExportArchiveOptions extends ExportOptions {
  /** `zip`: every file of the export in one archive; `json`: the one task file the export must give. */
  container: ArchiveContainer;
  /** Zip entries: `deflate` (default) or `store` (CVAT's layout: nothing compressed). Ignored for JSON. */
  compression?: "deflate" | "store";
}

/** A checked and planned archive: what it will hold, and its bytes on demand. */
export interface ArchivePlan {
  container: ArchiveContainer;
  /** `ARCHIVE_MIME_TYPES[container]`. */
  mimeType: string;
  /** Paths inside the archive (zip entries), or the one task file's path for JSON. */
  files: string[];
  /** Warnings found while checking and planning the export. */
  report: Report;
  /** The archive's bytes, made as they are read. Each call starts a new stream. */
  stream(): ReadableStream<Uint8Array>;
}

function readableOf(chunks: () => AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= chunks()[Symbol.asyncIterator]();
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator?.return?.(reason);
    },
  });
}

/**
 * Checks and plans an export as one zip or JSON output, once: errors (`export_failed`, and for
 * JSON `export_ambiguous` or `export_needs_archive`) are thrown here, before a byte is made.
 * `exportArchive` is this plan's stream; use the plan to also get the files and warnings.
 * @example
 * const plan = planArchive(dataset, { container: "zip" });
 * console.log(plan.report.issues.length, "warnings");
 * await plan.stream().pipeTo(writable);
 */
export function planArchive(dataset: Dataset, options: ExportArchiveOptions): ArchivePlan {
  const { container, compression, ...exportOptions } = options;
  const progress = new ProgressReporter(options.onProgress);
  const json = container === "json";
  const { files, report } = exportWith(
    dataset,
    json ? { ...exportOptions, saveMedia: false } : exportOptions,
    progress,
  );
  const single = json ? singleJsonFile(files) : undefined;
  const chunks = single
    ? () => single.open()
    : () =>
        writeZip(files, {
          ...(compression ? { compression } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          // The zip's phase goes through the export's reporter: one throttle for the whole export.
          ...(progress.active ? { onProgress: (e) => progress.report(e) } : {}),
        });
  return {
    container,
    mimeType: ARCHIVE_MIME_TYPES[container],
    files: single ? [single.path] : files.map((f) => f.path),
    report,
    stream: () => readableOf(chunks),
  };
}

/**
 * Streams a dataset as a zip archive (every file of `exportDataset`: task files, panoptic PNGs,
 * media with `saveMedia`) or as one COCO JSON document. Browser-safe: no file system, only web
 * streams. The dataset is checked and the export planned before this returns; problems throw
 * then. Progress (`onProgress`) and `signal` cover every phase; an aborted stream errors with
 * `CocokitError` `aborted`.
 * @example
 * const stream = exportArchive(dataset, { container: "zip", compression: "store" });
 * await stream.pipeTo(await fileHandle.createWritable());
 */
export function exportArchive(dataset: Dataset, options: ExportArchiveOptions): ReadableStream<Uint8Array> {
  return planArchive(dataset, options).stream();
}

/**
 * Collects a stream into a `Blob` of the given MIME type (such as `ARCHIVE_MIME_TYPES.zip`).
 * @example
 * const blob = await archiveToBlob(exportArchive(dataset, { container: "json" }), "application/json");
 */
export async function archiveToBlob(stream: ReadableStream<Uint8Array>, type: string): Promise<Blob> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  return new Blob(parts as BlobPart[], { type });
}

/**
 * `exportArchive` collected into a `Blob` with the container's MIME type (`application/zip` or
 * `application/json`), ready for a download link.
 * @example
 * const url = URL.createObjectURL(await exportArchiveToBlob(dataset, { container: "zip" }));
 */
export async function exportArchiveToBlob(dataset: Dataset, options: ExportArchiveOptions): Promise<Blob> {
  return archiveToBlob(exportArchive(dataset, options), ARCHIVE_MIME_TYPES[options.container]);
}
