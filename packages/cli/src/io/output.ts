import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { stdout } from "node:process";

type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/** A web stream's chunks as an async iterable (lib types do not declare its iterator). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    // Stopping early (an error writing) cancels the producer instead of leaving it running.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * Writes chunks (an iterable or a web stream) to `path` atomically: into a hidden temporary
 * sibling, then renamed over the target, so a failure midway leaves no partial file. `-` writes
 * to stdout as the chunks come.
 */
export async function writeAtomically(path: string, source: Chunks): Promise<void> {
  const chunks = source instanceof ReadableStream ? chunksOf(source) : source;
  if (path === "-") {
    for await (const chunk of chunks) {
      if (!stdout.write(chunk)) await new Promise((resolve) => stdout.once("drain", resolve));
    }
    return;
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  try {
    for await (const chunk of chunks) await handle.write(chunk);
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes text to `path` atomically, or to stdout for `-`. */
export function writeTextAtomically(path: string, text: string): Promise<void> {
  return writeAtomically(path, [new TextEncoder().encode(text)]);
}
