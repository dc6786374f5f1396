import { RleError } from "./errors.js";
import { sortUint32 } from "./natural-sort.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

// Reused scratch for crossing positions: no per-call allocation on the hot path.
let positions = new Uint32Array(4096);
// Vertices in 1/5 pixel: |5v + 0.5| <= 2e9 + 0.5 fits int32 (coordinates are checked |v| <= 4e8),
// so the per-sample arithmetic below stays in integers.
// Runs are built in a reused buffer; only the final copy (slice) is allocated per call.
let runsOut = new Uint32Array(4096);
let qx = new Int32Array(256);
let qy = new Int32Array(256);

function push(n: number, value: number): number {
  if (n >= positions.length) {
    const grown = new Uint32Array(positions.length * 2);
    grown.set(positions);
    positions = grown;
  }
  positions[n] = value;
  return n + 1;
}

// Crossings an edge ending at vertex j can add: at most one per sample, and (u being monotone along
// an edge) at most one per image column, plus one where it joins the previous edge.
function edgeBound(qx: Int32Array, qy: Int32Array, j: number, width: number): number {
  const len = Math.max(
    Math.abs((qx[j] as number) - (qx[j - 1] as number)),
    Math.abs((qy[j] as number) - (qy[j - 1] as number)),
  );
  return Math.min(len, width) + 2;
}

// Position of the crossing between two consecutive samples whose smaller u is `xm` and smaller v is
// `vm`, or -1: the reference records it when xd = (xm + 0.5) / 5 - 0.5 is an integral column inside
// the image, i.e. when xm = 5*xd + 2 (xm is an integer).
function crossing(u: number, vm: number, h: number, wMax: number): number {
  // u is an int32 (a sample coordinate): `| 0` keeps V8 on integer modulus instead of fmod.
  const xm = u | 0;
  if ((xm - 2) % 5 !== 0) return -1;
  const xd = (xm - 2) / 5;
  if (!(xd >= 0 && xd <= wMax)) return -1;
  let yd = (vm + 0.5) / 5 - 0.5;
  if (yd < 0) yd = 0;
  else if (yd > h) yd = h;
  return xd * h + Math.ceil(yd);
}

// Steep edge (v steps by one per sample, u = trunc(xs + s*t + 0.5) is monotone in t): a crossing
// needs consecutive samples whose u differ with the smaller one equal to 5*xd + 2. Instead of
// visiting every sample, visit each such column value c once and find, by estimate then exact
// correction with the reference's own expression, the one sample pair where u leaves (or reaches)
// c. Returns the new crossing count.
function steepEdge(
  pos: Uint32Array,
  n: number,
  xs: number,
  ys: number,
  s: number,
  len: number,
  flip: boolean,
  first: boolean,
  pu: number,
  pv: number,
  h: number,
  wMax: number,
): number {
  // The join with the previous edge, as in the sample-by-sample walk.
  const t0 = flip ? len : 0;
  const u0 = (xs + s * t0 + 0.5) | 0;
  if (!first && u0 !== pu) {
    const v0 = t0 + ys;
    const p = crossing(u0 < pu ? u0 : pu, v0 < pv ? v0 : pv, h, wMax);
    if (p !== -1) pos[n++] = p;
  }
  if (s === 0) return n;
  const uA = (xs + 0.5) | 0; // u at t = 0
  const uB = (xs + s * len + 0.5) | 0; // u at t = len
  const uLo = uA < uB ? uA : uB;
  const uHi = uA < uB ? uB : uA;
  // Smallest c = 5*xd + 2 with xd >= 0 and c >= uLo; the pair's smaller u is < uHi.
  let c = uLo <= 2 ? 2 : uLo + ((((2 - uLo) % 5) + 5) % 5);
  const cMax = Math.min(uHi - 1, 5 * wMax + 2);
  for (; c <= cMax; c += 5) {
    let t: number;
    if (s > 0) {
      // Last t with u(t) <= c, i.e. xs + s*t + 0.5 < c + 1 (c >= 2, so trunc acts as floor).
      t = Math.floor((c + 0.5 - xs) / s);
      if (t < 0) t = 0;
      else if (t > len) t = len;
      while (t < len && ((xs + s * (t + 1) + 0.5) | 0) <= c) t++;
      while (t > 0 && ((xs + s * t + 0.5) | 0) > c) t--;
      // The pair (t, t+1): u(t) must be exactly c and u(t+1) larger.
      if (t >= len || ((xs + s * t + 0.5) | 0) !== c) continue;
      const p = crossing(c, t + ys, h, wMax);
      if (p !== -1) pos[n++] = p;
    } else {
      // First t with u(t) <= c (u decreasing): the pair (t-1, t) with u(t) = c < u(t-1).
      t = Math.ceil((c + 0.5 - xs) / s);
      if (t < 0) t = 0;
      else if (t > len) t = len;
      while (t > 0 && ((xs + s * (t - 1) + 0.5) | 0) <= c) t--;
      while (t < len && ((xs + s * t + 0.5) | 0) > c) t++;
      if (t <= 0 || ((xs + s * t + 0.5) | 0) !== c) continue;
      const p = crossing(c, t - 1 + ys, h, wMax);
      if (p !== -1) pos[n++] = p;
    }
  }
  return n;
}

/**
 * Rasterises one polygon `[x0, y0, x1, y1, ...]` exactly like pycocotools `rleFrPoly`: even-odd fill
 * sampled at pixel centres with the boundary quantised to 1/5 pixel. Fewer than 3 points (or a
 * degenerate polygon) gives an empty mask; an odd trailing coordinate is ignored.
 * Throws `invalid_coordinates` for NaN/infinite or huge (|v| > 4e8) coordinates and `invalid_size`
 * for width 0 (where the reference produces runs that do not sum to 0).
 * @example fromPolygon([0, 0, 0, 1, 1, 1, 1, 0], 2, 2).counts // Uint32Array [0, 1, 3]
 */
export function fromPolygon(xy: ArrayLike<number>, height: number, width: number): Rle {
  checkSize(height, width);
  if (width === 0 && height > 0) {
    throw new RleError("invalid_size", "expected width > 0 to rasterise a polygon, found width 0");
  }
  const h = height;
  const k = xy.length >> 1;
  for (let i = 0; i < 2 * k; i++) {
    const v = xy[i] as number;
    if (typeof v !== "number" || !(Math.abs(v) <= 4e8)) {
      throw new RleError(
        "invalid_coordinates",
        `expected finite coordinates with |v| <= 4e8, found ${String(v)} at index ${i}`,
      );
    }
  }
  // Integer (1/5-pixel) vertices, and an upper bound on crossings to size the scratch once instead
  // of checking capacity per sample.
  if (qx.length < k + 1) {
    qx = new Int32Array(2 * k + 2);
    qy = new Int32Array(2 * k + 2);
  }
  let bound = 1;
  for (let j = 0; j < k; j++) {
    qx[j] = Math.trunc(5 * (xy[2 * j] as number) + 0.5);
    qy[j] = Math.trunc(5 * (xy[2 * j + 1] as number) + 0.5);
    if (j > 0) bound += edgeBound(qx, qy, j, width);
  }
  if (k > 0) {
    qx[k] = qx[0] as number;
    qy[k] = qy[0] as number;
    bound += edgeBound(qx, qy, k, width);
  }
  if (positions.length < bound) positions = new Uint32Array(bound + 1024);
  const pos = positions;
  let n = 0;
  // Previous sample (u, v); a crossing is recorded between consecutive samples whose u differ and
  // whose smaller u is 5*xd+2 for a column xd inside the image (the reference's integral `xd` test).
  let pu = 0;
  let pv = 0;
  let first = true;
  const wMax = width - 1;
  for (let j = 0; j < k; j++) {
    let xs = qx[j] as number;
    let xe = qx[j + 1] as number;
    let ys = qy[j] as number;
    let ye = qy[j + 1] as number;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    const steep = dx < dy;
    const len = steep ? dy : dx;
    const s = steep ? (xe - xs) / dy : (ye - ys) / dx;
    if (!steep && len > 0) {
      // Shallow edge: u steps by one per sample, so only sample pairs (t, t+1) with xs + t = 5*xd+2
      // can cross; visit just those (emission order does not matter: positions are sorted).
      const t0 = flip ? len : 0;
      const u0 = t0 + xs;
      const v0 = Math.trunc(ys + s * t0 + 0.5);
      if (!first && u0 !== pu) {
        const p = crossing(u0 < pu ? u0 : pu, v0 < pv ? v0 : pv, h, wMax);
        if (p !== -1) pos[n++] = p;
      }
      let t = (((2 - xs) % 5) + 5) % 5;
      if (t < 2 - xs) t += Math.ceil((2 - xs - t) / 5) * 5;
      const tEnd = Math.min(len - 1, 5 * wMax + 2 - xs);
      for (; t <= tEnd; t += 5) {
        const va = Math.trunc(ys + s * t + 0.5);
        const vb = Math.trunc(ys + s * (t + 1) + 0.5);
        const p = crossing(xs + t, va < vb ? va : vb, h, wMax);
        if (p !== -1) pos[n++] = p;
      }
      const tl = flip ? 0 : len;
      pu = tl + xs;
      pv = Math.trunc(ys + s * tl + 0.5);
      first = false;
      continue;
    }
    if (steep) {
      n = steepEdge(pos, n, xs, ys, s, len, flip, first, pu, pv, h, wMax);
      const tl = flip ? 0 : len;
      pu = (xs + s * tl + 0.5) | 0;
      pv = tl + ys;
      first = false;
      continue;
    }
    for (let d = 0; d <= len; d++) {
      const t = flip ? len - d : d;
      let u: number;
      let v: number;
      if (steep) {
        // Between xs and xe, so within int32: `| 0` truncates exactly like Math.trunc here.
        u = (xs + s * t + 0.5) | 0;
        v = t + ys;
      } else {
        u = t + xs;
        v = Math.trunc(ys + s * t + 0.5);
      }
      if (!first && u !== pu) {
        const p = crossing(u < pu ? u : pu, v < pv ? v : pv, h, wMax);
        if (p !== -1) pos[n++] = p;
      }
      first = false;
      pu = u;
      pv = v;
    }
  }
  n = push(n, h * width);
  const a = positions.subarray(0, n);
  sortUint32(a, n);
  if (runsOut.length < n) runsOut = new Uint32Array(n + 1024);
  const out = runsOut;
  let prev = 0;
  let m = 0;
  out[m++] = (a[0] as number) - prev;
  prev = a[0] as number;
  let j = 1;
  while (j < n) {
    const t = a[j] as number;
    const diff = t - prev;
    prev = t;
    j++;
    if (diff > 0) {
      out[m++] = diff;
    } else if (j < n) {
      const t2 = a[j] as number;
      out[m - 1] = (out[m - 1] as number) + (t2 - prev);
      prev = t2;
      j++;
    }
  }
  return { height, width, counts: out.slice(0, m) };
}
