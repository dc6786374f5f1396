import type { Reader } from "@zip.js/zip.js";
import { CocokitError } from "../errors.js";
import type { OpenZipOptions, ZipArchive } from "./zip-archive.js";

// Under this size an in-memory archive goes to jszip; larger ones, Blobs and files go to zip.js.
export const JSZIP_MAX_BYTES = 32 * 1024 * 1024;

/** The error for an input named `.zip` that is not one. */
export function notAZip(file: string): CocokitError {
  return new CocokitError(
    "invalid_zip",
    `expected a zip archive (starting with "PK"), found other bytes in "${file}"`,
    { file },
  );
}

/** True when the bytes start like a zip archive (a local file header or an empty archive's end record). */
export function looksLikeZip(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 3 || head[2] === 5) &&
    head[3] === head[2] + 1
  );
}

/**
 * Opens a zip archive for reading, entry by entry. Which library reads it is cocokit's business:
 * jszip for small, plain in-memory archives, zip.js for the rest (Blobs and files by range, ZIP64,
 * names jszip cannot be trusted to keep apart). Both are loaded only when a zip is met, so reading
 * plain JSON never pulls them in. Throws `invalid_zip`, `zip_limit_exceeded`,
 * `overlapping_zip_entries` (entries sharing bytes: a zip bomb); repeated names are refused and
 * listed in `issues` (`duplicate_zip_entry`). Reading an entry checks its local header
 * (`zip_entry_mismatch`) and, as it streams, its CRC-32 (`zip_crc_mismatch`).
 * @example
 * const zip = await openZip(bytes);
 * for (const entry of zip.entries) console.log(entry.path, entry.size);
 */
export async function openZip(
  input: Uint8Array | Blob | Reader<unknown>,
  options: OpenZipOptions = {},
): Promise<ZipArchive> {
  if (input instanceof Uint8Array && input.length <= JSZIP_MAX_BYTES && !isZip64(input)) {
    const { openJsZip } = await import("./read-zip-jszip.js");
    const zip = await openJsZip(input, options, options.file);
    if (zip) return remember(zip, "jszip");
  }
  const { openZipJs } = await import("./read-zip-zipjs.js");
  return remember(await openZipJs(input, options, options.file), "zipjs");
}

// Which library read an archive: kept out of the public types, asked only by tests.
const engines = new WeakMap<ZipArchive, "jszip" | "zipjs">();

function remember(zip: ZipArchive, engine: "jszip" | "zipjs"): ZipArchive {
  engines.set(zip, engine);
  return zip;
}

/** Internal (not exported by the package): which library `openZip` chose for an archive. */
export function zipEngineOf(zip: ZipArchive): "jszip" | "zipjs" | undefined {
  return engines.get(zip);
}

// jszip reads ZIP64 only partly (it trips over >65,535 entries); send those archives to zip.js.
function isZip64(bytes: Uint8Array): boolean {
  const from = Math.max(0, bytes.length - 22 - 0xffff - 20);
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      const locator = i - 20;
      return (
        locator >= 0 &&
        bytes[locator] === 0x50 &&
        bytes[locator + 1] === 0x4b &&
        bytes[locator + 2] === 6 &&
        bytes[locator + 3] === 7
      );
    }
  }
  return false;
}
