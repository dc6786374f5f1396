/**
 * The bytes the streaming reader (`scanRecords`) looks at. JSON's structure is all ASCII, so in
 * UTF-8 each of these is one byte and never part of a multi-byte character: the reader can find
 * them in the raw bytes and leave decoding to the parts it hands to `JSON.parse`.
 */

export const QUOTE = 0x22; // "
export const BACKSLASH = 0x5c; // \
export const COMMA = 0x2c; // ,
export const COLON = 0x3a; // :
export const OPEN_BRACKET = 0x5b; // [
export const CLOSE_BRACKET = 0x5d; // ]
export const OPEN_BRACE = 0x7b; // {
export const CLOSE_BRACE = 0x7d; // }
export const MINUS = 0x2d; // -
export const DOT = 0x2e; // .
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const LOWER_T = 0x74; // true
export const LOWER_F = 0x66; // false
export const LOWER_N = 0x6e; // null
export const NEWLINE = 0x0a;

/** The UTF-8 byte order mark, which some editors write at the start of a file; it is skipped. */
export const BOM = [0xef, 0xbb, 0xbf] as const;

/** JSON's four whitespace bytes: space, line feed, carriage return, tab. */
export function isSpace(b: number): boolean {
  return b === 0x20 || b === NEWLINE || b === 0x0d || b === 0x09;
}

/** True for a byte that starts a JSON value other than an object (for the top-level type error). */
export function startsNonObjectValue(b: number): boolean {
  return (
    b === OPEN_BRACKET ||
    b === QUOTE ||
    b === MINUS ||
    (b >= DIGIT_0 && b <= DIGIT_9) ||
    b === LOWER_T ||
    b === LOWER_F ||
    b === LOWER_N
  );
}

/** True for a UTF-8 byte that starts a character (not a continuation byte), for column counts. */
export function startsCharacter(b: number): boolean {
  return (b & 0xc0) !== 0x80;
}
