import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { stdout } from "node:process";

/**
 * Writes chunks to `path` atomically: into a hidden temporary sibling, then renamed over the
 * target, so a failure midway leaves no partial file. `-` writes to stdout.
 */
export async function writeAtomically(
  path: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<void> {
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
