"""Compares exported COCO files with their originals through pycocotools (run by oracle/run.mjs).

For every annotation of the export: its annToRLE mask must equal the original annotation's, and its
`area` must be the original's `area` (unchanged export) or the pixel area of the original's mask
(edited export, CVAT's rule), or the box area for an annotation without segmentation.
Prints one JSON line per case.
"""
import contextlib
import io
import json
import sys

import numpy as np
from pycocotools import mask as maskUtils
from pycocotools.coco import COCO


def load(path):
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(path)


def has_segmentation(ann):
    seg = ann.get("segmentation")
    return bool(seg) if isinstance(seg, list) else seg is not None


def main():
    for case in json.load(open(sys.argv[1])):
        orig, out = load(case["original"]), load(case["exported"])
        n = mask_ok = area_ok = 0
        mismatches = []
        for ann_id, ann in out.anns.items():
            n += 1
            src = orig.anns[ann_id]
            if has_segmentation(src) != has_segmentation(ann):
                mismatches.append([ann_id, "segmentation presence"])
                continue
            if has_segmentation(src):
                a, b = out.annToMask(ann), orig.annToMask(src)
                if a.shape == b.shape and np.array_equal(a, b):
                    mask_ok += 1
                else:
                    mismatches.append([ann_id, "mask"])
                expected = float(maskUtils.area(orig.annToRLE(src))) if case["edited"] else src["area"]
            else:
                mask_ok += 1
                expected = src["bbox"][2] * src["bbox"][3] if case["edited"] and "keypoints" not in src else src["area"]
            if abs(ann["area"] - expected) < 1e-9:
                area_ok += 1
            else:
                mismatches.append([ann_id, "area", ann["area"], expected])
        print(json.dumps({"case": case["case"], "annotations": n, "maskMatched": mask_ok, "areaMatched": area_ok,
                          "mismatches": mismatches[:5]}))


if __name__ == "__main__":
    main()
