import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PutOptions, Storage } from "./storage.js";

/**
 * Storage in the data folder: a key is a path inside it. Moving a file in is a rename (jobs
 * write their files where they belong, so most puts move nothing).
 */
export class FolderStorage implements Storage {
  readonly kind = "folder";
  private readonly root: string;

  /** `root` may be relative (`--data ./cocokit-data`); refs are absolute, so a ref resolves to itself. */
  constructor(root: string) {
    this.root = resolvePath(root);
  }

  private resolve(ref: string): string {
    // Rows written before storage existed keep absolute paths; they resolve to themselves.
    return isAbsolute(ref) ? ref : join(this.root, ref);
  }

  ref(key: string): string {
    return this.resolve(key);
  }

  staging(key: string): string {
    return this.resolve(key);
  }

  async putFile(key: string, file: string, options: PutOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const target = this.resolve(key);
    if (target === file) return;
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      // Another file system (a temp dir elsewhere): copy beside the target, then rename.
      const temp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      await copyFile(file, temp);
      await rename(temp, target);
      await rm(file, { force: true });
    }
  }

  async putStream(key: string, body: Readable, options: PutOptions = {}): Promise<void> {
    const target = this.resolve(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await pipeline(body, createWriteStream(temp), options.signal ? { signal: options.signal } : {});
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async discard(key: string): Promise<void> {
    await this.delete(key);
  }

  async get(ref: string, range?: { start: number; end: number }): Promise<Readable> {
    // Opened first, so a missing file is an error here and not in the middle of a response.
    const handle = await open(this.resolve(ref), "r");
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async stat(ref: string) {
    const info = await stat(this.resolve(ref)).catch(() => undefined);
    return info?.isFile() ? { size: info.size } : undefined;
  }

  async delete(ref: string): Promise<void> {
    await rm(this.resolve(ref), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.resolve(prefix);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join("/"));
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.resolve(prefix), { recursive: true, force: true });
  }

  async toLocal(ref: string): Promise<string> {
    return this.resolve(ref);
  }

  async presign(): Promise<string> {
    throw new Error("presigned URLs need --storage s3://…; the data folder has none");
  }

  close(): void {}
}
