import { BlobReader, type Entry, type Reader, Uint8ArrayReader, ZipReader } from "@zip.js/zip.js";
import {
  InflateBudget,
  invalidZip,
  isUnsafeEntryName,
  throwIfAborted,
  type ZipArchive,
  type ZipEntryInfo,
  type ZipLimits,
} from "./zip-archive.js";

/** Where zip.js reads the archive from: bytes, a Blob (read lazily, by range), or any zip.js Reader. */
export type ZipJsInput = Uint8Array | Blob | Reader<unknown>;

/**
 * Opens a zip with zip.js: random access by range (a Blob or file is never loaded whole), ZIP64
 * (over 65,535 entries or 4 GB), entries inflated as streams.
 */
export async function openZipJs(input: ZipJsInput, limits: ZipLimits, file?: string): Promise<ZipArchive> {
  const reader =
    input instanceof Uint8Array
      ? new Uint8ArrayReader(input)
      : input instanceof Blob
        ? new BlobReader(input)
        : input;
  const zip = new ZipReader(reader, {
    // Names are checked below so an unsafe entry is reported and skipped, not fatal to the archive.
    filenameValidation: "tolerant",
    // Inflate on the calling thread: workers need a bundler-visible script and buy little for the
    // many small entries of an image dataset.
    useWebWorkers: false,
  });
  let all: Entry[];
  try {
    all = await zip.getEntries();
  } catch (cause) {
    throw invalidZip(file, cause);
  }
  const budget = new InflateBudget(limits, file);
  budget.checkEntries(all.length);
  const entries: ZipEntryInfo[] = [];
  const unsafe: string[] = [];
  const byPath = new Map<string, Entry>();
  for (const entry of all) {
    if (entry.directory) continue;
    if (isUnsafeEntryName(entry.filename)) {
      unsafe.push(entry.filename);
      continue;
    }
    const info = { path: entry.filename, size: entry.uncompressedSize, compressedSize: entry.compressedSize };
    entries.push(info);
    byPath.set(info.path, entry);
  }
  return {
    engine: "zipjs",
    entries,
    unsafe,
    open(info, signal) {
      const entry = byPath.get(info.path);
      if (!entry || entry.directory) throw invalidZip(file, new Error(`no entry "${info.path}"`));
      return inflate(entry, budget.entry(info), info.path, signal, () => budget.overDeclared(info));
    },
  };
}

// zip.js's message when an entry inflates past the uncompressed size in its headers.
const ZIPJS_SIZE_ERROR = "Invalid uncompressed size";

async function* inflate(
  entry: Entry & { directory: false },
  count: (bytes: number) => void,
  path: string,
  signal: AbortSignal | undefined,
  overDeclared: () => Error,
): AsyncGenerator<Uint8Array> {
  // zip.js stops an entry that inflates past its declared size itself; that is a zip bomb, not
  // a damaged archive.
  const failed = (cause: unknown) =>
    cause instanceof Error && cause.message === ZIPJS_SIZE_ERROR ? overDeclared() : invalidZip(path, cause);
  // The pipe's small buffer is the back-pressure that keeps inflation a few chunks ahead of the
  // reader, so a limit check here stops a bomb while it inflates.
  const pipe = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    { highWaterMark: 2 },
    { highWaterMark: 2 },
  );
  let failure: unknown;
  const writing = entry
    .getData(pipe.writable, { checkSignature: false, useWebWorkers: false })
    .catch((e: unknown) => {
      failure ??= e;
    });
  const reader = pipe.readable.getReader();
  let finished = false;
  try {
    for (;;) {
      throwIfAborted(signal, path);
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        throw failed(failure ?? e);
      }
      if (next.done) break;
      count(next.value.length);
      yield next.value;
    }
    await writing;
    finished = true;
    if (failure !== undefined) throw failed(failure);
  } finally {
    if (!finished) {
      await reader.cancel().catch(() => undefined);
      await writing;
    }
    reader.releaseLock();
  }
}
