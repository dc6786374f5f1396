import JSZip from "jszip";
import { checkOverlaps, nameKey, sortEntries } from "./archive-checks.js";
import { type ArchiveRecord, readCentralDirectory } from "./central-directory.js";
import { entryMismatch, localHeaderMismatch, shortEntry, verified } from "./entry-checks.js";
import {
  InflateBudget,
  invalidZip,
  throwIfAborted,
  type ZipArchive,
  type ZipEntryInfo,
  type ZipLimits,
} from "./zip-archive.js";

// jszip keeps each entry's compressed bytes on an internal object; for an in-memory archive they
// are a view of the input, so their position says which central record the entry came from.
interface CompressedObject {
  _data?: { compressedContent?: unknown };
}

interface JsZipStream {
  on(event: "data", listener: (chunk: Uint8Array) => void): JsZipStream;
  on(event: "error", listener: (error: unknown) => void): JsZipStream;
  on(event: "end", listener: () => void): JsZipStream;
  pause(): JsZipStream;
  resume(): JsZipStream;
}

// Chunks buffered ahead of the consumer before jszip's worker is paused.
const HIGH_WATER = 8;
// jszip's message when an entry inflates to fewer bytes than declared.
const JSZIP_SHORT = "uncompressed data size mismatch";

/**
 * Opens an in-memory zip with jszip (fine for small archives; it holds the whole archive). Entries
 * are listed from the central directory, checked against their local headers, names and byte
 * ranges, and inflated by jszip with their CRC-32 checked as they stream.
 */
export async function openJsZip(bytes: Uint8Array, limits: ZipLimits, file?: string): Promise<ZipArchive> {
  let zip: JSZip;
  let records: ArchiveRecord[];
  try {
    // jszip's own checkCRC32 would inflate every entry before the first is read (a bomb goes off
    // at open); the CRC is checked while each entry streams instead.
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false, createFolders: false });
    records = readCentralDirectory(bytes);
  } catch (cause) {
    throw invalidZip(file, cause);
  }
  const budget = new InflateBudget(limits, file);
  budget.checkEntries(records.length);
  checkOverlaps(records, file);
  const byStart = new Map<number, JSZip.JSZipObject>();
  for (const object of Object.values(zip.files)) {
    const content = (object as unknown as CompressedObject)._data?.compressedContent;
    if (content instanceof Uint8Array && content.buffer === bytes.buffer)
      byStart.set(content.byteOffset - bytes.byteOffset, object);
  }
  const { unsafe, unique, issues, byKey } = sortEntries(records);
  const entries: ZipEntryInfo[] = unique.map((r) => ({
    path: r.path,
    size: r.size,
    compressedSize: r.compressedSize,
  }));
  return {
    engine: "jszip",
    entries,
    unsafe,
    issues,
    open(entry, signal) {
      const record = byKey.get(nameKey(entry.path));
      if (record?.path !== entry.path) throw invalidZip(file, new Error(`no entry "${entry.path}"`));
      const mismatch = localHeaderMismatch(record, record.local);
      if (mismatch) throw entryMismatch(record.path, mismatch);
      const object = byStart.get(record.dataStart);
      if (!object) throw invalidZip(record.path, new Error(`jszip did not read entry "${record.path}"`));
      return verified(inflate(object, budget.entry(entry), record, signal), record);
    },
  };
}

async function* inflate(
  object: JSZip.JSZipObject,
  count: (bytes: number) => void,
  record: ArchiveRecord,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const { path } = record;
  let read = 0;
  const queue: Uint8Array[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  // internalStream is jszip's browser-safe chunked reader (public in its docs, absent from its types).
  const stream = (object as unknown as { internalStream(type: "uint8array"): JsZipStream }).internalStream(
    "uint8array",
  );
  let paused = false;
  stream
    .on("data", (chunk: Uint8Array) => {
      // jszip inflates a whole compressed block synchronously; once a limit trips, drop the rest.
      if (failure !== undefined) return;
      try {
        count(chunk.length);
      } catch (e) {
        failure = e;
        stream.pause();
        notify();
        return;
      }
      read += chunk.length;
      queue.push(chunk);
      if (queue.length >= HIGH_WATER && !paused) {
        paused = true;
        stream.pause();
      }
      notify();
    })
    .on("error", (e: unknown) => {
      failure ??=
        e instanceof Error && e.message.includes(JSZIP_SHORT)
          ? shortEntry(path, record.size, read)
          : invalidZip(path, e);
      notify();
    })
    .on("end", () => {
      done = true;
      notify();
    })
    .resume();
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      throwIfAborted(signal, path);
      const chunk = queue.shift();
      if (chunk) {
        if (paused && queue.length < HIGH_WATER / 2) {
          paused = false;
          stream.resume();
        }
        yield chunk;
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (!done) stream.pause();
  }
}
