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

/**
 * Rewrites every entry's declared uncompressed size (local header and central directory) to
 * `size`, as a zip bomb would, so tests prove limits count inflated bytes, not declared ones.
 */
export function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let patched = 0;
  for (let at = 0; at + 30 <= out.length; at++) {
    const signature = view.getUint32(at, true);
    // Local file header: size at +22; central directory header: size at +24.
    if (signature === 0x04034b50) view.setUint32(at + 22, size, true);
    else if (signature === 0x02014b50) view.setUint32(at + 24, size, true);
    else continue;
    patched++;
  }
  if (patched === 0) throw new Error("no zip headers found to patch");
  return out;
}
