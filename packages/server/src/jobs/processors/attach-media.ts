import { createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CocokitError } from "@cocokit/core";
import { matchImagesZip } from "../../core-media.js";
import { createMediaRepository, type MediaRow } from "../../repositories/media-repository.js";
import { imageContentType, mediaDir, mediaPath } from "../../storage/media-files.js";
import { writeJsonResult } from "../../storage/results.js";
import type { Storage } from "../../storage/storage.js";
import { type Processor, throwIfAborted } from "./context.js";

/** What a media job was asked to do. */
export interface MediaParams {
  /** The uploaded zip of images under the data folder. */
  input_path: string;
  name: string;
  /** Only report what would be attached; store nothing. */
  dry_run: boolean;
}

/**
 * Attaches a zip's images to the dataset's items by `file_name` (core's matching), copies each
 * matched entry to a local file and moves it into storage as `media/<dataset>/…` (streamed, one
 * at a time), and commits the attachments and
 * the job's `finished` row in one transaction. Files are written under new names first, so a
 * failed or cancelled job removes only its own files and leaves the dataset as it was. The
 * result is the counts with the match report under `report` (a JSON file; the job row keeps the
 * counts); warnings are the job's issues.
 */
export const attachMediaJob: Processor = async ({
  job,
  db,
  jobs,
  storage,
  signal,
  progress,
  resultTtlHours,
}) => {
  const params = JSON.parse(job.params_json) as MediaParams;
  const datasetId = job.dataset_id as number;
  const media = createMediaRepository(db);
  const images = await media.images(datasetId);
  const { matched, report, issues } = await matchImagesZip(params.input_path, images, {
    name: params.name,
    signal,
    onProgress: progress,
  });
  throwIfAborted(signal);
  // Keys stored so far; a failed job deletes them.
  const written: string[] = [];
  const rows: (MediaRow & { width?: number; height?: number })[] = [];
  let replaced: string[];
  try {
    if (!params.dry_run) {
      for (const [at, image] of matched.entries()) {
        const path = mediaPath(datasetId, image.row, job.id, image.source);
        const local = storage.staging(path);
        await mkdir(dirname(local), { recursive: true });
        written.push(path);
        await pipeline(Readable.from(image.open(signal)), createWriteStream(local));
        const contentType = await imageContentType(image.source, local);
        const size = (await stat(local)).size;
        await storage.putFile(path, local, { contentType, signal });
        rows.push({
          image_row: image.row,
          dataset_id: datasetId,
          path,
          content_type: contentType,
          size,
          source: image.source,
          ...(image.width === undefined ? {} : { width: image.width }),
          ...(image.height === undefined ? {} : { height: image.height }),
        });
        progress({ phase: "store", done: at + 1, total: matched.length, unit: "files" });
        throwIfAborted(signal);
      }
    }
    const summary = {
      dry_run: params.dry_run,
      images: images.length,
      matched: report.matched.length,
      missing: report.missing.length,
      ambiguous: report.ambiguous.length,
      unmatched: report.unmatched.length,
      stored: rows.length,
    };
    const resultPath = await writeJsonResult(storage, job.id, { ...summary, report }, written);
    replaced = await db.transaction().execute(async (trx) => {
      const old = await media.attach(rows, trx);
      await jobs.addIssues(job.id, issues, trx);
      const finished = await jobs.finish(
        job.id,
        { path: resultPath, json: summary, issues_count: issues.length, ttlHours: resultTtlHours },
        trx,
      );
      // Another connection moved the job (a shutdown marked it interrupted): keep nothing.
      if (!finished)
        throw new CocokitError("aborted", "expected the job to be running, found it stopped (interrupted)");
      return old;
    });
  } catch (error) {
    for (const key of written) await storage.discard(key).catch(() => undefined);
    throw error;
  }
  // The rows point at the new files now; the files they replaced are no one's, nor are those of
  // items a replacing import dropped. No other media job of the dataset runs meanwhile (409).
  for (const path of replaced) await storage.delete(path);
  if (!params.dry_run) await removeUnreferenced(storage, datasetId, job.id, await media.paths(datasetId));
};

/**
 * Deletes the dataset's files no row points at, of this job or earlier ones only: the job is
 * already finished here, so the next media job may be storing its own files (`<row>-<its id>…`,
 * not yet in any row) while this one cleans up.
 */
async function removeUnreferenced(
  storage: Storage,
  datasetId: number,
  jobId: number,
  keep: string[],
): Promise<void> {
  const kept = new Set(keep.map((path) => basename(path)));
  for (const key of await storage.list(`${mediaDir(datasetId)}/`)) {
    const owner = /^\d+-(\d+)/.exec(basename(key))?.[1];
    if (owner !== undefined && Number(owner) > jobId) continue;
    if (!kept.has(basename(key))) await storage.delete(key);
  }
}
