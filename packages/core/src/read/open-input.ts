import { CocokitError } from "../errors.js";
import { chunksOf } from "../json/chunks-of.js";
import { type FileTree, onceOnly, treeFromZip } from "../layouts/file-tree.js";
import { type ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { looksLikeZip, notAZip, openZip } from "../zip/read-zip.js";
import { type FolderInput, folderTree, isFolderInput } from "./folder-input.js";
import type { ReadDatasetOptions } from "./read-options.js";

/** What `importDataset` and `validateDataset` read: JSON or zip bytes, in memory or streamed, or a browser folder (`folderInput`). */
export type DatasetInput =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | FolderInput;

/**
 * Turns any input into a file tree: a zip's entries, a folder's files, or one JSON file. Reports `read` while a
 * streamed zip is buffered (its length is not known) and `unzip` once a zip's entries are listed.
 */
export async function openInput(
  input: DatasetInput,
  options: ReadDatasetOptions,
  progress: ProgressReporter,
): Promise<FileTree> {
  throwIfAborted(options.signal, options.name);
  if (isFolderInput(input)) return folderTree(input);
  const named =
    options.name ?? (typeof File !== "undefined" && input instanceof File ? input.name : undefined);
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (looksLikeZip(bytes)) return zipTree(bytes, named ?? "dataset.zip", options, progress);
    return jsonTree(named ?? "dataset.json", () => chunksOf(bytes), bytes.length);
  }
  if (input instanceof Blob) {
    const head = new Uint8Array(await input.slice(0, 4).arrayBuffer());
    if (looksLikeZip(head)) return zipTree(input, named ?? "dataset.zip", options, progress);
    return jsonTree(named ?? "dataset.json", () => chunksOf(input), input.size);
  }
  if (!(input instanceof ReadableStream) && !isAsyncIterable(input)) throw unsupported(input, named);
  // A one-shot stream: peek at its start, then either buffer it for the zip reader (a zip needs
  // random access: a Blob, which browsers may keep on disk) or hand it on as JSON.
  const iterator = (input instanceof ReadableStream ? chunksOf(input) : (input as AsyncIterable<Uint8Array>))[
    Symbol.asyncIterator
  ]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < 4) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const first =
    head.length === 1
      ? (head[0] as Uint8Array)
      : new Uint8Array(await new Blob(head as BlobPart[]).arrayBuffer());
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield* head;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  if (looksLikeZip(first)) {
    const file = named ?? "dataset.zip";
    const parts: BlobPart[] = [];
    let read = 0;
    for await (const chunk of rest) {
      parts.push(chunk as BlobPart);
      read += chunk.length;
      progress.report({ phase: "read", done: read, unit: "bytes", file });
      throwIfAborted(options.signal, file);
    }
    progress.report({ phase: "read", done: read, total: read, unit: "bytes", file });
    throwIfAborted(options.signal, file);
    return zipTree(new Blob(parts), file, options, progress);
  }
  return jsonTree(named ?? "dataset.json", onceOnly(rest, named ?? "dataset.json"));
}

function isAsyncIterable(input: unknown): input is AsyncIterable<Uint8Array> {
  return typeof (input as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
}

// A path string is the usual mistake (it names a file; only the Node helpers open files).
function unsupported(input: unknown, name: string | undefined): CocokitError {
  const found =
    typeof input === "string"
      ? `a string (${JSON.stringify(input.slice(0, 100))}); to read a file by its path use importPath from @cocokit/core/node`
      : input === null
        ? "null"
        : `a value of type ${typeof input}`;
  return new CocokitError(
    "unsupported_input",
    `expected bytes (Uint8Array, ArrayBuffer), a Blob, a ReadableStream or an async iterable of bytes, found ${found}`,
    name === undefined ? {} : { file: name },
  );
}

function jsonTree(name: string, open: () => AsyncIterable<Uint8Array>, size?: number): FileTree {
  if (name.toLowerCase().endsWith(".zip")) throw notAZip(name);
  return { container: "file", name, files: [{ path: name, open, ...(size === undefined ? {} : { size }) }] };
}

async function zipTree(
  input: Uint8Array | Blob,
  name: string,
  options: ReadDatasetOptions,
  progress: ProgressReporter,
): Promise<FileTree> {
  const zip = await openZip(input, { ...options.zip, file: name });
  return listedZip(treeFromZip(zip, name), options.signal, progress);
}

/**
 * The `unzip` phase: the archive's entries are listed (total = the entry count). Entries are
 * inflated as they are read, so the bytes of that show in `parse` and `media`.
 */
export function listedZip(
  tree: FileTree,
  signal: AbortSignal | undefined,
  progress: ProgressReporter,
): FileTree {
  const total = tree.files.length;
  progress.report({ phase: "unzip", done: total, total, unit: "files", file: tree.name });
  throwIfAborted(signal, tree.name);
  return tree;
}
