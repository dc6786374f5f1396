// CRC-32 (the zip/PNG/gzip polynomial), updated chunk by chunk so an entry is checked while it
// streams and never held whole. Slicing-by-8: eight tables let the loop fold eight bytes per step,
// about 1 GB/s in V8 against 400 MB/s for the one-table loop; the tables cost 8 KiB.

const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number;
    for (let k = 1; k < 8; k++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

type Crc32 = (bytes: Uint8Array, previous: number) => number;
// A native CRC-32 installed by the Node entry (`useNodeZlib`: zlib's, several GB/s), where the
// table loop below costs a zip → json convert of W1 about 1.5 s of main-thread time per read.
let native: Crc32 | undefined;

/** Makes `crc32` use `fn` (same results: the zip polynomial, continued from `previous`). Internal. */
export function useNativeCrc32(fn: Crc32 | undefined): void {
  native = fn;
}

/**
 * Continues a CRC-32 over more bytes: `crc32(b, crc32(a))` equals the CRC of `a` then `b`.
 * Start with 0 (the CRC of no bytes).
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (native !== undefined) return native(bytes, previous) >>> 0;
  const t = TABLES;
  let c = ~previous;
  let i = 0;
  const end8 = bytes.length - 8;
  for (; i <= end8; i += 8) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (t[1792 + (c & 0xff)] as number) ^
      (t[1536 + ((c >>> 8) & 0xff)] as number) ^
      (t[1280 + ((c >>> 16) & 0xff)] as number) ^
      (t[1024 + (c >>> 24)] as number) ^
      (t[768 + (bytes[i + 4] as number)] as number) ^
      (t[512 + (bytes[i + 5] as number)] as number) ^
      (t[256 + (bytes[i + 6] as number)] as number) ^
      (t[bytes[i + 7] as number] as number);
  }
  for (; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** A CRC-32 as zip tools print it: `0x` and eight hex digits. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
}
