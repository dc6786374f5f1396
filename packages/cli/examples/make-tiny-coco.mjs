// Regenerates examples/tiny-coco: four 64×48 PNGs in two subsets and their COCO instances files,
// with a polygon, a crowd RLE (uncompressed counts), a box-only annotation and an image without
// annotations. Run from packages/cli: node examples/make-tiny-coco.mjs
import { mkdirSync, writeFileSync } from "node:fs";
import { encode } from "fast-png";

const W = 64;
const H = 48;
const root = new URL("./tiny-coco/", import.meta.url);

// A grey image with a filled rectangle, so each file differs.
function png(x0, y0, x1, y1, shade) {
  const data = new Uint8Array(W * H * 3).fill(40);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) data.fill(shade, (y * W + x) * 3, (y * W + x) * 3 + 3);
  return encode({ width: W, height: H, data, channels: 3, depth: 8 });
}

// Column-major runs of a rectangle mask, first run counting zeros, as COCO's uncompressed RLE.
function rectangleRuns(x0, y0, x1, y1) {
  const runs = [];
  let value = 0;
  let run = 0;
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) {
      const on = x >= x0 && x < x1 && y >= y0 && y < y1 ? 1 : 0;
      if (on !== value) {
        runs.push(run);
        run = 0;
        value = on;
      }
      run++;
    }
  }
  runs.push(run);
  return runs;
}

const categories = [
  { id: 1, name: "person", supercategory: "person" },
  { id: 2, name: "car", supercategory: "vehicle" },
];
const info = { description: "cocokit tiny example", version: "1.0", year: 2026 };
const licenses = [{ id: 1, name: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/" }];
const image = (id, fileName) => ({ id, file_name: fileName, width: W, height: H, license: 1 });

const subsets = {
  train: {
    images: [image(1, "000001.png"), image(2, "000002.png")],
    annotations: [
      {
        id: 1,
        image_id: 1,
        category_id: 1,
        segmentation: [[10, 10, 30, 10, 30, 40, 10, 40]],
        area: 600,
        bbox: [10, 10, 20, 30],
        iscrowd: 0,
      },
      {
        id: 2,
        image_id: 2,
        category_id: 1,
        segmentation: { size: [H, W], counts: rectangleRuns(20, 5, 60, 45) },
        area: 1600,
        bbox: [20, 5, 40, 40],
        iscrowd: 1,
      },
    ],
    files: { "000001.png": png(10, 10, 30, 40, 200), "000002.png": png(20, 5, 60, 45, 160) },
  },
  val: {
    images: [image(3, "000003.png"), image(4, "000004.png")],
    annotations: [
      { id: 3, image_id: 3, category_id: 2, segmentation: [], area: 300, bbox: [30, 20, 20, 15], iscrowd: 0 },
    ],
    files: { "000003.png": png(30, 20, 50, 35, 220), "000004.png": png(0, 0, 0, 0, 0) },
  },
};

mkdirSync(new URL("annotations/", root), { recursive: true });
for (const [subset, { images, annotations, files }] of Object.entries(subsets)) {
  const dir = new URL(`images/${subset}/`, root);
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(new URL(name, dir), bytes);
  const doc = { info, licenses, categories, images, annotations };
  writeFileSync(new URL(`annotations/instances_${subset}.json`, root), `${JSON.stringify(doc, null, 2)}\n`);
}
