// Expected results of Datumaro's COCO fixtures (shared/conformance/datumaro_coco/EXPECTED.md),
// translated into the cocokit model: Datumaro's label indexes become COCO category ids, masks are
// compared as rows of pixels, and annotation order is not asserted (Datumaro's tests do not either).
import { decode } from "@cocokit/rle";
import type { Annotation, Dataset } from "../src/model/types.js";

/** One expected annotation, in a form that compares as JSON. */
export type Expected = Record<string, unknown>;

export interface ExpectedItem {
  subset: string;
  fileName: string;
  id: number;
  /** [height, width] */
  size: [number, number];
  annotations: Expected[];
}

export interface ExpectedDataset {
  categories: [number, string][];
  items: ExpectedItem[];
}

const rows = (count: number, row: number[]) => Array.from({ length: count }, () => row);
const crowd = (isCrowd: boolean, more: Record<string, unknown> = {}) => ({ is_crowd: isCrowd, ...more });

export const bbox = (bbox: number[], categoryId: number, id: number, attributes: object): Expected => ({
  type: "bbox",
  bbox,
  categoryId,
  id,
  attributes,
});
export const polygon = (points: number[], categoryId: number, id: number, attributes: object): Expected => ({
  type: "polygon",
  points,
  categoryId,
  id,
  attributes,
});
export const mask = (pixels: number[][], categoryId: number, id: number, attributes: object): Expected => ({
  type: "mask",
  rows: pixels,
  categoryId,
  id,
  attributes,
});
const points = (
  xy: number[],
  visibility: number[],
  categoryId: number,
  id: number,
  attributes: object,
): Expected => ({
  type: "points",
  points: xy,
  visibility,
  categoryId,
  id,
  attributes,
});
const caption = (text: string, id: number): Expected => ({
  type: "caption",
  caption: text,
  id,
  attributes: {},
});
const label = (categoryId: number, id: number): Expected => ({
  type: "label",
  categoryId,
  id,
  attributes: {},
});

// coco_instances: labels ["a","b","c"] are category ids 1, 2, 4 (label index 1 → id 2, 0 → 1).
export const INSTANCES: ExpectedDataset = {
  categories: [
    [1, "a"],
    [2, "b"],
    [4, "c"],
  ],
  items: [
    {
      subset: "train",
      fileName: "a.jpg",
      id: 5,
      size: [5, 10],
      annotations: [bbox([2, 2, 3, 1], 2, 1, crowd(false))],
    },
    {
      subset: "val",
      fileName: "b.jpg",
      id: 40,
      size: [10, 5],
      annotations: [
        polygon([0, 0, 1, 0, 1, 2, 0, 2], 1, 1, crowd(false, { x: 1, y: "hello" })),
        bbox([0, 0, 1, 2], 1, 1, crowd(false, { x: 1, y: "hello" })),
        mask(rows(10, [1, 1, 0, 0, 0]), 2, 2, crowd(true)),
        // The bbox is the file's, not recomputed from the mask (spec §3.4).
        bbox([0, 0, 1, 9], 2, 2, crowd(true)),
      ],
    },
  ],
};

export const CAPTIONS: ExpectedDataset = {
  categories: [],
  items: [
    { subset: "train", fileName: "a.jpg", id: 5, size: [5, 10], annotations: [caption("hello", 1)] },
    {
      subset: "val",
      fileName: "b.jpg",
      id: 40,
      size: [10, 5],
      annotations: [caption("world", 1), caption("text", 2)],
    },
  ],
};

export const LABELS: ExpectedDataset = {
  categories: [
    [1, "a"],
    [2, "b"],
  ],
  items: [
    { subset: "train", fileName: "a.jpg", id: 5, size: [5, 10], annotations: [label(2, 1)] },
    { subset: "val", fileName: "b.jpg", id: 40, size: [10, 5], annotations: [label(1, 1), label(2, 2)] },
  ],
};

export const PERSON_KEYPOINTS: ExpectedDataset = {
  categories: [
    [1, "a"],
    [2, "b"],
  ],
  items: [
    {
      subset: "train",
      fileName: "a.jpg",
      id: 5,
      size: [5, 10],
      annotations: [
        points([0, 0, 0, 2, 4, 1], [0, 1, 2], 2, 1, crowd(false)),
        bbox([2, 2, 3, 1], 2, 1, crowd(false)),
      ],
    },
    {
      subset: "val",
      fileName: "b.jpg",
      id: 40,
      size: [10, 5],
      annotations: [
        points([1, 2, 3, 4, 2, 3], [2, 2, 2], 1, 1, crowd(false, { x: 1, y: "hello" })),
        polygon([0, 0, 1, 0, 1, 2, 0, 2], 1, 1, crowd(false, { x: 1, y: "hello" })),
        bbox([0, 0, 1, 2], 1, 1, crowd(false, { x: 1, y: "hello" })),
        points([2, 4, 4, 4, 4, 2], [2, 2, 2], 2, 2, crowd(true)),
        mask(rows(10, [1, 1, 0, 0, 0]), 2, 2, crowd(true)),
        bbox([0, 0, 1, 9], 2, 2, crowd(true)),
      ],
    },
  ],
};

export const IMAGE_INFO: ExpectedDataset = {
  categories: [],
  items: [
    { subset: "train", fileName: "a.jpg", id: 5, size: [5, 10], annotations: [] },
    { subset: "val", fileName: "b.jpg", id: 40, size: [10, 5], annotations: [] },
  ],
};

// Panoptic masks are the PNG's pixels; the train PNG is 5×5 for a 10×5 image and Datumaro keeps it
// at the PNG's size (spec §3.6).
export const PANOPTIC: ExpectedDataset = {
  categories: [
    [1, "a"],
    [2, "b"],
  ],
  items: [
    {
      subset: "train",
      fileName: "a.jpg",
      id: 5,
      size: [5, 10],
      annotations: [mask(rows(5, [1, 1, 1, 1, 1]), 1, 460551, crowd(false))],
    },
    {
      subset: "val",
      fileName: "b.jpg",
      id: 40,
      size: [10, 5],
      annotations: [
        mask(rows(10, [1, 1, 0, 0, 0]), 1, 7, crowd(false)),
        mask(rows(10, [0, 0, 1, 1, 0]), 2, 20, crowd(true)),
      ],
    },
  ],
};

// Datumaro's test lists is_crowd false for these masks but its importer yields true (iscrowd 1);
// EXPECTED.md gives both, and we follow the file.
export const STUFF: ExpectedDataset = {
  categories: [
    [1, "a"],
    [2, "b"],
  ],
  items: [
    {
      subset: "train",
      fileName: "a.jpg",
      id: 5,
      size: [5, 10],
      annotations: [
        mask(rows(5, [0, 0, 1, 1, 0, 1, 1, 0, 0, 0]), 1, 7, crowd(true)),
        bbox([2, 0, 4, 4], 1, 7, crowd(true)),
      ],
    },
    {
      subset: "val",
      fileName: "b.jpg",
      id: 40,
      size: [10, 5],
      annotations: [
        mask(rows(10, [1, 1, 0, 0, 0]), 2, 2, crowd(true)),
        bbox([0, 0, 1, 9], 2, 2, crowd(true)),
      ],
    },
  ],
};

// roboflow_dataset/coco: labels label_0, label_1 are ids 1, 2; annotation id 0 stays 0.
export const ROBOFLOW: ExpectedDataset = {
  categories: [
    [1, "label_0"],
    [2, "label_1"],
  ],
  items: [
    {
      subset: "train",
      fileName: "train_001.jpg",
      id: 1,
      size: [5, 10],
      annotations: [bbox([2, 1, 3, 1], 1, 0, crowd(false))],
    },
    {
      subset: "train",
      fileName: "train_002.jpg",
      id: 2,
      size: [5, 10],
      annotations: [bbox([0, 0, 2, 4], 2, 1, crowd(false))],
    },
    {
      subset: "val",
      fileName: "val_001.jpg",
      id: 1,
      size: [5, 10],
      annotations: [bbox([0, 0, 1, 2], 1, 1, crowd(false)), bbox([0, 0, 9, 1], 2, 2, crowd(true))],
    },
  ],
};

/** Only the items of one subset (what importing a single `<task>_<subset>.json` gives). */
export function onlySubset(expected: ExpectedDataset, subset: string): ExpectedDataset {
  return { ...expected, items: expected.items.filter((i) => i.subset === subset) };
}

function annotationView(a: Annotation): Expected {
  const base: Expected = { type: a.type, id: a.id, attributes: a.attributes };
  if (a.categoryId !== undefined) base.categoryId = a.categoryId;
  switch (a.type) {
    case "bbox":
      return { ...base, bbox: [...a.bbox] };
    case "polygon":
      return { ...base, points: a.points };
    case "points":
      return { ...base, points: a.points, visibility: a.visibility };
    case "caption":
      return { ...base, caption: a.caption };
    case "label":
      return base;
    case "mask": {
      const { height, width } = a.rle;
      const pixels = decode(a.rle);
      const out: number[][] = [];
      for (let r = 0; r < height; r++)
        out.push(Array.from({ length: width }, (_, c) => pixels[c * height + r] as number));
      return { ...base, rows: out };
    }
  }
}

const sortKey = (e: Expected) => JSON.stringify(e, Object.keys(e).sort());
const sorted = (list: Expected[]) => [...list].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

/** The dataset in the comparable form of `ExpectedDataset` (items and annotations sorted). */
export function viewOf(dataset: Dataset): ExpectedDataset {
  return {
    categories: dataset.categories.map((c) => [c.id, c.name] as [number, string]).sort((a, b) => a[0] - b[0]),
    items: dataset.items
      .map((item) => ({
        subset: item.subset,
        fileName: item.image.fileName,
        id: item.id,
        size: [item.image.height ?? -1, item.image.width ?? -1] as [number, number],
        annotations: sorted(item.annotations.map(annotationView)),
      }))
      .sort((a, b) => (`${a.subset}/${a.fileName}` < `${b.subset}/${b.fileName}` ? -1 : 1)),
  };
}

/** The expected dataset with its lists sorted like `viewOf`. */
export function normalized(expected: ExpectedDataset): ExpectedDataset {
  return {
    categories: [...expected.categories].sort((a, b) => a[0] - b[0]),
    items: expected.items
      .map((item) => ({ ...item, annotations: sorted(item.annotations) }))
      .sort((a, b) => (`${a.subset}/${a.fileName}` < `${b.subset}/${b.fileName}` ? -1 : 1)),
  };
}
