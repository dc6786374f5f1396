// The worker's logic without the worker: it owns the opened dataset and its media side table and
// answers requests through `post`. dataset.worker.ts wires it to `self`; tests call it directly
// (a main-thread fallback needs nothing else).
import {
  type Dataset,
  exportArchiveToBlob,
  importDataset,
  type MediaFiles,
  type ProgressEvent,
} from "@cocokit/core";
import type { WorkerFailure, WorkerReply, WorkerRequest } from "./protocol.js";

export type Post = (reply: WorkerReply, transfer?: Transferable[]) => void;

/** Turns anything thrown into a `WorkerFailure` (core's errors carry a stable `code`). */
export function toFailure(error: unknown): WorkerFailure {
  if (error && typeof error === "object") {
    type Fields = Partial<WorkerFailure> & { name?: string };
    const json = (error as { toJSON?: () => unknown }).toJSON?.() as Fields | undefined;
    const source: Fields = json ?? (error as Fields);
    const code =
      typeof source.code === "string"
        ? source.code
        : source.name === "AbortError"
          ? "aborted"
          : "internal_error";
    const failure: WorkerFailure = { code, message: String(source.message ?? error) };
    if (typeof source.file === "string") failure.file = source.file;
    if (typeof source.pointer === "string") failure.pointer = source.pointer;
    return failure;
  }
  return { code: "internal_error", message: String(error) };
}

/**
 * The dataset as the page gets it: polygons without their points. Points are nearly all of a
 * COCO file's weight (27 of 28 MB for val2017's size) and the grid, filters, counts and stats
 * never read them; copying them to the page cost ~40% of the time to the first grid. The image
 * view asks for one item's full annotations (`item`).
 */
export function outlineOf(dataset: Dataset): Dataset {
  return {
    ...dataset,
    items: dataset.items.map((item) => ({
      ...item,
      annotations: item.annotations.map((a) => (a.type === "polygon" ? { ...a, points: [] } : a)),
    })),
  };
}

/** Creates the message handler of one worker. */
export function createHandler(post: Post): (request: WorkerRequest) => Promise<void> {
  let dataset: Dataset | undefined;
  let mediaFiles: MediaFiles | undefined;
  const running = new Map<number, AbortController>();

  async function run(
    request: Exclude<WorkerRequest, { type: "cancel" }>,
    signal: AbortSignal,
  ): Promise<void> {
    const onProgress = (progress: ProgressEvent) => post({ type: "progress", id: request.id, progress });
    if (request.type === "open") {
      const result = await importDataset(request.file, {
        mode: "lenient",
        name: request.name,
        signal,
        onProgress,
      });
      dataset = result.dataset;
      mediaFiles = result.mediaFiles;
      post({
        type: "opened",
        id: request.id,
        dataset: outlineOf(result.dataset),
        report: result.report,
        layout: result.layout.name,
        hasMedia: mediaFiles !== undefined,
      });
    } else if (request.type === "image") {
      if (!mediaFiles?.has(request.path))
        throw Object.assign(new Error(`no image ${request.path}`), { code: "input_not_found" });
      const bytes = await mediaFiles.read(request.path, signal);
      post({ type: "image", id: request.id, path: request.path, bytes }, [bytes.buffer as ArrayBuffer]);
    } else if (request.type === "item") {
      const item = dataset?.items[request.index];
      if (!item) throw Object.assign(new Error(`no item ${request.index}`), { code: "input_not_found" });
      post({ type: "item", id: request.id, index: request.index, annotations: item.annotations });
    } else {
      if (!dataset) throw Object.assign(new Error("no dataset is open"), { code: "usage_error" });
      const { saveMedia = true, ...options } = request.options;
      const blob = await exportArchiveToBlob(dataset, {
        ...options,
        container: "zip",
        // Images go in only when asked and when the opened zip or folder had them.
        saveMedia: saveMedia && mediaFiles !== undefined,
        ...(mediaFiles ? { media: mediaFiles } : {}),
        signal,
        onProgress,
      });
      post({ type: "exported", id: request.id, blob });
    }
  }

  return async (request) => {
    if (request.type === "cancel") {
      running.get(request.target)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    try {
      await run(request, controller.signal);
    } catch (error) {
      post({ type: "failed", id: request.id, error: toFailure(error) });
    } finally {
      running.delete(request.id);
    }
  };
}
