import type { Readable } from "node:stream";

/** What `stat` tells of a stored object. */
export interface StoredObject {
  size: number;
}

/** Options of a put. */
export interface PutOptions {
  contentType?: string;
  /** Stops the transfer; a stopped multipart upload is aborted, nothing stays stored. */
  signal?: AbortSignal;
}

/** Options of a presigned GET. */
export interface PresignOptions {
  /** Seconds the URL works. */
  expiresIn: number;
  /** Sent back as `Content-Disposition: attachment; filename=…`. */
  filename?: string;
  contentType?: string;
}

/**
 * Where uploads, job results and attached images are kept: the data folder or an S3 bucket.
 * Objects are named by keys such as `results/job-7.zip` or `media/3/12-7.jpg` ("/"-separated,
 * relative). Jobs never work on stored objects in place: they read a local copy (`toLocal`) and
 * write a local file that `putFile` then moves in.
 */
export interface Storage {
  readonly kind: "folder" | "s3";
  /**
   * What a job row keeps to find `key` again. The folder's is the file's absolute path (as rows
   * written before storage existed have), S3's the key itself. Every method takes either.
   */
  ref(key: string): string;
  /**
   * A local path where a job writes the file it will put as `key`. For the folder it is the
   * object's own path, so `putFile` has nothing to move; for S3 a temporary file beside the
   * folder `….staged.tmp` of its own (removed with a job's other temporaries); the file keeps
   * the key's name, as core picks what to write by its extension.
   */
  staging(key: string): string;
  /** Moves a local file in as `key`: the local file is gone afterwards (big files go up in parts). */
  putFile(key: string, file: string, options?: PutOptions): Promise<void>;
  /**
   * Removes what a failed job wrote for `key`: its staged local file and the stored object.
   */
  discard(key: string): Promise<void>;
  /** Stores a stream as `key`; a stream that fails stores nothing. */
  putStream(key: string, body: Readable, options?: PutOptions): Promise<void>;
  /** The object's bytes, or those of `range` (inclusive ends); throws when it does not exist. */
  get(ref: string, range?: { start: number; end: number }): Promise<Readable>;
  /** The object's size, or undefined when there is none. */
  stat(ref: string): Promise<StoredObject | undefined>;
  /** Removes the object; no error when it is already gone. */
  delete(ref: string): Promise<void>;
  /** The keys under a prefix (`media/3/`). */
  list(prefix: string): Promise<string[]>;
  /** Removes every object under a prefix. */
  deletePrefix(prefix: string): Promise<void>;
  /**
   * A local file with the object's bytes, for a job: the folder's own file, or S3's object
   * downloaded to the same relative path in the data folder (the caller removes that copy).
   */
  toLocal(ref: string, signal?: AbortSignal): Promise<string>;
  /** A URL that GETs the object without credentials for `expiresIn` seconds; S3 only. */
  presign(ref: string, options: PresignOptions): Promise<string>;
  /** Ends the storage's connections. */
  close(): void;
}

/**
 * Thrown when the storage cannot be reached or refuses a request; a job that meets it fails with
 * the code `storage_unavailable` and the storage's own reason in the message.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code = "storage_unavailable";
}
