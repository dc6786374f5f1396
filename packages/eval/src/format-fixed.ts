/**
 * Python's `'{:.Nf}'.format(x)`: like `toFixed`, except that a value exactly halfway between two
 * outputs rounds to the even one (Python rounds the exact binary value half-even, JavaScript
 * rounds halves up: 0.0625 is "0.062" in Python, "0.063" from `toFixed(3)`).
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return x.toFixed(digits);
  // an exact tie: keep the truncated digits when the last one is even, else round up as toFixed does
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, "");
  const last = Number(kept[kept.length - 1]);
  const magnitude = last % 2 === 0 ? kept : Math.abs(x).toFixed(digits);
  return x < 0 ? `-${magnitude}` : magnitude;
}
