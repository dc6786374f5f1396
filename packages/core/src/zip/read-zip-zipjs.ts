import { BlobReader, type Entry, type Reader, Uint8ArrayReader, ZipReader } from "@zip.js/zip.js";
import { checkOverlaps, nameKey, sortEntries } from "./archive-checks.js";
import {
  applyLocalZip64,
  type CentralRecord,
  entryMismatch,
  localHeaderMismatch,
  parseLocalHeader,
  verified,
} from "./entry-checks.js";
import {
  InflateBudget,
  invalidZip,
  throwIfAborted,
  type ZipArchive,
  type ZipEntryInfo,
  type ZipLimits,
} from "./zip-archive.js";

/** Where zip.js reads the archive from: bytes, a Blob (read lazily, by range), or any zip.js Reader. */
export type ZipJsInput = Uint8Array | Blob | Reader<unknown>;

// Fields zip.js sets on every entry but leaves out of its types.
interface EntryFields {
  compressionMethod?: number;
  rawBitFlag?: number;
}

/**
 * Opens a zip with zip.js: random access by range (a Blob or file is never loaded whole), ZIP64
 * (over 65,535 entries or 4 GB), entries inflated as streams. Names and byte ranges are checked
 * from the central directory at open; an entry's local header is read and checked when the entry
 * is, so opening a large archive reads no more than its central directory.
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
  const records = all.map(recordOf);
  checkOverlaps(records, file);
  const { unsafe, unique, issues, byKey } = sortEntries(records);
  const entries: ZipEntryInfo[] = unique.map((r) => ({
    path: r.path,
    size: r.size,
    compressedSize: r.compressedSize,
  }));
  return {
    entries,
    unsafe,
    issues,
    open(info, signal) {
      const record = byKey.get(nameKey(info.path));
      const entry = record && all[record.index];
      if (!entry || entry.directory || record.path !== info.path)
        throw invalidZip(file, new Error(`no entry "${info.path}"`));
      const chunks = inflate(entry, record, reader, budget.entry(info), signal, (found) =>
        budget.overDeclared(info, found),
      );
      return verified(chunks, record);
    },
  };
}

function recordOf(entry: Entry, index: number): CentralRecord {
  const fields = entry as Entry & EntryFields;
  return {
    index,
    path: entry.filename,
    rawName: entry.rawFilename,
    directory: entry.directory,
    offset: entry.offset,
    compressedSize: entry.compressedSize,
    size: entry.uncompressedSize,
    crc32: entry.signature ?? 0,
    method: fields.compressionMethod ?? 0,
    flags: fields.rawBitFlag ?? 0,
  };
}

// Reads an entry's local header and throws `zip_entry_mismatch` if it disagrees with the central
// directory. Encrypted entries are left to zip.js, which refuses them (cocokit takes no password).
async function checkLocalHeader(entry: Entry, record: CentralRecord, reader: ZipJsInput): Promise<void> {
  const readable = reader as Partial<Reader<unknown>>;
  if (entry.encrypted || typeof readable.readUint8Array !== "function") return;
  const head = await readable.readUint8Array(record.offset, 30);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // A missing signature is a broken archive, not a disagreement; zip.js says so when it reads on.
  if (head.length < 30 || view.getUint32(0, true) !== 0x04034b50) return;
  const tail = await readable.readUint8Array(
    record.offset + 30,
    view.getUint16(26, true) + view.getUint16(28, true),
  );
  const whole = new Uint8Array(30 + tail.length);
  whole.set(head);
  whole.set(tail, 30);
  const local = parseLocalHeader(whole);
  applyLocalZip64(local, whole.subarray(30 + local.nameLength));
  const mismatch = localHeaderMismatch(record, local);
  if (mismatch) throw entryMismatch(record.path, mismatch);
}

// zip.js's messages when an entry inflates to another size than declared, and when its local
// header disagrees with the central directory (reason "mismatched local file header (...)").
const ZIPJS_SIZE_ERROR = "Invalid uncompressed size";
const ZIPJS_AMBIGUOUS = "Ambiguous archive";

async function* inflate(
  entry: Entry & { directory: false },
  record: CentralRecord,
  source: ZipJsInput,
  count: (bytes: number) => void,
  signal: AbortSignal | undefined,
  overDeclared: (found?: string) => Error,
): AsyncGenerator<Uint8Array> {
  const { path } = record;
  throwIfAborted(signal, path);
  await checkLocalHeader(entry, record, source);
  // zip.js stops an entry whose size differs from its headers itself: past the declared size that
  // is a zip bomb, short of it a damaged or lying entry.
  const failed = (cause: unknown) => {
    if (!(cause instanceof Error)) return invalidZip(path, cause);
    if (cause.message === ZIPJS_SIZE_ERROR) {
      // zip.js stops an entry whose size differs from its headers itself, and its error does not
      // say whether it ran long or short: it is refused as a possible bomb either way, and the
      // message claims no more than zip.js knows.
      const written = (cause as { outputSize?: unknown }).outputSize;
      return typeof written === "number" && written < record.size
        ? overDeclared(`a size other than declared (zip.js stopped the entry after ${written} bytes)`)
        : overDeclared();
    }
    const reason = (cause as { reason?: unknown }).reason;
    if (
      cause.message === ZIPJS_AMBIGUOUS &&
      typeof reason === "string" &&
      reason.startsWith("mismatched local")
    )
      return entryMismatch(path, `a ${reason.replace(/^mismatched /, "")} that differs`);
    return invalidZip(path, cause);
  };
  // The pipe's small buffer is the back-pressure that keeps inflation a few chunks ahead of the
  // reader, so a limit check here stops a bomb while it inflates.
  const pipe = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    { highWaterMark: 2 },
    { highWaterMark: 2 },
  );
  let failure: unknown;
  const writing = entry
    .getData(pipe.writable, { checkSignature: false, checkLocalFilename: true, useWebWorkers: false })
    .catch((e: unknown) => {
      failure ??= e;
      // zip.js refuses some entries before it takes the pipe (a bad local header, data out of
      // bounds); error the pipe then, or the read below would wait forever.
      pipe.writable.abort(e).catch(() => undefined);
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
