// Fixtures built from the shared conformance files (../shared beside the repository), plus small
// PNGs made here, so tests open real COCO files and real zips.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "fast-png";
import JSZip from "jszip";

const ASSETS = join(
  import.meta.dirname,
  "../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset",
);

/** A conformance JSON file, parsed. */
export function conformanceJson(path: string): CocoDoc {
  return JSON.parse(readFileSync(join(ASSETS, path), "utf8")) as CocoDoc;
}

export interface CocoDoc {
  images: { id: number; file_name: string; width: number; height: number }[];
  annotations: { id: number; image_id: number; category_id: number; bbox: unknown; keypoints?: number[] }[];
  categories: { id: number; name: string; skeleton?: number[][] }[];
  [key: string]: unknown;
}

/** A PNG of the given size with a colour gradient (so a screenshot shows the image is drawn). */
export function gradientPng(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 1] = Math.round((255 * y) / Math.max(1, height - 1));
      data[i + 2] = 160;
    }
  }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

export interface ZipFixture {
  bytes: Uint8Array;
  /** The task files in the zip, by path. */
  files: Record<string, CocoDoc>;
  /** Images listed by the JSON but left out of the zip (they show as placeholders). */
  missing: string[];
}

/**
 * A CVAT-layout zip: the instances files of `coco_instances` (train, val) and the keypoints file of
 * `coco_person_keypoints` as a third subset `kp`; images renamed to PNGs, all present but val's.
 */
export async function cvatZip(): Promise<ZipFixture> {
  const train = conformanceJson("coco_instances/annotations/instances_train.json");
  const val = conformanceJson("coco_instances/annotations/instances_val.json");
  const kp = conformanceJson("coco_person_keypoints/annotations/person_keypoints_train.json");
  kp.images[0]!.file_name = "c.jpg";
  const files: Record<string, CocoDoc> = {
    "annotations/instances_train.json": train,
    "annotations/instances_val.json": val,
    "annotations/person_keypoints_kp.json": kp,
  };
  const zip = new JSZip();
  const missing: string[] = [];
  for (const [path, doc] of Object.entries(files)) {
    const subset = path.slice(path.lastIndexOf("_") + 1, -".json".length);
    for (const image of doc.images) {
      image.file_name = image.file_name.replace(/\.jpg$/, ".png");
      if (subset === "val") missing.push(image.file_name);
      else zip.file(`images/${subset}/${image.file_name}`, gradientPng(image.width, image.height));
    }
    zip.file(path, JSON.stringify(doc));
  }
  return { bytes: await zip.generateAsync({ type: "uint8array" }), files, missing };
}

/** Images and annotations a set of task files lists. */
export function countsOf(files: Record<string, CocoDoc>): { images: number; annotations: number } {
  const docs = Object.values(files);
  return {
    images: docs.reduce((n, d) => n + d.images.length, 0),
    annotations: docs.reduce((n, d) => n + d.annotations.length, 0),
  };
}

/**
 * A hostile instances file: annotation 0's box leaves the image (a warning: the record is kept)
 * and annotation 1's box is not numbers (an error: lenient import skips the record).
 */
export function hostileJson(): string {
  const doc = conformanceJson("coco_instances/annotations/instances_val.json");
  doc.annotations[0]!.bbox = [0, 0, 100, 100];
  doc.annotations[1]!.bbox = [0, 0, -1, "x"];
  return JSON.stringify(doc);
}

/** An instances file of `n` images (no image files), one box each, over three categories. */
export function manyImagesJson(n: number): string {
  const images = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    file_name: `img_${i + 1}.png`,
    width: 64,
    height: 48,
  }));
  const annotations = images.map((image, i) => ({
    id: i + 1,
    image_id: image.id,
    category_id: (i % 3) + 1,
    bbox: [4, 4, 20, 10],
    area: 200,
    iscrowd: 0,
    segmentation: [],
  }));
  const categories = [1, 2, 3].map((id) => ({ id, name: `c${id}`, supercategory: "" }));
  return JSON.stringify({ images, annotations, categories });
}
