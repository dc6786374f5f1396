// Benchmark workloads of shared/golden/rle/bench-workload.md against the built package, plus the
// pycocotools reference (shared/tools/bench_pycocotools.py) in the same run when a Python exists.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as M from "../dist/index.js";

const args = process.argv.slice(2);
const scaleArg = args.indexOf("--scale");
const scale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;
const onlyArg = args.indexOf("--only");
const only = onlyArg >= 0 ? args[onlyArg + 1] : "a,b,c,d,e,f,g";
const want = (...letters) => letters.some((l) => only.split(",").includes(l));
const seed = 42;
const S = (n) => Math.max(1, Math.floor(n * scale));
const H = 480;
const W = 640;

function mulberry32(a) {
  return {
    u32() {
      a = (a + 0x6d2b79f5) | 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    },
    uniform() {
      return this.u32() / 4294967296;
    },
    randint(lo, hi) {
      return lo + Math.floor(this.uniform() * (hi - lo + 1));
    },
  };
}
function stream(name) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return mulberry32((seed ^ h) >>> 0);
}
function polygon(r) {
  const n = r.randint(3, 40);
  const cx = r.uniform() * W;
  const cy = r.uniform() * H;
  const rmax = 2 + r.uniform() * 118;
  const pts = [];
  for (let i = 0; i < n; i++) {
    const t = ((i + r.uniform()) / n) * 4;
    const rad = rmax * (0.3 + 0.7 * r.uniform());
    const side = Math.floor(t);
    const f = t - side;
    let px;
    let py;
    if (side === 0) [px, py] = [-1 + 2 * f, -1];
    else if (side === 1) [px, py] = [1, -1 + 2 * f];
    else if (side === 2) [px, py] = [1 - 2 * f, 1];
    else [px, py] = [-1, 1 - 2 * f];
    pts.push(Math.floor((cx + rad * px) * 64) / 64, Math.floor((cy + rad * py) * 64) / 64);
  }
  return pts;
}
function objects(r, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const parts = [];
    const k = r.randint(1, 3);
    for (let j = 0; j < k; j++) parts.push(polygon(r));
    out.push(parts);
  }
  return out;
}
function mask(r) {
  const m = new Uint8Array(H * W); // column-major
  const k = r.randint(1, 4);
  for (let q = 0; q < k; q++) {
    const x0 = r.randint(0, W - 1);
    const y0 = r.randint(0, H - 1);
    const w = r.randint(1, 200);
    const h = r.randint(1, 200);
    for (let x = x0; x < Math.min(x0 + w, W); x++) m.fill(1, x * H + y0, x * H + Math.min(y0 + h, H));
  }
  const c = r.randint(0, 2);
  for (let q = 0; q < c; q++) {
    const cx = r.randint(0, W - 1);
    const cy = r.randint(0, H - 1);
    const rad = r.randint(1, 100);
    for (let x = 0; x < W; x++)
      for (let y = 0; y < H; y++) if ((y - cy) ** 2 + (x - cx) ** 2 <= rad * rad) m[x * H + y] = 1;
  }
  return m;
}
const annToRle = (parts) => M.merge(parts.map((p) => M.fromPolygon(p, H, W)));
// One untimed warm-up run (lets the JIT optimise), then at least 3 and at most 7 timed runs (stopping
// once 3 s were spent); the reported time is the MEDIAN of the timed runs. The pycocotools side
// (shared/tools/bench_pycocotools.py) times one single run per workload (compiled C, no JIT).
const RUNS_MIN = 3;
const RUNS_MAX = 7;
const BUDGET_S = 3;
function timed(fn) {
  let out = fn();
  const times = [];
  let total = 0;
  while (times.length < RUNS_MIN || (times.length < RUNS_MAX && total < BUDGET_S)) {
    const t0 = performance.now();
    out = fn();
    const t = (performance.now() - t0) / 1000;
    times.push(t);
    total += t;
  }
  times.sort((a, b) => a - b);
  return [out, times[times.length >> 1]];
}
const EXPECTED = {
  a_frPyObjects_merge: 1340853137,
  b_encode: 1479409,
  c_decode: 54949269,
  d_frString_toString: 79856497,
  e_area_toBbox: [1341457703, 80955791.0],
  f_rle_iou_100x100: 20234.64542586946,
  g_bbox_iou_1000x1000: 12427.64391785414,
};
const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const results = {};
function report(workload, ops, seconds, checksum) {
  const e = EXPECTED[workload];
  const ok =
    scale !== 1
      ? null
      : Array.isArray(e)
        ? e[0] === checksum[0] && near(checksum[1], e[1])
        : Number.isInteger(e)
          ? e === checksum
          : near(checksum, e);
  const line = {
    workload,
    ops,
    seconds: +seconds.toFixed(4),
    ops_per_s: +(ops / seconds).toFixed(1),
    checksum,
    checksum_ok: ok,
  };
  results[workload] = line;
  console.log(JSON.stringify(line));
}

if (want("a")) {
  const objs = objects(stream("poly"), S(100000));
  // pycocotools returns the merged mask as a compressed counts string: so do we.
  const [out, s] = timed(() => objs.map((p) => M.toCountsString(annToRle(p))));
  report(
    "a_frPyObjects_merge",
    objs.length,
    s,
    out.reduce((a, x) => a + M.area(M.fromCountsString(x, H, W)), 0),
  );
}
if (want("b", "c")) {
  const r = stream("mask");
  const masks = Array.from({ length: S(2000) }, () => mask(r));
  // pycocotools' encode returns compressed counts strings and its decode parses them: so do we.
  const [enc, s] = timed(() => masks.map((m) => M.toCountsString(M.encode(m, H, W))));
  if (want("b"))
    report(
      "b_encode",
      masks.length,
      s,
      enc.reduce((a, e) => a + e.length, 0),
    );
  const [dec, s2] = timed(() => enc.map((e) => M.decode(M.fromCountsString(e, H, W))));
  if (want("c"))
    report(
      "c_decode",
      enc.length,
      s2,
      dec.reduce((a, d) => a + d.reduce((x, y) => x + y, 0), 0),
    );
}
if (want("d", "e")) {
  const rles = objects(stream("rles"), S(100000)).map(annToRle);
  const strings = rles.map((r) => M.toCountsString(r));
  const [out, s] = timed(() => strings.map((x) => M.toCountsString(M.fromCountsString(x, H, W))));
  if (want("d"))
    report(
      "d_frString_toString",
      strings.length,
      s,
      out.reduce((a, x) => a + x.length, 0),
    );
  // Like pycocotools (whose area/toBbox take the compressed dict and parse it), each op parses the
  // counts string first; pycocotools parses it twice (once per call), we parse once.
  const [sums, s2] = timed(() => {
    let a = 0;
    let b = 0;
    for (const x of strings) {
      const r = M.fromCountsString(x, H, W);
      a += M.area(r);
      const bb = M.toBbox(r);
      b += bb[0] + bb[1] + bb[2] + bb[3];
    }
    return [a, b];
  });
  if (want("e")) report("e_area_toBbox", rles.length, s2, sums);
}
if (want("f")) {
  const r = stream("iou");
  const imgs = [];
  for (let i = 0; i < S(200); i++) {
    const dts = Array.from({ length: 100 }, () => M.toCountsString(annToRle([polygon(r)])));
    const gts = Array.from({ length: 100 }, () => M.toCountsString(annToRle([polygon(r)])));
    const crowd = Array.from({ length: 100 }, () => r.uniform() < 0.1);
    imgs.push([dts, gts, crowd]);
  }
  // pycocotools' iou takes compressed RLEs and parses all of them on every call: so do we.
  const parse = (x) => M.fromCountsString(x, H, W);
  const [out, s] = timed(() => imgs.map(([d, g, c]) => M.iou(d.map(parse), g.map(parse), c)));
  report(
    "f_rle_iou_100x100",
    imgs.length,
    s,
    out.reduce((a, o) => a + o.reduce((x, y) => x + y, 0), 0),
  );
}
if (want("g")) {
  const r = stream("bbox");
  const n = S(1000);
  const box = () => [r.uniform() * W, r.uniform() * H, 1 + r.uniform() * 200, 1 + r.uniform() * 200];
  const D = Array.from({ length: n }, box);
  const G = Array.from({ length: n }, box);
  const crowd = Array.from({ length: n }, () => r.uniform() < 0.1);
  const [o, s] = timed(() => M.bboxIou(D, G, crowd));
  report(
    "g_bbox_iou_1000x1000",
    1,
    s,
    o.reduce((a, x) => a + x, 0),
  );
}

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const py =
  process.env.COCOKIT_REF_PYTHON ||
  (existsSync(here("../../../.venv-ref/bin/python")) ? here("../../../.venv-ref/bin/python") : null);
if (!py) {
  console.log("note: no Python with pycocotools (set COCOKIT_REF_PYTHON); skipping the reference run");
} else {
  const refArgs = [here("../../../../shared/tools/bench_pycocotools.py"), "--seed", String(seed)];
  if (scale !== 1) refArgs.push("--scale", String(scale));
  if (onlyArg >= 0) refArgs.push("--only", only);
  const ref = spawnSync(py, refArgs, { encoding: "utf8" });
  if (ref.status !== 0) {
    console.log(`note: reference benchmark failed: ${ref.stderr.slice(0, 200)}`);
  } else {
    const rows = [];
    for (const l of ref.stdout.trim().split("\n")) {
      const p = JSON.parse(l);
      if (!results[p.workload]) continue;
      const ours = results[p.workload];
      const ratio = ours ? +(ours.ops_per_s / p.ops_per_s).toFixed(2) : null;
      console.log(
        JSON.stringify({
          workload: p.workload,
          reference_ops_per_s: p.ops_per_s,
          cocokit_ops_per_s: ours?.ops_per_s,
          ratio,
        }),
      );
      rows.push(`| ${p.workload} | ${ours?.ops_per_s} | ${p.ops_per_s} | ${ratio}x |`);
    }
    console.log(
      ["| workload | cocokit ops/s | pycocotools ops/s | ratio |", "|---|---|---|---|", ...rows].join("\n"),
    );
  }
}
