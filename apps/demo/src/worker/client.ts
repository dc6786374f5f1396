// The page's side of the worker protocol: one promise per request, progress through a callback,
// and an AbortSignal that sends `cancel` for the request it guards.
import type { Annotation, Dataset, FolderInput, ProgressEvent, Report } from "@cocokit/core";
import type { WorkerExportOptions, WorkerFailure, WorkerReply, WorkerRequest } from "./protocol.js";

/** A failed request: the worker's failure with its stable `code`. */
export class WorkerRequestError extends Error {
  readonly code: string;
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure) {
    super(failure.message);
    this.code = failure.code;
    this.failure = failure;
  }
}

/** The end a client talks to: a `Worker`, or anything with the same two members (tests). */
export interface Port {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
}

export interface Opened {
  /** In outline: polygons without points; `annotations(index)` has an item's full ones. */
  dataset: Dataset;
  report: Report;
  layout: string;
  hasMedia: boolean;
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
  onProgress?: ((progress: ProgressEvent) => void) | undefined;
}

export interface RequestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProgressEvent) => void;
}

/** A typed client over a worker port. */
export class DatasetClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: Port) {
    port.onmessage = ({ data }) => this.receive(data);
  }

  /** Opens a `.json`, a `.zip` or a folder in the worker (leniently: a damaged file loads what it can). */
  async open(file: Blob | FolderInput, name: string, options: RequestOptions = {}): Promise<Opened> {
    const reply = await this.request((id) => ({ type: "open", id, file, name }), options);
    if (reply.type !== "opened") throw new Error(`unexpected reply ${reply.type}`);
    const { dataset, report, layout, hasMedia } = reply;
    return { dataset, report, layout, hasMedia };
  }

  /** The bytes of one image of the opened archive (`item.media.path`). */
  async image(path: string, options: RequestOptions = {}): Promise<Uint8Array> {
    const reply = await this.request((id) => ({ type: "image", id, path }), options);
    if (reply.type !== "image") throw new Error(`unexpected reply ${reply.type}`);
    return reply.bytes;
  }

  /** The full annotations of `dataset.items[index]` (the opened dataset is an outline). */
  async annotations(index: number, options: RequestOptions = {}): Promise<Annotation[]> {
    const reply = await this.request((id) => ({ type: "item", id, index }), options);
    if (reply.type !== "item") throw new Error(`unexpected reply ${reply.type}`);
    return reply.annotations;
  }

  /** Exports the opened dataset (with its images) as a CVAT-layout zip. */
  async exportZip(exportOptions: WorkerExportOptions = {}, options: RequestOptions = {}): Promise<Blob> {
    const reply = await this.request((id) => ({ type: "export", id, options: exportOptions }), options);
    if (reply.type !== "exported") throw new Error(`unexpected reply ${reply.type}`);
    return reply.blob;
  }

  /**
   * Rejects every pending request with `failure`: the worker itself broke (it failed to load, or
   * threw outside a request), so no reply will come.
   */
  failAll(failure: WorkerFailure): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new WorkerRequestError(failure));
  }

  private request(make: (id: number) => WorkerRequest, options: RequestOptions): Promise<WorkerReply> {
    const id = this.nextId++;
    const { signal, onProgress } = options;
    if (signal?.aborted)
      return Promise.reject(new WorkerRequestError({ code: "aborted", message: "aborted" }));
    return new Promise<WorkerReply>((resolve, reject) => {
      const onAbort = () => this.port.postMessage({ type: "cancel", id: this.nextId++, target: id });
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        onProgress,
      });
      this.port.postMessage(make(id));
    });
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === "progress") {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === "failed") pending.reject(new WorkerRequestError(reply.error));
    else pending.resolve(reply);
  }
}

/** The page's worker (a module worker, so core's lazily loaded zip chunks work in it). */
export function createDatasetClient(): DatasetClient {
  const worker = new Worker(new URL("./dataset.worker.ts", import.meta.url), { type: "module" });
  const client = new DatasetClient(worker as unknown as Port);
  worker.onerror = (event) =>
    client.failAll({ code: "internal_error", message: `worker failed: ${event.message}` });
  worker.onmessageerror = () =>
    client.failAll({ code: "internal_error", message: "a worker reply could not be read" });
  return client;
}
