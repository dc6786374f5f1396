import { COMMA, DIGIT_0, DOT, MINUS } from "./bytes.js";

/**
 * JSON as UTF-8 bytes, for export. `JSON.stringify` spends most of an export turning doubles into
 * their shortest decimal text (about 60 ns each, and a COCO file holds tens of millions); the
 * coordinates COCO files hold are short decimals (`418.03`), which this writer turns into text from
 * an integer in a few steps, giving the same text `JSON.stringify` gives. Everything else is written
 * by `JSON.stringify`.
 *
 * Lists are read only by `Float64Array.prototype.set`, never element by element here: V8 compiles
 * a read that has seen both number lists and other lists into one that first converts each number
 * list to boxed numbers, which doubles the memory of the dataset being written.
 */

const POW10 = Array.from({ length: 17 }, (_, k) => 10 ** k);
// Numbers are written from integers below this: a double's spacing there is below one unit of the
// last digit written, so no shorter text reads back as the same double, and the digits are the
// ones JSON.stringify picks (the shortest that read back).
const MAX_DIGITS = 1e15;
// Up to six digits after the point take the short path; longer fractions go to JSON.stringify.
const SCALE = 1e6;
const INT32 = 2 ** 31;

/**
 * A JSON object whose listed members are known to hold only numbers, such as the polygons and
 * boxes of an export, checked by `checkForExport` before anything is written. `JsonBytes.record`
 * writes those members by the short path; `JSON.stringify` writes the object as it is.
 */
export class NumericRecord {
  constructor(
    readonly value: Record<string, unknown>,
    /** Members of `value` that are lists of numbers. */
    readonly lists: readonly unknown[],
    /** Members of `value` that are lists of lists of numbers. */
    readonly listsOfLists: readonly unknown[],
  ) {}

  toJSON(): Record<string, unknown> {
    return this.value;
  }
}

/** A JSON writer into one growing byte buffer; `take` hands over what was written so far. */
export class JsonBytes {
  private bytes = new Uint8Array(1 << 17);
  private at = 0;
  private readonly encoder = new TextEncoder();
  private numbers = new Float64Array(256);
  // Quoted keys as written: records repeat the same few.
  private readonly keys = new Map<string, string>();

  /** Bytes written and not yet taken. */
  get size(): number {
    return this.at;
  }

  /** The bytes written since the last call, as a new array. */
  take(): Uint8Array {
    const out = this.bytes.slice(0, this.at);
    this.at = 0;
    return out;
  }

  /** Writes text that is JSON already. */
  raw(text: string): void {
    const n = text.length;
    this.reserve(n);
    const b = this.bytes;
    let at = this.at;
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80) {
        // Not ASCII: the encoder writes it all (at most 3 bytes per UTF-16 unit).
        this.reserve(3 * n);
        this.at += this.encoder.encodeInto(text, this.bytes.subarray(this.at)).written;
        return;
      }
      b[at++] = c;
    }
    this.at = at;
  }

  /** Writes `value` as `JSON.stringify` does (`null` where it gives undefined, as in a list). */
  value(value: unknown): void {
    if (value instanceof NumericRecord) this.record(value);
    else this.raw(JSON.stringify(value) ?? "null");
  }

  /** Writes a record as `JSON.stringify(record.value)` does, its number members by the short path. */
  record(record: NumericRecord): void {
    const o = record.value;
    let first = true;
    this.raw("{");
    for (const key of Object.keys(o)) {
      const v = o[key];
      let text: string | undefined;
      if (typeof v !== "number" && !record.lists.includes(v) && !record.listsOfLists.includes(v)) {
        text = memberText(key, v);
        if (text === undefined) continue;
      }
      if (!first) this.raw(",");
      first = false;
      this.raw(this.quoted(key));
      this.raw(":");
      if (text !== undefined) this.raw(text);
      else if (typeof v === "number") {
        this.numbers[0] = v;
        this.reserve(20);
        this.writeNumbers(1);
      } else if (record.lists.includes(v)) this.numberList(v as readonly number[]);
      else {
        const lists = v as readonly (readonly number[])[];
        this.raw("[");
        for (let k = 0; k < lists.length; k++) {
          if (k > 0) this.raw(",");
          this.numberList(lists[k] as readonly number[]);
        }
        this.raw("]");
      }
    }
    this.raw("}");
  }

  private numberList(list: readonly number[]): void {
    const n = list.length;
    if (this.numbers.length < n) this.numbers = new Float64Array(Math.max(n, 2 * this.numbers.length));
    this.numbers.set(list);
    this.reserve(20 * n + 2);
    this.bytes[this.at++] = 0x5b;
    this.writeNumbers(n);
    this.bytes[this.at++] = 0x5d;
  }

  // The first n of `numbers`, comma-separated; room for 20 bytes per number is reserved already.
  private writeNumbers(n: number): void {
    const f = this.numbers;
    let b = this.bytes;
    let at = this.at;
    for (let k = 0; k < n; k++) {
      if (k > 0) b[at++] = COMMA;
      const x = f[k] as number;
      // x = m·10^-decimals, when x is an integer or a decimal of up to six places.
      let m = 0;
      let decimals = 0;
      if (Number.isInteger(x) && x < MAX_DIGITS && x > -MAX_DIGITS) m = x;
      else {
        const r = Math.round(x * SCALE);
        // r / 10^6 is correctly rounded, so equality means the decimal r·10^-6 reads back as x.
        if (!(r / SCALE === x && r < MAX_DIGITS && r > -MAX_DIGITS)) {
          // A longer fraction, a huge or tiny number, NaN or ±Infinity (null).
          this.at = at;
          this.raw(JSON.stringify(x));
          this.reserve(20 * (n - k));
          b = this.bytes;
          at = this.at;
          continue;
        }
        m = r;
        decimals = 6;
        // Trailing zeros go (x is no integer, so a digit stays after the point).
        if (m < INT32 && m > -INT32) {
          let v = m | 0;
          while (v % 10 === 0) {
            v = (v / 10) | 0;
            decimals--;
          }
          m = v;
        } else {
          while (m % 10 === 0) {
            m /= 10;
            decimals--;
          }
        }
      }
      if (m < 0) {
        b[at++] = MINUS;
        m = -m;
      }
      // The digits of m, with at least one before the point ("0.05"), written from the last.
      let count = 1;
      while (count < 16 && m >= (POW10[count] as number)) count++;
      if (count <= decimals) count = decimals + 1;
      const end = at + count + (decimals > 0 ? 1 : 0);
      let pos = end;
      if (m < INT32) {
        // As int32, dividing by 10 is a multiplication.
        let v = m | 0;
        for (let digit = 0; digit < count; digit++) {
          if (digit === decimals && decimals > 0) b[--pos] = DOT;
          const q = (v / 10) | 0;
          b[--pos] = DIGIT_0 + v - q * 10;
          v = q;
        }
      } else {
        for (let digit = 0; digit < count; digit++) {
          if (digit === decimals && decimals > 0) b[--pos] = DOT;
          const q = Math.floor(m / 10);
          b[--pos] = DIGIT_0 + (m - q * 10);
          m = q;
        }
      }
      at = end;
    }
    this.at = at;
  }

  private quoted(key: string): string {
    let q = this.keys.get(key);
    if (q === undefined) {
      q = JSON.stringify(key);
      if (this.keys.size < 1024) this.keys.set(key, q);
    }
    return q;
  }

  private reserve(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}

// A member's value as JSON.stringify writes it inside its object, or undefined where it leaves the
// member out. A toJSON method is given the member's key, as JSON.stringify gives it.
function memberText(key: string, value: unknown): string | undefined {
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    const text = JSON.stringify({ [key]: value });
    const from = JSON.stringify(key).length + 2;
    return text.length > from ? text.slice(from, -1) : undefined;
  }
  return JSON.stringify(value);
}
