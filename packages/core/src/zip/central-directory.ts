// Reads an in-memory archive's central directory and every local header, for the jszip reader:
// jszip names entries after their local headers and keeps one entry per name, so the checks
// (names, overlaps, header agreement) need the archive's own records. It finds the records the way
// jszip does (last end record, data prepended before the archive shifts every offset), so each
// record lines up with the entry jszip read.
import { crc32 } from "./crc32.js";
import { applyLocalZip64, type CentralRecord, type LocalHeader } from "./entry-checks.js";

/** A central record with its local header and where its data starts in the bytes. */
export interface ArchiveRecord extends CentralRecord {
  local: LocalHeader;
  dataStart: number;
}

const END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const decoder = new TextDecoder();

class Broken extends Error {}

function lastIndexOf(view: DataView, signature: number, from: number): number {
  for (let i = from; i >= 0; i--) if (view.getUint32(i, true) === signature) return i;
  return -1;
}

/** Reads every central and local record; throws an Error (a damaged archive) when one cannot be. */
export function readCentralDirectory(bytes: Uint8Array): ArchiveRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  const inside = (at: number, length: number) => at >= 0 && at + length <= bytes.length;
  const endAt = bytes.length >= 22 ? lastIndexOf(view, END, bytes.length - 22) : -1;
  if (endAt < 0) throw new Broken("no end of central directory record");
  let count = u16(endAt + 10);
  let size = u32(endAt + 12);
  let start = u32(endAt + 16);
  let zip64Length = 0;
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) {
    const locator = endAt - 20;
    if (!inside(locator, 20) || u32(locator) !== ZIP64_LOCATOR) throw new Broken("no ZIP64 end locator");
    let record = u64(locator + 8);
    if (!inside(record, 56) || u32(record) !== ZIP64_END) record = lastIndexOf(view, ZIP64_END, locator - 56);
    if (record < 0) throw new Broken("no ZIP64 end record");
    count = u64(record + 32);
    size = u64(record + 40);
    start = u64(record + 48);
    zip64Length = 20 + 12 + u64(record + 4);
  }
  // Bytes before the archive (a self-extractor stub) push every record by the same amount.
  const shift = Math.max(0, endAt - (start + size + zip64Length));
  const records: ArchiveRecord[] = [];
  // One pass, reading fields straight from the bytes: a per-entry DataView or object spread costs
  // more than the parse itself on a 60,000-entry archive.
  const none = bytes.subarray(0, 0);
  for (let at = start + shift; inside(at, 46) && u32(at) === CENTRAL; ) {
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    if (!inside(at + 46, nameLength + extraLength + commentLength))
      throw new Broken("central record cut short");
    const nameAt = at + 46;
    const rawName = bytes.subarray(nameAt, nameAt + nameLength);
    const extra =
      extraLength === 0 ? none : bytes.subarray(nameAt + nameLength, nameAt + nameLength + extraLength);
    const flags = u16(at + 8);
    const sizes = { size: u32(at + 24), compressedSize: u32(at + 20), offset: u32(at + 42) };
    applyCentralZip64(sizes, extra);
    const path = nameOf(rawName, flags, extra);
    const offset = sizes.offset + shift;
    if (!inside(offset, 30) || u32(offset) !== LOCAL) throw new Broken(`no local header for "${path}"`);
    const localNameLength = u16(offset + 26);
    const localExtraLength = u16(offset + 28);
    const localNameAt = offset + 30;
    if (!inside(localNameAt, localNameLength + localExtraLength))
      throw new Broken(`local header of "${path}" cut short`);
    const local: LocalHeader = {
      // The same bytes as the central name share its view; only a differing name needs its own.
      rawName: sameAt(bytes, nameAt, localNameAt, nameLength, localNameLength)
        ? rawName
        : bytes.subarray(localNameAt, localNameAt + localNameLength),
      flags: u16(offset + 6),
      method: u16(offset + 8),
      crc32: u32(offset + 14),
      compressedSize: u32(offset + 18),
      size: u32(offset + 22),
    };
    const localExtraAt = localNameAt + localNameLength;
    if (localExtraLength > 0)
      applyLocalZip64(local, bytes.subarray(localExtraAt, localExtraAt + localExtraLength));
    records.push({
      index: records.length,
      path,
      rawName,
      directory: (u32(at + 38) & 0x10) !== 0 || path.endsWith("/"),
      offset,
      compressedSize: sizes.compressedSize,
      size: sizes.size,
      crc32: u32(at + 16),
      method: u16(at + 10),
      flags,
      local,
      dataStart: localExtraAt + localExtraLength,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (records.length === 0 && count > 0) throw new Broken(`expected ${count} central records, found none`);
  return records;
}

function sameAt(bytes: Uint8Array, a: number, b: number, aLength: number, bLength: number): boolean {
  if (aLength !== bLength) return false;
  for (let i = 0; i < aLength; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

// ZIP64 values replace, in this order, whichever 32-bit fields are saturated.
function applyCentralZip64(
  r: { size: number; compressedSize: number; offset: number },
  extra: Uint8Array,
): void {
  if (
    extra.length === 0 ||
    (r.size !== 0xffffffff && r.compressedSize !== 0xffffffff && r.offset !== 0xffffffff)
  )
    return;
  const field = extraField(extra, 0x0001);
  if (!field) return;
  const view = new DataView(field.buffer, field.byteOffset, field.byteLength);
  let at = 0;
  const next = () => {
    const value = at + 8 <= field.length ? Number(view.getBigUint64(at, true)) : 0xffffffff;
    at += 8;
    return value;
  };
  if (r.size === 0xffffffff) r.size = next();
  if (r.compressedSize === 0xffffffff) r.compressedSize = next();
  if (r.offset === 0xffffffff) r.offset = next();
}

function extraField(extra: Uint8Array, id: number): Uint8Array | undefined {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = view.getUint16(at + 2, true);
    if (view.getUint16(at, true) === id)
      return extra.subarray(at + 4, Math.min(extra.length, at + 4 + length));
    at += 4 + length;
  }
  return undefined;
}

// TextDecoder costs microseconds a call, which a 60,000-entry listing feels; names are nearly
// always ASCII, and those are read byte for byte.
function decodeName(raw: Uint8Array): string {
  let ascii = raw.length <= 4096;
  for (let i = 0; ascii && i < raw.length; i++) ascii = (raw[i] as number) < 0x80;
  return ascii ? String.fromCharCode.apply(null, raw as unknown as number[]) : decoder.decode(raw);
}

// jszip's rule: UTF-8 when flagged; else a Unicode path extra field whose CRC matches the name;
// else the bytes read as UTF-8 anyway.
function nameOf(raw: Uint8Array, flags: number, extra: Uint8Array): string {
  if ((flags & 0x0800) === 0 && extra.length > 0) {
    const unicode = extraField(extra, 0x7075);
    if (unicode && unicode.length >= 5 && unicode[0] === 1) {
      const view = new DataView(unicode.buffer, unicode.byteOffset, unicode.byteLength);
      if (view.getUint32(1, true) === crc32(raw)) return decodeName(unicode.subarray(5));
    }
  }
  return decodeName(raw);
}
