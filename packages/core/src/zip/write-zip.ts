import { type ProgressListener, ProgressReporter, throwIfAborted } from "../progress/progress.js";

/** One entry to write into a zip: its path and its bytes as chunks. */
export interface ZipEntrySource {
  path: string;
  open(): AsyncIterable<Uint8Array>;
}

/** Options of `writeZip`. */
export interface WriteZipOptions {
  /** `deflate` (default) or `store`, which CVAT uses (entries not compressed). */
  compression?: "deflate" | "store";
  /** Stops the archive between entries and between an entry's chunks (`CocokitError` `aborted`). */
  signal?: AbortSignal;
  /** Phase `compress`: entries written, `total` the entry count when `entries` is an array. */
  onProgress?: ProgressListener;
}

function readableOf(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Per chunk too: one large entry (a big JSON file, an image) must not delay an abort.
      throwIfAborted(signal);
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/**
 * Streams a zip archive of the given entries, one entry after the other, never holding an entry
 * or the archive whole. ZIP64 records are written when needed (more than 65,535 entries, or
 * entries or archives over 4 GB), so standard `unzip` and Python's `zipfile` read every size.
 * Any error while producing an entry ends the stream with that error; so does `signal`. Stopping
 * the iteration early (`return`) stops the writer too.
 * @example
 * for await (const chunk of writeZip(exportDataset(dataset).files)) out.write(chunk);
 */
export async function* writeZip(
  entries: Iterable<ZipEntrySource> | AsyncIterable<ZipEntrySource>,
  options: WriteZipOptions = {},
): AsyncGenerator<Uint8Array> {
  let control: TransformStreamDefaultController<Uint8Array> | undefined;
  const pipe = new TransformStream<Uint8Array, Uint8Array>(
    {
      start(controller) {
        control = controller;
      },
    },
    { highWaterMark: 4 },
    { highWaterMark: 4 },
  );
  const level = options.compression === "store" ? 0 : 6;
  // Loaded on first use, so a page that never writes a zip does not download zip.js.
  const { ZipWriter } = await import("@zip.js/zip.js");
  const writer = new ZipWriter(pipe.writable, {
    level,
    useWebWorkers: false,
    keepOrder: true,
    bufferedWrite: false,
  });
  const progress = new ProgressReporter(options.onProgress);
  const total = Array.isArray(entries) ? entries.length : undefined;
  const signal = options.signal;
  let error: unknown;
  const producing = (async () => {
    let done = 0;
    for await (const entry of entries) {
      throwIfAborted(signal);
      await writer.add(entry.path, readableOf(entry.open(), signal), { level });
      done++;
      progress.report({
        phase: "compress",
        done,
        unit: "files",
        file: entry.path,
        ...(total === undefined ? {} : { total }),
      });
    }
    await writer.close();
  })().catch((e: unknown) => {
    error = e;
    // Erroring the pipe ends the reading side below with the same error.
    control?.error(e);
  });
  const reader = pipe.readable.getReader();
  let finished = false;
  try {
    while (true) {
      const next = await reader.read();
      if (next.done) break;
      yield next.value;
    }
    await producing;
    finished = true;
    if (error !== undefined) throw error;
  } finally {
    // A consumer that stopped early: cancelling the pipe fails the writer's pending add, so the
    // producer ends instead of waiting forever on a full pipe.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
