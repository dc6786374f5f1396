import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { stderr, stdout } from "node:process";
import {
  CocokitError,
  isCocokitError,
  type RecordBatch,
  type RecordsExportResult,
  readCocoRecords,
  recordsJson,
  recordsZip,
  type WriteTaskFileOptions,
} from "@cocokit/core";
import { useNodeZlib } from "@cocokit/core/node";
import { createProgress } from "../output/progress.js";
import { formatSummary, type WriteSummary } from "../output/write-summary.js";
import { checkRead } from "./check-read.js";
import type { OpenedInput } from "./input.js";
import { writeAtomically } from "./output.js";

/** The convert flags that decide between the two paths. */
export interface StreamingFlags {
  tasks?: string;
  subsets?: string;
  reindex?: boolean;
  saveMedia?: boolean;
  images?: string;
  dryRun?: boolean;
}

/**
 * Why `convert` must build the whole Dataset, or undefined when it can stream records (read a
 * record, write it, forget it). What needs the whole dataset:
 * - `--images`, `--dry-run`, `--save-media`: images are matched to every item first;
 * - `--reindex`: ids are renumbered across the export; `--tasks`, `--subsets`: files are planned
 *   from every item (a chosen task is written even when empty);
 * - stdin or stdout (`-`): the input is read once (streaming reads each file twice), the output is
 *   all-or-nothing; a directory on either side.
 * Found once the input is open (then convert falls back, having written nothing): several task
 * files of one subset (their images merge into every file of the subset), panoptic files (PNGs),
 * a .json output of an input with more than one task file, annotations without ids.
 */
export function wholeDatasetReason(
  input: OpenedInput,
  output: string,
  flags: StreamingFlags,
): string | undefined {
  if (flags.images !== undefined || flags.dryRun === true) return "--images matches images to every item";
  if (flags.saveMedia === true) return "--save-media matches images to every item";
  if (flags.reindex === true) return "--reindex renumbers ids across the export";
  if (flags.tasks !== undefined || flags.subsets !== undefined)
    return "--tasks and --subsets plan files from every item";
  if (input.kind === "directory" || input.name === "<stdin>")
    return `the input is a ${input.kind === "directory" ? "directory" : "stream"}`;
  const lower = output.toLowerCase();
  if (output === "-" || !(lower.endsWith(".zip") || lower.endsWith(".json")))
    return "the output is not a .zip or .json file";
  return undefined;
}

/** What the streaming convert needs to write and report. */
export interface StreamingRequest {
  startedAt: number;
  quiet: boolean;
  json: boolean;
  lenient: boolean;
  exportOptions: WriteTaskFileOptions;
}

// The streamed write met something only the whole Dataset can write: nothing is kept of it.
class NeedsDataset extends Error {}

/**
 * `convert` without a Dataset: records are read (`readCocoRecords`, from disk by range) and written
 * (`recordsZip` or `recordsJson`) as they come, so memory holds categories and ids, not the
 * dataset. The output equals the whole-dataset path's; it is written to a temporary file and kept
 * only when the read's report allows it (`checkRead`: the same refusals, exit codes and messages).
 * Returns false, having written nothing, when the input needs the whole-dataset path.
 */
export async function convertStreaming(
  input: string,
  output: string,
  request: StreamingRequest,
): Promise<boolean> {
  const blob = await openAsBlob(input);
  const progress = createProgress(`converting ${input}`, {
    quiet: request.quiet || request.json,
    unit: "bytes",
  });
  const result: RecordsExportResult = { images: 0, annotations: 0, files: [] };
  let categories = 0;
  const zip = output.toLowerCase().endsWith(".zip");
  // Deflate and inflate on zlib's thread pool, beside the JSON being read and written.
  await useNodeZlib();
  // Images of the file being written: the whole-dataset path writes no file for a subset without any.
  let images = -1;
  async function* watched(): AsyncGenerator<RecordBatch> {
    for await (const batch of readCocoRecords(blob, {
      name: input,
      mode: "lenient",
      onProgress: (p) => {
        if (p.phase === "parse") progress.update(p.done, p.total);
      },
    })) {
      if (batch.kind === "dataset") {
        categories = batch.categories.length;
        const files = batch.layout.files;
        const subsets = new Set(files.map((f) => f.subset));
        if (
          subsets.size < files.length ||
          files.some((f) => f.task === "panoptic") ||
          (!zip && files.length !== 1)
        )
          throw new NeedsDataset();
      }
      if ((batch.kind === "file" || batch.kind === "end") && images === 0) throw new NeedsDataset();
      if (batch.kind === "file") images = 0;
      else if (batch.kind === "images") images += batch.records.length;
      yield batch;
    }
  }
  async function* checked(): AsyncGenerator<Uint8Array> {
    const records = watched();
    yield* zip
      ? recordsZip(records, request.exportOptions, result)
      : recordsJson(records, request.exportOptions, result);
    const report = result.report;
    if (!report) throw new NeedsDataset();
    checkRead(report, input, { lenient: request.lenient, quiet: request.quiet });
    if (result.images === 0)
      throw new CocokitError(
        "empty_output",
        `expected at least one image to write to ${output}, found none in ${input}; nothing was written`,
      );
  }
  try {
    await writeAtomically(output, checked());
  } catch (error) {
    if (error instanceof NeedsDataset) return false;
    // An annotation without an id, or a panoptic file found by its content.
    if (isCocokitError(error) && error.code === "export_failed" && error.issues === undefined) return false;
    throw error;
  } finally {
    progress.done();
  }
  const summary: WriteSummary = {
    output,
    kind: zip ? "zip" : "json",
    taskFiles: zip ? result.files : [basename(output)],
    mediaFiles: 0,
    images: result.images,
    annotations: result.annotations,
    categories,
    seconds: Math.round((performance.now() - request.startedAt) / 100) / 10,
    ...(request.lenient ? { skipped: result.report?.skipped ?? 0 } : {}),
  };
  const stream = output === "-" ? stderr : stdout;
  if (request.json) stream.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (!request.quiet) stream.write(`${formatSummary(summary)}\n`);
  return true;
}
