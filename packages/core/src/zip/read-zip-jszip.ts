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

// jszip's StreamHelper, as documented (https://stuk.github.io/jszip/documentation/api_streamhelper.html)
// but absent from its types. It is the only public way to inflate one entry in chunks in a browser:
// `async()` holds the whole entry, so a bomb would go off before any limit could stop it.
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
 * ranges, and inflated by jszip with their CRC-32 checked as they stream. Returns undefined when
 * jszip's objects cannot be told apart by name (see `objectsByName`): the caller reads the
 * archive with zip.js instead.
 */
export async function openJsZip(
  bytes: Uint8Array,
  limits: ZipLimits,
  file?: string,
): Promise<ZipArchive | undefined> {
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
  const byName = objectsByName(zip, records);
  if (!byName) return undefined;
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
    open(entry, signal) {
      const record = byKey.get(nameKey(entry.path));
      if (record?.path !== entry.path) throw invalidZip(file, new Error(`no entry "${entry.path}"`));
      const mismatch = localHeaderMismatch(record, record.local);
      if (mismatch) throw entryMismatch(record.path, mismatch);
      const object = byName.get(record.path);
      if (!object) throw invalidZip(record.path, new Error(`jszip did not read entry "${record.path}"`));
      return verified(inflate(object, budget.entry(entry), record, signal), record);
    },
  };
}

/**
 * Maps each entry name to the object jszip read for it, using only jszip's public listing, or
 * returns undefined when a name may not say which record an object holds. jszip names an object
 * after the entry's local header (decoded its own way, `..` and `.` resolved) and keeps one object
 * per name, so an archive is left to zip.js unless every record's local name is its central name,
 * in plain ASCII that both decoders read alike, and jszip kept one object per record.
 */
function objectsByName(
  zip: JSZip,
  records: readonly ArchiveRecord[],
): Map<string, JSZip.JSZipObject> | undefined {
  const objects = Object.values(zip.files);
  if (objects.length !== records.length) return undefined;
  for (const r of records) {
    // The central directory reader shares one view when both names have the same bytes.
    if (r.local.rawName !== r.rawName || !plainAscii(r.rawName, r.path)) return undefined;
  }
  const byName = new Map<string, JSZip.JSZipObject>();
  for (const object of objects)
    if (!object.dir && object.unsafeOriginalName !== undefined) byName.set(object.unsafeOriginalName, object);
  for (const r of records) if (!r.directory && !byName.has(r.path)) return undefined;
  return byName;
}

// True when the name is ASCII and was read from these bytes (not from a Unicode path field).
function plainAscii(raw: Uint8Array, path: string): boolean {
  if (raw.length !== path.length) return false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte >= 0x80 || byte !== path.charCodeAt(i)) return false;
  }
  return true;
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
  // internalStream is jszip's documented chunked reader, absent from its types
  // (https://stuk.github.io/jszip/documentation/api_zipobject/internal_stream.html).
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
