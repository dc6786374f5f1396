import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { FileStore } from "@tus/file-store";
import { ApiError } from "../errors.js";
import { uploadsDir } from "./uploads.js";

/**
 * Where resumable uploads are written while they arrive. Not under `uploads/`: at boot that
 * folder loses everything no queued job reads, and a half-done tus upload must survive a restart.
 */
export function tusDir(dataDir: string): string {
  return join(dataDir, "tus");
}

/** The tus file store over the data folder; an upload expires `ttlHours` after its creation. */
export function createTusStore(dataDir: string, ttlHours: number): FileStore {
  return new FileStore({
    directory: tusDir(dataDir),
    expirationPeriodInMilliseconds: Math.max(1, Math.round(ttlHours * 3600_000)),
  });
}

// tus names uploads with 16 random bytes in hex; anything else cannot be one of ours.
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** A finished upload moved out of the tus store, ready for one job. */
export interface TakenUpload {
  /** The file, in a folder of its own under `uploads/` (the job removes the folder when done). */
  path: string;
  /** The name the client gave in its `Upload-Metadata` (`filename`), if any. */
  filename: string | undefined;
}

/**
 * Takes a finished upload for a job: its file is moved (never copied) to `uploads/<random>/upload`
 * and the upload is forgotten, so a second job cannot take it. 404 for an unknown or expired id,
 * 409 while bytes are still missing.
 */
export async function takeUpload(store: FileStore, dataDir: string, id: string): Promise<TakenUpload> {
  const notFound = () => new ApiError("UPLOAD_NOT_FOUND", `expected the id of an upload, found "${id}"`);
  if (!UPLOAD_ID.test(id)) throw notFound();
  const upload = await store.getUpload(id).catch(() => {
    throw notFound();
  });
  if (upload.size === undefined || upload.offset < upload.size)
    throw new ApiError(
      "UPLOAD_NOT_FINISHED",
      `expected a finished upload, found ${upload.offset} of ${upload.size ?? "an undeclared number of"} bytes received; PATCH the rest first`,
    );
  const dir = join(uploadsDir(dataDir), randomBytes(8).toString("hex"));
  await mkdir(dir, { recursive: true });
  const path = join(dir, "upload");
  try {
    await rename(join(tusDir(dataDir), id), path);
  } catch {
    // Another request took it first.
    await rm(dir, { recursive: true, force: true });
    throw notFound();
  }
  await store.configstore.delete(id);
  const filename = upload.metadata?.filename ?? undefined;
  return { path, filename: filename || undefined };
}
