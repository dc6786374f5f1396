// Builds zip archives for tests: from a directory on disk, or from a list of entries.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import JSZip from "jszip";

/** Zips every file under `dir` (paths relative to it, `prefix` prepended). */
export async function zipDirectory(dir: string, prefix = ""): Promise<Uint8Array> {
  const zip = new JSZip();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else zip.file(prefix + relative(dir, path).split(sep).join("/"), await readFile(path));
    }
  };
  await walk(dir);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** Zips the given entries (name → text or bytes). */
export async function zipEntries(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(entries)) zip.file(name, data);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
