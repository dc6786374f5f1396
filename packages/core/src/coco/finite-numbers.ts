/**
 * True when every value is a finite number. Runs over every coordinate of a file (tens of
 * millions for train2017), so it is an indexed loop, and `x - x` is 0 only for finite numbers.
 */
export function allFiniteNumbers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || v - v !== 0) return false;
  }
  return true;
}
