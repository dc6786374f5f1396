/** Where a record starts in the file, for error messages. */
export interface Position {
  line: number;
  column: number;
}

/**
 * The bytes of one record, gathered from one or more chunks. Pieces are kept as views and joined
 * once when the record is complete, so a record spanning many chunks costs linear time.
 */
export class RecordBytes {
  private pieces: Uint8Array[] = [];
  private size = 0;
  // The start is kept as (chunk, offset, chunk start position) and resolved only for an error
  // message: counting lines per record would make each chunk quadratic.
  private startChunk: Uint8Array = new Uint8Array(0);
  private startOffset = 0;
  private chunkStart: Position = { line: 1, column: 1 };

  /** Starts a new record at `chunk[offset]`; `line`/`column` are those of the chunk's first byte. */
  begin(chunk: Uint8Array, offset: number, line: number, column: number): void {
    this.pieces.length = 0;
    this.size = 0;
    this.startChunk = chunk;
    this.startOffset = offset;
    this.chunkStart = { line, column };
  }

  /** The record's start position, resolved by `locate(chunk, offset)` relative to its chunk. */
  position(locate: (chunk: Uint8Array, offset: number, from: Position) => Position): Position {
    return locate(this.startChunk, this.startOffset, this.chunkStart);
  }

  /** True when nothing was added since `begin`: the record starts in the chunk being read. */
  isEmpty(): boolean {
    return this.pieces.length === 0;
  }

  /** Adds `chunk[from, to)` to the record. */
  push(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.pieces.push(chunk.subarray(from, to));
    this.size += to - from;
  }

  /** The record's bytes (a view into the chunk when it came from one chunk). */
  take(): Uint8Array {
    const pieces = this.pieces;
    this.pieces = [];
    if (pieces.length === 1) return pieces[0] as Uint8Array;
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const piece of pieces) {
      out.set(piece, offset);
      offset += piece.length;
    }
    return out;
  }
}

/** The file position of a JSON.parse error in a record's text: V8 reports "at position N", a UTF-16 offset. */
export function errorPosition(text: string, message: string, start: Position): Position {
  const match = /position (\d+)/.exec(message);
  if (!match) return start;
  const offset = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf("\n");
  if (lastNewline < 0) return { line: start.line, column: start.column + offset };
  let lines = 0;
  for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) lines++;
  return { line: start.line + lines, column: offset - lastNewline };
}

/**
 * The line and column after a chunk. Newlines are found by the native `indexOf`, and only the part
 * after the last one is walked to count characters: a minified file (one line, hundreds of MB)
 * then costs nothing here, at the price of counting bytes, not characters, for the columns of a
 * line longer than a chunk (exact for ASCII, which such files almost always are).
 */
export function endOfChunk(
  chunk: Uint8Array,
  line: number,
  column: number,
): { line: number; column: number } {
  let last = -1;
  for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
    line++;
    last = at;
  }
  if (last < 0) return { line, column: column + chunk.length };
  let c = 1;
  for (let i = last + 1; i < chunk.length; i++) if (((chunk[i] as number) & 0xc0) !== 0x80) c++;
  return { line, column: c };
}
