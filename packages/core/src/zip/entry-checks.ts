import { CocokitError } from "../errors.js";
import { crc32, hex32 } from "./crc32.js";

/** What the central directory says about one entry: the fields the archive checks compare. */
export interface CentralRecord {
  /** Position in the central directory, from 0 (shown as entry `index + 1`). */
  index: number;
  /** The name as the reader decoded it. */
  path: string;
  /** The name's bytes as stored. */
  rawName: Uint8Array;
  directory: boolean;
  /** Where the entry's local header starts, counted from the start of the input. */
  offset: number;
  compressedSize: number;
  size: number;
  crc32: number;
  method: number;
  flags: number;
}

/** The fields of a local file header that must agree with the central directory. */
export interface LocalHeader {
  rawName: Uint8Array;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
}

// Encrypted, data descriptor, strong encryption, UTF-8 names: flags that change how an entry is
// read, so a local header that disagrees about them makes the archive mean two things.
const MEANINGFUL_FLAGS = 0x0001 | 0x0008 | 0x0040 | 0x0800;
const decoder = new TextDecoder();

/** Decodes a name for a message, cut to 200 characters. */
function shown(raw: Uint8Array): string {
  const text = decoder.decode(raw);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Says how a local header disagrees with its central directory entry (name, method, flags, CRC-32,
 * sizes), or undefined when they agree. Readers differ in which of the two they believe, so an
 * archive whose two copies differ can show one file to a checker and another to cocokit.
 */
export function localHeaderMismatch(central: CentralRecord, local: LocalHeader): string | undefined {
  if (!sameBytes(central.rawName, local.rawName))
    return `name "${shown(central.rawName)}" in the central directory, "${shown(local.rawName)}" in the local header`;
  if (central.method !== local.method)
    return `compression method ${central.method} in the central directory, ${local.method} in the local header`;
  if ((central.flags & MEANINGFUL_FLAGS) !== (local.flags & MEANINGFUL_FLAGS))
    return `flags 0x${central.flags.toString(16)} in the central directory, 0x${local.flags.toString(16)} in the local header`;
  // With a data descriptor (flag 8) the local header may leave CRC and sizes at 0; some writers
  // also leave them at 0 without the flag. The data's CRC is still checked while it inflates.
  const deferred =
    (local.flags & 0x0008) !== 0 || (local.crc32 === 0 && local.compressedSize === 0 && local.size === 0);
  if (deferred) return undefined;
  if (central.crc32 !== local.crc32)
    return `CRC-32 ${hex32(central.crc32)} in the central directory, ${hex32(local.crc32)} in the local header`;
  if (central.compressedSize !== local.compressedSize)
    return `compressed size ${central.compressedSize} in the central directory, ${local.compressedSize} in the local header`;
  if (central.size !== local.size)
    return `size ${central.size} in the central directory, ${local.size} in the local header`;
  return undefined;
}

/** The error for an entry whose headers (or data) disagree with its central directory entry. */
export function entryMismatch(path: string, found: string): CocokitError {
  return new CocokitError(
    "zip_entry_mismatch",
    `expected the local header of zip entry "${path}" to agree with the central directory, found ${found}; the entry was not read (the archive is damaged or built to mislead)`,
    { file: path },
  );
}

/** The error for an entry that inflates to fewer bytes than its central directory declares. */
export function shortEntry(path: string, declared: number, read: number): CocokitError {
  return new CocokitError(
    "zip_entry_mismatch",
    `expected zip entry "${path}" to inflate to the ${declared} bytes its central directory declares, found ${read}; the entry is damaged or its headers lie`,
    { file: path },
  );
}

/** Reads a local file header from its first bytes (30 fixed, then the name). */
export function parseLocalHeader(
  bytes: Uint8Array,
): LocalHeader & { nameLength: number; extraLength: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameLength = view.getUint16(26, true);
  return {
    flags: view.getUint16(6, true),
    method: view.getUint16(8, true),
    crc32: view.getUint32(14, true),
    compressedSize: view.getUint32(18, true),
    size: view.getUint32(22, true),
    nameLength,
    extraLength: view.getUint16(28, true),
    rawName: bytes.subarray(30, 30 + nameLength),
  };
}

/** Fills a ZIP64 local header's sizes (0xFFFFFFFF) from its ZIP64 extra field. */
export function applyLocalZip64(local: LocalHeader, extra: Uint8Array): void {
  if (local.size !== 0xffffffff && local.compressedSize !== 0xffffffff) return;
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001 && at + 4 + length <= extra.length) {
      // A local ZIP64 field always holds both sizes, uncompressed first.
      if (length >= 8) local.size = Number(view.getBigUint64(at + 4, true));
      if (length >= 16) local.compressedSize = Number(view.getBigUint64(at + 12, true));
      return;
    }
    at += 4 + length;
  }
}

/** The error for an entry whose data does not have the CRC-32 its central directory declares. */
export function crcMismatch(path: string, expected: number, found: number): CocokitError {
  return new CocokitError(
    "zip_crc_mismatch",
    `expected the data of zip entry "${path}" to have the CRC-32 ${hex32(expected)} its central directory declares, found ${hex32(found)}; the entry is damaged or was altered`,
    { file: path },
  );
}

/**
 * Passes an entry's inflated chunks through, computing their CRC-32 on the way; once the entry has
 * been read to its end, throws `zip_crc_mismatch` when the CRC differs and `zip_entry_mismatch`
 * when the data is shorter than declared (longer is stopped earlier, as `zip_limit_exceeded`). A
 * read stopped early (an image header) is not judged: only the bytes read are used.
 */
export async function* verified(
  chunks: AsyncIterable<Uint8Array>,
  record: Pick<CentralRecord, "path" | "crc32" | "size">,
): AsyncGenerator<Uint8Array> {
  let crc = 0;
  let read = 0;
  for await (const chunk of chunks) {
    crc = crc32(chunk, crc);
    read += chunk.length;
    yield chunk;
  }
  if (read < record.size) throw shortEntry(record.path, record.size, read);
  if (crc !== record.crc32) throw crcMismatch(record.path, record.crc32, crc);
}
