import { FolderStorage } from "./folder-storage.js";
import { S3Storage } from "./s3-storage.js";
import { parseS3Url } from "./s3-url.js";
import type { Storage } from "./storage.js";

/**
 * The storage a `--storage` setting names: an `s3://` bucket, or (unset) the data folder. The
 * API thread and every job's worker thread each open their own from the same string.
 */
export function openStorage(setting: string | undefined, dataDir: string): Storage {
  if (setting === undefined || setting === "") return new FolderStorage(dataDir);
  return new S3Storage(parseS3Url(setting), dataDir);
}
