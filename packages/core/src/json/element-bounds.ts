import { BACKSLASH, QUOTE } from "./bytes.js";

/**
 * Where array elements end in the bytes of a chunk, found without parsing them: the scans that
 * split a top-level array into the records `scanRecords` hands to JSON.parse.
 */

// Byte classes of the record-end scan: 0 nothing to do, then '"', '[' or '{', and ',' ']' '}'.
const CLASS_QUOTE = 1;
const CLASS_OPEN = 2;
const CLASS_CLOSE = 3;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[0x22] = CLASS_QUOTE;
BYTE_CLASS[0x5b] = CLASS_OPEN;
BYTE_CLASS[0x7b] = CLASS_OPEN;
BYTE_CLASS[0x2c] = CLASS_CLOSE;
BYTE_CLASS[0x5d] = CLASS_CLOSE;
BYTE_CLASS[0x7d] = CLASS_CLOSE;

// At most this many elements are parsed in one call: large enough to amortise the call, small
// enough that the batch's text stays a small fraction of a chunk.
const BATCH_MAX = 4096;

// The text one JSON.parse call reads stays below this many bytes. V8 puts a longer string straight
// into its large-object space, where it outlives the young generation and waits for a full
// collection: a whole chunk's text per call let a 2.2 GB file's validation reach 1.1 GB at times,
// instead of about 0.5 GB.
const RUN_BYTES = 32 * 1024;

/**
 * The element ending at `end` (a ',' in `chunk`) and the complete elements that follow it in the
 * same chunk, as [start, end) pairs flattened: [start0, end0, start1, end1, …]. Stops at the first
 * element that is cut by the chunk's end, at anything that is not a plain next element (the state
 * machine then reads it and reports what is wrong) and after BATCH_MAX elements or RUN_BYTES.
 */
export function followingElements(chunk: Uint8Array, start: number, end: number): number[] {
  const bounds = [start, end];
  const n = chunk.length;
  let e = end;
  while (bounds.length < 2 * BATCH_MAX && e - start < RUN_BYTES && chunk[e] === 0x2c) {
    let p = e + 1;
    while (p < n && isSpace(chunk[p] as number)) p++;
    if (p >= n) break;
    const b = chunk[p] as number;
    if (b === 0x2c || b === 0x5d || b === 0x7d || b === 0x3a) break;
    const next = endOfElement(chunk, p);
    if (next < 0) break;
    bounds.push(p, next);
    e = next;
  }
  return bounds;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Where the record-end scan stands when a chunk ends inside a record. */
export interface ScanState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * The index of the ',' ']' or '}' that ends the current record (depth 0, outside strings), from
 * `from` on, or -1 when the chunk ends first; `state` carries depth and string state across
 * chunks. Locals and a byte-class table instead of the state machine's six compares a byte.
 */
export function scanToEnd(chunk: Uint8Array, from: number, state: ScanState): number {
  let depth = state.depth;
  let str = state.inString;
  let esc = state.escaped;
  let end = -1;
  for (let i = from; i < chunk.length; i++) {
    const b = chunk[i] as number;
    if (str) {
      if (esc) esc = false;
      else if (b === BACKSLASH) esc = true;
      else if (b === QUOTE) str = false;
      continue;
    }
    const c = BYTE_CLASS[b] as number;
    if (c === 0) continue;
    if (c === CLASS_QUOTE) str = true;
    else if (c === CLASS_OPEN) depth++;
    else if (depth === 0) {
      end = i;
      break;
    } else if (b !== 0x2c) depth--;
  }
  state.depth = depth;
  state.inString = str;
  state.escaped = esc;
  return end;
}

/** The index of the ',' ']' or '}' that ends the element starting at `from`, or -1 at the chunk's end. */
function endOfElement(chunk: Uint8Array, from: number): number {
  return scanToEnd(chunk, from, { depth: 0, inString: false, escaped: false });
}

/** The index of the '}' of the last "},{" in `chunk` after `from` and within RUN_BYTES of it, or -1. */
export function lastObjectBoundary(chunk: Uint8Array, from: number): number {
  const last = Math.min(chunk.length - 1, from + RUN_BYTES);
  for (let at = chunk.lastIndexOf(0x7b, last); at > from + 1; at = chunk.lastIndexOf(0x7b, at - 1)) {
    if (chunk[at - 1] === 0x2c && chunk[at - 2] === 0x7d) return at - 2;
  }
  return -1;
}

// Byte classes of the skip scan: brackets, quotes and backslashes; commas and the rest are 0.
const SKIP_QUOTE = 1;
const SKIP_OPEN = 2;
const SKIP_CLOSE = 3;
const SKIP_BACKSLASH = 4;
const SKIP_CLASS = new Uint8Array(256);
SKIP_CLASS[0x22] = SKIP_QUOTE;
SKIP_CLASS[0x5b] = SKIP_OPEN;
SKIP_CLASS[0x7b] = SKIP_OPEN;
SKIP_CLASS[0x5d] = SKIP_CLOSE;
SKIP_CLASS[0x7d] = SKIP_CLOSE;
SKIP_CLASS[0x5c] = SKIP_BACKSLASH;

/**
 * The index of the ']' or '}' at depth 0 (outside strings) from `from` on: the end of the array
 * whose elements are being skipped, or -1 when the chunk ends first (`state` carries depth and
 * string state; `escaped` means the chunk ended on a backslash in a string). Unlike `scanToEnd`
 * it does not stop at commas, and a backslash skips the byte after it, so the loop has one
 * compare for most bytes: about twice as fast, for a pass that needs no element of the array.
 */
export function skipToArrayEnd(chunk: Uint8Array, from: number, state: ScanState): number {
  let depth = state.depth;
  let str = state.inString;
  let i = state.escaped ? from + 1 : from;
  const n = chunk.length;
  for (; i < n; i++) {
    const c = SKIP_CLASS[chunk[i] as number] as number;
    if (c === 0) continue;
    if (str) {
      if (c === SKIP_BACKSLASH) i++;
      else if (c === SKIP_QUOTE) str = false;
      continue;
    }
    if (c === SKIP_QUOTE) str = true;
    else if (c === SKIP_OPEN) depth++;
    else if (c === SKIP_CLOSE) {
      if (depth === 0) {
        state.depth = 0;
        state.inString = false;
        state.escaped = false;
        return i;
      }
      depth--;
    }
  }
  state.depth = depth;
  state.inString = str;
  // The loop stepped past the end over the byte after a backslash: it is the next chunk's first.
  state.escaped = i > n;
  return -1;
}
