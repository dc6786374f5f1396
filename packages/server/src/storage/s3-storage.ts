import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3Location } from "./s3-url.js";
import { type PresignOptions, type PutOptions, type Storage, StorageError } from "./storage.js";

// Parts of a multipart upload: S3's minimum is 5 MiB; a few in flight keep the link busy.
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;
// A stopped or wrong endpoint fails a request within seconds, not after the OS's TCP timeout.
const CONNECTION_TIMEOUT_MS = 5000;

const STAGED = ".staged.tmp";

/** Removes a local file, and its folder when that is a staging folder. */
async function removeLocal(file: string): Promise<void> {
  await rm(basename(dirname(file)).endsWith(STAGED) ? dirname(file) : file, { recursive: true, force: true });
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404;
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string }).name === "AbortError";
}

/**
 * Storage in an S3 bucket (or an S3-compatible server: path-style addressing when an endpoint
 * is given). Credentials come from the SDK's standard chain (`AWS_ACCESS_KEY_ID`, …). Puts go
 * through lib-storage's `Upload`: one PUT for a small object, a multipart upload for a big one,
 * aborted when it fails or its signal fires, so no half object is ever visible.
 */
export class S3Storage implements Storage {
  readonly kind = "s3";
  private readonly client: S3Client;

  /** `dataDir` holds the local copies jobs work on. */
  constructor(
    private readonly location: S3Location,
    private readonly dataDir: string,
  ) {
    this.client = new S3Client({
      region: location.region ?? process.env.AWS_REGION ?? "us-east-1",
      ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint, forcePathStyle: true }),
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS },
      maxAttempts: 2,
    });
  }

  private key(ref: string): string {
    return this.location.prefix + ref;
  }

  /** Turns an SDK failure into a StorageError that says what was tried where; aborts and 404s pass. */
  private fail(operation: string, ref: string, error: unknown): never {
    if (isAbort(error) || error instanceof StorageError) throw error;
    const where = this.location.endpoint ?? "AWS S3";
    const reason = (error as Error).message || (error as Error).name || String(error);
    throw new StorageError(
      `expected S3 ${operation} of s3://${this.location.bucket}/${this.key(ref)} to succeed at ${where}, found: ${reason}`,
      { cause: error },
    );
  }

  ref(key: string): string {
    return key;
  }

  staging(key: string): string {
    // In a folder of its own named `….tmp`, which the boot sweep and a crashed job's cleanup
    // remove; the file keeps the key's name, whose extension tells core what to write.
    return join(this.dataDir, dirname(key), `${basename(key)}${STAGED}`, basename(key));
  }

  async putFile(key: string, file: string, options: PutOptions = {}): Promise<void> {
    await this.putStream(key, createReadStream(file), options);
    await removeLocal(file);
  }

  async discard(key: string): Promise<void> {
    await removeLocal(this.staging(key));
    await this.delete(key);
  }

  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.location.bucket,
        Key: this.key(key),
        Body: body,
        ...(options.contentType ? { ContentType: options.contentType } : {}),
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const abort = () => void upload.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      this.fail("upload", key, error);
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }

  async get(ref: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key(ref),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return response.Body as Readable;
    } catch (error) {
      return this.fail("GET", ref, error);
    }
  }

  async stat(ref: string) {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(ref) }),
      );
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      return this.fail("HEAD", ref, error);
    }
  }

  async delete(ref: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(ref) }));
    } catch (error) {
      if (!isNotFound(error)) this.fail("DELETE", ref, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    try {
      const pages = paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.location.bucket, Prefix: this.key(prefix) },
      );
      for await (const page of pages)
        for (const object of page.Contents ?? [])
          if (object.Key) keys.push(object.Key.slice(this.location.prefix.length));
    } catch (error) {
      this.fail("LIST", prefix, error);
    }
    return keys;
  }

  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    // DeleteObjects takes at most 1000 keys a request.
    for (let at = 0; at < keys.length; at += 1000) {
      const batch = keys.slice(at, at + 1000);
      try {
        await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.location.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.key(key) })), Quiet: true },
          }),
        );
      } catch (error) {
        this.fail("DELETE", prefix, error);
      }
    }
  }

  async toLocal(ref: string, signal?: AbortSignal): Promise<string> {
    const target = join(this.dataDir, ref);
    await mkdir(dirname(target), { recursive: true });
    const body = await this.get(ref);
    try {
      await pipeline(body, createWriteStream(target), signal ? { signal } : {});
    } catch (error) {
      await rm(target, { force: true });
      if (signal?.aborted) throw error;
      this.fail("download", ref, error);
    }
    return target;
  }

  async presign(ref: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.location.bucket,
      Key: this.key(ref),
      ...(options.filename
        ? { ResponseContentDisposition: `attachment; filename="${options.filename}"` }
        : {}),
      ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
    });
    // Signing is local (no request): it cannot fail on a stopped server.
    return getSignedUrl(this.client, command, { expiresIn: options.expiresIn });
  }

  close(): void {
    this.client.destroy();
  }
}
