import { RleError } from "./errors.js";

/** Throws `invalid_size` unless height and width are non-negative integers with height*width < 2^32. */
export function checkSize(height: number, width: number): void {
  if (!Number.isInteger(height) || height < 0 || !Number.isInteger(width) || width < 0) {
    throw new RleError(
      "invalid_size",
      `expected height and width to be non-negative integers, found ${String(height)}x${String(width)}`,
    );
  }
  if (height * width > 0xffffffff) {
    throw new RleError("invalid_size", `expected height*width < 2^32, found ${height}x${width}`);
  }
}

/** Sum of run lengths as an exact number. */
export function countsSum(counts: Uint32Array): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i] as number;
  return s;
}
