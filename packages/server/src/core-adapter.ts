/**
 * Every call into `@cocokit/core`, in one place: the rest of the server sees plain rows, reports
 * and errors. Import streams core's records as row batches (never the whole dataset); export
 * still rebuilds the dataset from rows, which core's record writer can replace without touching
 * its callers.
 */

import { openAsBlob } from "node:fs";
import { basename, dirname, sep } from "node:path";
import {
  type Annotation,
  type Category,
  codeKind,
  type Dataset,
  type ExportOptions,
  type Issue,
  type Item,
  isCocokitError,
  type MediaFiles,
  type Report,
  readCocoRecords,
} from "@cocokit/core";
import { exportToPath, validatePath } from "@cocokit/core/node";

/** One progress report of a job step (the shape of core's `ProgressEvent`). */
export interface StepProgress {
  phase: string;
  done: number;
  total?: number;
  unit: string;
}

/** Options of the adapter's long calls. */
export interface StepOptions {
  /** The user's file name (`instances_val2017.json`): a bare JSON's task and subset come from it. */
  name?: string;
  signal?: AbortSignal;
  onProgress?: (progress: StepProgress) => void;
}

/** The formats the server reads and writes, as `GET /api/formats` lists them. */
export const FORMATS = {
  importers: [
    { name: "COCO 1.0", extensions: [".json", ".zip"] },
    { name: "COCO Keypoints 1.0", extensions: [".json", ".zip"] },
  ],
  exporters: [
    { name: "COCO 1.0", extensions: [".zip"] },
    { name: "COCO Keypoints 1.0", extensions: [".zip"] },
  ],
} as const;

/** The dataset-level fields kept beside the rows, so an export gives back what was imported. */
export interface DatasetMeta {
  info?: Dataset["info"];
  licenses?: Dataset["licenses"];
  extra?: Dataset["extra"];
  sourceFiles?: Dataset["sourceFiles"];
}

/** One image as stored: the item without its annotations and media, and its annotations. */
export interface ItemRow {
  subset: string;
  imageId: number;
  fileName: string;
  width?: number;
  height?: number;
  /** The model item (without `annotations` and `media`). */
  item: Omit<Item, "annotations" | "media">;
  annotations: Annotation[];
}

/**
 * Issues and messages name the file as the user sent it (`instances_val2017.json`), never the
 * server's path to its upload folder.
 */
export function hideUploadPaths<T extends { message: string; file?: string }>(
  values: readonly T[],
  uploadPath: string,
): T[] {
  const dir = dirname(uploadPath) + sep;
  const strip = (text: string) => text.replaceAll(dir, "");
  return values.map((v) => ({
    ...v,
    message: strip(v.message),
    ...(v.file === undefined ? {} : { file: strip(v.file) }),
  }));
}

function coreProgress(options: StepOptions) {
  const onProgress = options.onProgress;
  if (!onProgress) return undefined;
  // Core's current reader reports bytes read; its phased reporter will send {phase, done, …}.
  return (p: {
    bytesRead?: number;
    totalBytes?: number;
    phase?: string;
    done?: number;
    total?: number;
    unit?: string;
  }) => {
    if (p.phase !== undefined && p.done !== undefined)
      onProgress({
        phase: p.phase,
        done: p.done,
        unit: p.unit ?? "bytes",
        ...(p.total === undefined ? {} : { total: p.total }),
      });
    else
      onProgress({
        phase: "parse",
        done: p.bytesRead ?? 0,
        unit: "bytes",
        ...(p.totalBytes === undefined ? {} : { total: p.totalBytes }),
      });
  };
}

function readOptions(options: StepOptions) {
  const onProgress = coreProgress(options);
  return {
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(onProgress === undefined ? {} : { onProgress }),
    // The server stores annotations only; images are attached by a separate media job.
    media: false,
    readImageSizes: false,
  };
}

/** One batch of a streamed import, in the order `streamDatasetFile` yields them. */
export type ImportBatch =
  /** First: the dataset-level fields and every category of every file. */
  | { kind: "head"; meta: DatasetMeta; categories: Category[] }
  /** Images to store (their `annotations` empty: those come in later batches). */
  | { kind: "items"; rows: ItemRow[] }
  /** Annotations of images yielded before, by their subset and COCO image id. */
  | { kind: "annotations"; subset: string; records: { imageId: number; annotations: Annotation[] }[] }
  /** Last: the report of the whole read (strict mode throws after it when it has errors). */
  | { kind: "end"; report: Report; layout: string };

/**
 * Streams a COCO JSON or zip file as row batches, never holding the whole dataset: core's
 * record reader reads the file from disk (twice: categories first, then records). Strict: after
 * the `end` batch, any error throws `validation_failed` with every issue, so the caller must
 * store the batches in a transaction it rolls back. Core's `parse` of the records pass is
 * reported as `store`: each batch is stored as soon as it is parsed.
 */
export async function* streamDatasetFile(
  path: string,
  options: StepOptions = {},
): AsyncGenerator<ImportBatch> {
  const onProgress = options.onProgress;
  const {
    media: _media,
    readImageSizes: _sizes,
    ...read
  } = readOptions({
    ...options,
    // A bare JSON's task and subset come from its name; the Blob has none.
    name: options.name ?? basename(path),
    ...(onProgress === undefined
      ? {}
      : { onProgress: (p) => onProgress(p.phase === "parse" ? { ...p, phase: "store" } : p) }),
  });
  for await (const batch of readCocoRecords(await openAsBlob(path), read)) {
    if (batch.kind === "dataset") {
      const meta: DatasetMeta = { sourceFiles: batch.sourceFiles };
      if (batch.info !== undefined) meta.info = batch.info;
      if (batch.licenses !== undefined) meta.licenses = batch.licenses;
      if (batch.extra !== undefined) meta.extra = batch.extra;
      yield { kind: "head", meta, categories: batch.categories };
    } else if (batch.kind === "images") yield { kind: "items", rows: batch.records.map(itemRow) };
    else if (batch.kind === "annotations")
      yield {
        kind: "annotations",
        subset: batch.subset,
        records: batch.records.map(({ imageId, annotations }) => ({ imageId, annotations })),
      };
    else if (batch.kind === "end")
      yield {
        kind: "end",
        report: { ...batch.report, issues: hideUploadPaths(batch.report.issues, path) },
        layout: batch.layout.name,
      };
  }
}

function itemRow({ annotations, media: _media, ...item }: Item): ItemRow {
  return {
    subset: item.subset,
    imageId: item.id,
    fileName: item.image.fileName,
    ...(item.image.width === undefined ? {} : { width: item.image.width }),
    ...(item.image.height === undefined ? {} : { height: item.image.height }),
    item,
    annotations,
  };
}

/** Checks a COCO JSON or zip file without building the model: the full report. */
export async function validateFile(
  path: string,
  options: StepOptions = {},
): Promise<Report & { layout: string }> {
  const result = await validatePath(path, readOptions(options));
  return { ...result, issues: hideUploadPaths(result.issues, path), layout: result.layout.name };
}

/** Rebuilds a model dataset from stored parts (for export). */
export function datasetFromRows(meta: DatasetMeta, categories: Category[], items: ItemRow[]): Dataset {
  return {
    ...meta,
    categories,
    items: items.map((row) => ({ ...row.item, annotations: row.annotations })),
  };
}

/** The export options the API accepts, in the API's names. */
export interface ExportParams {
  tasks?: string[];
  subsets?: string[];
  segmentation_mode?: "guess" | "polygons" | "mask";
  reindex?: boolean;
  /** Write the items' attached images too, read from `options.media`. */
  save_images?: boolean;
}

/** Writes a dataset as a COCO zip at `target`, atomically (a failed or aborted export leaves nothing). */
export async function writeDatasetZip(
  dataset: Dataset,
  target: string,
  params: ExportParams,
  options: StepOptions & { media?: MediaFiles } = {},
): Promise<{ files: string[]; report: Report }> {
  const exportOptions: ExportOptions = {
    ...(params.tasks === undefined ? {} : { tasks: params.tasks as ExportOptions["tasks"] }),
    ...(params.subsets === undefined ? {} : { subsets: params.subsets }),
    ...(params.segmentation_mode === undefined ? {} : { segmentationMode: params.segmentation_mode }),
    ...(params.reindex === undefined ? {} : { reindex: params.reindex }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(params.save_images && options.media ? { saveMedia: true, media: options.media } : {}),
  };
  options.onProgress?.({ phase: "write", done: 0, total: dataset.items.length, unit: "items" });
  const result = await exportToPath(dataset, target, { ...exportOptions, overwrite: true });
  options.onProgress?.({
    phase: "write",
    done: dataset.items.length,
    total: dataset.items.length,
    unit: "items",
  });
  return { files: result.files, report: result.report };
}

/** A failure as the job row and its issues store it. */
export interface FailureInfo {
  code: string;
  message: string;
  issues: Issue[];
  /** True when the user stopped the work (the job becomes `cancelled`, not `failed`). */
  aborted: boolean;
}

/** What a thrown value means for a job: core errors keep their code, issues and pointers. */
export function failureOf(error: unknown, uploadPath?: string): FailureInfo {
  const info = failureOfError(error);
  if (uploadPath === undefined) return info;
  const [message] = hideUploadPaths([{ message: info.message }], uploadPath);
  return {
    ...info,
    message: (message as { message: string }).message,
    issues: hideUploadPaths(info.issues, uploadPath),
  };
}

function failureOfError(error: unknown): FailureInfo {
  if (isCocokitError(error)) {
    const issues = [...(error.issues ?? [])];
    // An error without a report still says where it happened.
    if (issues.length === 0 && (error.pointer !== undefined || error.file !== undefined))
      issues.push({
        code: error.code as Issue["code"],
        severity: "error",
        message: error.message,
        path: [],
        pointer: error.pointer ?? "",
        ...(error.file === undefined ? {} : { file: error.file }),
      });
    // Core's kind table says which codes mean "stopped on purpose" (one place for every package).
    return { code: error.code, message: error.message, issues, aborted: codeKind(error.code) === "aborted" };
  }
  const message = error instanceof Error ? error.message : String(error);
  const aborted = error instanceof Error && error.name === "AbortError";
  return { code: aborted ? "aborted" : "internal_error", message, issues: [], aborted };
}

// Model objects hold RLE counts as Uint32Array, which JSON would turn into an index-keyed object.
const U32 = "$u32";

/** A model object (annotation, item, category) as the JSON text stored in a row. */
export function encodeModel(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v instanceof Uint32Array ? { [U32]: Array.from(v) } : v));
}

/** A stored model object back, typed arrays restored (for export). */
export function decodeModel<T>(text: string): T {
  // A reviver costs more than the parse itself; only RLE rows need one.
  if (!text.includes(`"${U32}"`)) return JSON.parse(text);
  return JSON.parse(text, (_key, v) =>
    v && typeof v === "object" && Array.isArray(v[U32]) ? Uint32Array.from(v[U32]) : v,
  );
}

/** A stored model object as plain JSON for API responses (RLE counts as a number array). */
export function decodeForApi(text: string): Record<string, unknown> {
  if (!text.includes(`"${U32}"`)) return JSON.parse(text);
  return JSON.parse(text, (_key, v) => (v && typeof v === "object" && Array.isArray(v[U32]) ? v[U32] : v));
}
