// Writes zip archives byte by byte for the hostile-archive tests: every header field can be set on
// its own, so a test can make the central directory and a local header disagree, lie about a
// CRC-32, repeat a name, or point several central entries at one local record (an overlapping zip
// bomb, as in David Fifield's "A better zip bomb"). Hand-written on purpose: the readers under test
// must never have had a say in how the bytes were made.
import { deflateRawSync } from "node:zlib";
import { crc32 } from "../src/zip/crc32.js";

const encoder = new TextEncoder();

/** One entry: its name and data, how it is stored, and any header field to falsify. */
export interface RawEntry {
  name: string;
  data: string | Uint8Array;
  /** 8 = deflate (default), 0 = stored. */
  method?: number;
  /** A CRC-32 written in both headers instead of the true one. */
  crc?: number;
  /** Fields written in the local header instead of the true ones. */
  local?: Partial<HeaderFields>;
  /** Fields written in the central directory instead of the true ones. */
  central?: Partial<HeaderFields>;
}

/** The header fields a test can falsify. */
export interface HeaderFields {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
}

/** An entry ready to be written: true header fields and the stored (maybe compressed) bytes. */
export interface Prepared {
  fields: HeaderFields;
  stored: Uint8Array;
  entry: RawEntry;
}

/** Compresses an entry's data and works out its true header fields. */
export function prepare(entry: RawEntry): Prepared {
  const data = typeof entry.data === "string" ? encoder.encode(entry.data) : entry.data;
  const method = entry.method ?? 8;
  const stored = method === 8 ? new Uint8Array(deflateRawSync(data)) : data;
  return {
    entry,
    stored,
    fields: {
      name: entry.name,
      method,
      flags: 0x0800,
      crc: entry.crc ?? crc32(data),
      compressedSize: stored.length,
      size: data.length,
    },
  };
}

/** The local file header and data of an entry. */
export function localRecord(p: Prepared): Uint8Array {
  const f = { ...p.fields, ...p.entry.local };
  const name = encoder.encode(f.name);
  const out = new Uint8Array(30 + name.length + p.stored.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, f.flags, true);
  view.setUint16(8, f.method, true);
  view.setUint32(14, f.crc, true);
  view.setUint32(18, f.compressedSize, true);
  view.setUint32(22, f.size, true);
  view.setUint16(26, name.length, true);
  out.set(name, 30);
  out.set(p.stored, 30 + name.length);
  return out;
}

/** The central directory header of an entry whose local header is at `offset`. */
export function centralRecord(p: Prepared, offset: number): Uint8Array {
  const f = { ...p.fields, ...p.entry.central };
  const name = encoder.encode(f.name);
  const out = new Uint8Array(46 + name.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x02014b50, true);
  view.setUint16(4, 20, true);
  view.setUint16(6, 20, true);
  view.setUint16(8, f.flags, true);
  view.setUint16(10, f.method, true);
  view.setUint32(16, f.crc, true);
  view.setUint32(20, f.compressedSize, true);
  view.setUint32(24, f.size, true);
  view.setUint16(28, name.length, true);
  view.setUint32(42, offset, true);
  out.set(name, 46);
  return out;
}

/** Joins local records and central headers and closes the archive with its end record. */
export function assemble(locals: readonly Uint8Array[], centrals: readonly Uint8Array[]): Uint8Array {
  const localSize = locals.reduce((n, b) => n + b.length, 0);
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals]) {
    out.set(part, at);
    at += part.length;
  }
  const view = new DataView(out.buffer);
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, centrals.length, true);
  view.setUint16(at + 10, centrals.length, true);
  view.setUint32(at + 12, centralSize, true);
  view.setUint32(at + 16, localSize, true);
  return out;
}

/** A well-formed archive of the given entries, except for the fields each entry falsifies. */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const prepared = entries.map(prepare);
  const locals = prepared.map(localRecord);
  const centrals: Uint8Array[] = [];
  let offset = 0;
  prepared.forEach((p, i) => {
    centrals.push(centralRecord(p, offset));
    offset += (locals[i] as Uint8Array).length;
  });
  return assemble(locals, centrals);
}

/**
 * An overlapping zip bomb in its simplest form: one local record (the kernel), and `count` central
 * entries with their own names that all point at it.
 */
export function sharedKernelZip(kernel: RawEntry, names: readonly string[]): Uint8Array {
  const p = prepare(kernel);
  return assemble(
    [localRecord(p)],
    names.map((name) => centralRecord({ ...p, entry: { ...p.entry, central: { name } } }, 0)),
  );
}

/**
 * An overlapping bomb with quoting: the first entry is stored and its data is, byte for byte, the
 * second entry's local record, so both central entries are valid and the second lies inside the
 * first. Returns the archive and the second record's offset.
 */
export function quotedZip(outer: string, inner: RawEntry): { bytes: Uint8Array; innerOffset: number } {
  const innerP = prepare(inner);
  const innerRecord = localRecord(innerP);
  const outerP = prepare({ name: outer, data: innerRecord, method: 0 });
  const innerOffset = 30 + encoder.encode(outer).length;
  const bytes = assemble(
    [localRecord(outerP)],
    [centralRecord(outerP, 0), centralRecord(innerP, innerOffset)],
  );
  return { bytes, innerOffset };
}
