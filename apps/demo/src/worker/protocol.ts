// The page <-> worker messages. Every request carries an `id`; every reply names the request it
// answers, so the client can keep one promise per request (see client.ts).
import type { Annotation, Dataset, ExportOptions, FolderInput, ProgressEvent, Report } from "@cocokit/core";

/** Export options that cross `postMessage` (the worker adds its media, signal and progress). */
export type WorkerExportOptions = Pick<ExportOptions, "tasks" | "segmentationMode" | "saveMedia">;

/** What the page asks the worker. */
export type WorkerRequest =
  | { type: "open"; id: number; file: Blob | FolderInput; name: string }
  | { type: "image"; id: number; path: string }
  | { type: "item"; id: number; index: number }
  | { type: "export"; id: number; options: WorkerExportOptions }
  | { type: "cancel"; id: number; target: number };

/** A failure as plain data: core's `CocokitError.toJSON()` has at least these. */
export interface WorkerFailure {
  code: string;
  message: string;
  file?: string;
  pointer?: string;
}

/** What the worker answers. */
export type WorkerReply =
  | { type: "progress"; id: number; progress: ProgressEvent }
  | {
      type: "opened";
      id: number;
      /** The dataset in outline: polygons come without their points (ask `item` for them). */
      dataset: Dataset;
      report: Report;
      layout: string;
      hasMedia: boolean;
    }
  | { type: "item"; id: number; index: number; annotations: Annotation[] }
  | { type: "image"; id: number; path: string; bytes: Uint8Array }
  | { type: "exported"; id: number; blob: Blob }
  | { type: "failed"; id: number; error: WorkerFailure };
