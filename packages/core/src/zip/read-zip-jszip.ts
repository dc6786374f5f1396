import JSZip from "jszip";
import {
  InflateBudget,
  invalidZip,
  isUnsafeEntryName,
  throwIfAborted,
  type ZipArchive,
  type ZipEntryInfo,
  type ZipLimits,
} from "./zip-archive.js";

// jszip keeps sizes on an internal object; reading them avoids inflating an entry to learn its size.
interface SizedObject {
  _data?: { compressedSize?: number; uncompressedSize?: number };
  unsafeOriginalName?: string;
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

/** Opens an in-memory zip with jszip (fine for small archives; it holds the whole archive). */
export async function openJsZip(bytes: Uint8Array, limits: ZipLimits, file?: string): Promise<ZipArchive> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false, createFolders: false });
  } catch (cause) {
    throw invalidZip(file, cause);
  }
  const budget = new InflateBudget(limits, file);
  const entries: ZipEntryInfo[] = [];
  const unsafe: string[] = [];
  const objects = new Map<string, JSZip.JSZipObject>();
  for (const object of Object.values(zip.files)) {
    if (object.dir) continue;
    const sized = object as unknown as SizedObject;
    const path = sized.unsafeOriginalName ?? object.name;
    if (isUnsafeEntryName(path)) {
      unsafe.push(path);
      continue;
    }
    const entry = {
      path,
      size: sized._data?.uncompressedSize ?? -1,
      compressedSize: sized._data?.compressedSize ?? 0,
    };
    entries.push(entry);
    objects.set(path, object);
  }
  budget.checkEntries(entries.length + unsafe.length);
  return {
    engine: "jszip",
    entries,
    unsafe,
    open(entry, signal) {
      const object = objects.get(entry.path);
      if (!object) throw invalidZip(file, new Error(`no entry "${entry.path}"`));
      return inflate(object, budget.entry(entry), entry.path, signal);
    },
  };
}

async function* inflate(
  object: JSZip.JSZipObject,
  count: (bytes: number) => void,
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
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
      queue.push(chunk);
      if (queue.length >= HIGH_WATER && !paused) {
        paused = true;
        stream.pause();
      }
      notify();
    })
    .on("error", (e: unknown) => {
      failure ??= invalidZip(path, e);
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
