import { open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { FileStore } from "@tus/file-store";
import type { FastifyRequest } from "fastify";
import { ApiError } from "../errors.js";
import type { Storage } from "./storage.js";
import { takeUpload } from "./tus-uploads.js";
import { receiveUpload, uploadName } from "./uploads.js";

/** Where a file body's bytes go and how big they may be. */
export interface FileBodyOptions {
  dataDir: string;
  maxUpload: number;
  tus: FileStore;
}

/** A request's file, on disk in a folder of its own under `uploads/`, and the name the user gave it. */
export interface RequestFile {
  path: string;
  name: string;
  /** How it came: the body itself, a multipart part, or a tus upload. */
  via: "body" | "part" | "upload";
}

// An upload reference is tiny; a COCO file this small is never `{"upload_id": "..."}` alone.
const REFERENCE_MAX_BYTES = 1024;

/** The multipart field that carries the file. */
export const MULTIPART_FIELD = "file";

function mainType(request: FastifyRequest): string {
  return (
    String(request.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim()
      .toLowerCase() ?? ""
  );
}

/**
 * The file a request sends, in one of three ways: the body itself (`application/json`,
 * `application/zip`), the `file` field of a `multipart/form-data` body, or a finished tus upload
 * named by a JSON body that is exactly `{"upload_id": "<id>"}`. Bodies are streamed to disk, never
 * held in memory; an upload's file is moved, not copied. `filename` (the query's) wins over the
 * name the client gave the part or the upload.
 */
export async function receiveRequestFile(
  request: FastifyRequest,
  options: FileBodyOptions,
  filename?: string,
): Promise<RequestFile> {
  const type = mainType(request);
  if (type === "multipart/form-data") return receivePart(request, options, filename);
  if (!request.body) throw new ApiError("EMPTY_BODY", "expected the file as the request body, found no body");
  const received = await receiveUpload(
    request.body as NodeJS.ReadableStream,
    options.dataDir,
    uploadName(filename, type),
    options.maxUpload,
  );
  if (type === "application/json" && received.bytes <= REFERENCE_MAX_BYTES) {
    const id = uploadReference(await readFile(received.path, "utf8"));
    if (id !== undefined) {
      await rm(dirname(received.path), { recursive: true, force: true });
      const taken = await takeUpload(options.tus, options.dataDir, id);
      return settle(taken.path, filename ?? taken.filename, "upload");
    }
  }
  return { path: received.path, name: filename ?? baseOf(received.path), via: "body" };
}

/** The id when a JSON text is exactly `{"upload_id": "<id>"}`, else undefined (a COCO file). */
export function uploadReference(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const id = (value as { upload_id?: unknown }).upload_id;
  return keys.length === 1 && typeof id === "string" ? id : undefined;
}

async function receivePart(
  request: FastifyRequest,
  options: FileBodyOptions,
  filename: string | undefined,
): Promise<RequestFile> {
  const part = await request.file({ limits: { fileSize: options.maxUpload, files: 1 } });
  if (!part) throw new ApiError("EMPTY_BODY", `expected a multipart field "${MULTIPART_FIELD}", found none`);
  if (part.fieldname !== MULTIPART_FIELD) {
    part.file.resume();
    throw new ApiError(
      "BAD_REQUEST",
      `expected the file in the multipart field "${MULTIPART_FIELD}", found "${part.fieldname}"`,
    );
  }
  const received = await receiveUpload(part.file, options.dataDir, "upload", options.maxUpload);
  // busboy stops the part at the limit without an error: the cut file must not be used.
  if (part.file.truncated) {
    await rm(dirname(received.path), { recursive: true, force: true });
    throw new ApiError(
      "UPLOAD_TOO_LARGE",
      `expected a file of at most ${options.maxUpload} bytes, found more`,
    );
  }
  return settle(received.path, filename ?? part.filename, "part");
}

/**
 * Gives a file whose type no header declared its name: `.zip` when its first bytes are a zip's,
 * else `.json` (core picks the reader by the extension). Renamed inside its own folder.
 */
async function settle(
  path: string,
  given: string | undefined,
  via: RequestFile["via"],
): Promise<RequestFile> {
  const head = Buffer.alloc(4);
  const handle = await open(path, "r");
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if ((await stat(path)).size === 0) {
    await rm(dirname(path), { recursive: true, force: true });
    throw new ApiError("EMPTY_BODY", "expected a file, found an empty one");
  }
  const extension = head[0] === 0x50 && head[1] === 0x4b ? ".zip" : ".json";
  const target = join(
    dirname(path),
    uploadName(given, extension === ".zip" ? "application/zip" : "application/json"),
  );
  await rename(path, target);
  // A given name of the other type would make core pick the wrong reader: the file's own name wins.
  const keep = given?.toLowerCase().endsWith(extension);
  return { path: target, name: keep ? (given as string) : baseOf(target), via };
}

/**
 * Moves a received file into storage for its job: in the data folder it stays where it is (its
 * path is the job's input); to S3 it goes as `uploads/<random>/<name>`, its local folder removed
 * (also when the put fails). Returns the file with the ref the job reads.
 */
export async function keepRequestFile(
  storage: Storage,
  dataDir: string,
  file: RequestFile,
): Promise<RequestFile> {
  if (storage.kind === "folder") return file;
  const key = relative(dataDir, file.path).split(sep).join("/");
  try {
    await storage.putFile(key, file.path, {
      contentType: file.path.endsWith(".zip") ? "application/zip" : "application/json",
    });
  } finally {
    await rm(dirname(file.path), { recursive: true, force: true });
  }
  return { ...file, path: storage.ref(key) };
}

function baseOf(path: string): string {
  return path.split(/[\\/]/).pop() as string;
}
