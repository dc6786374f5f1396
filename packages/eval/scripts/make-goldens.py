#!/usr/bin/env python3
"""Regenerate the golden fixtures of @cocokit/eval from the reference pycocotools.

Usage (from the repository root, dev-only, never run by the tests):
  .venv-ref/bin/python packages/eval/scripts/make-goldens.py

Writes packages/eval/test/fixtures/:
  workloads/<name>/*.json.gz  inputs from ../shared/tools/gen_coco_eval.py (small: 50..300 images)
  corner/<name>.json          hand-made corner cases: ground truth, results, iouType, params
  expected/<case>.json.gz     pycocotools' outputs for every case: stats, summary lines,
                              precision, recall and scores (run-length encoded, see `encode`)
  cases.json                  the list of cases: inputs, iouType, params

Arrays are stored run-length encoded to stay small: `{shape, order, runs}` where `order` names
the axis order the flattened values follow (precision and scores as K,A,M,T,R so a precision
curve is contiguous; recall as K,A,M,T) and `runs` is a flat [value, count, value, count, …].
Floats are written by Python's repr, which JSON.parse reads back to the same double.
"""
import tempfile, contextlib, copy, gzip, io, json, os, subprocess, sys
import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
import pycocotools.mask as M

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures")
# ../shared beside the repository.
GEN = os.path.join(HERE, "..", "..", "..", "..", "shared", "tools", "gen_coco_eval.py")


def encode(arr, axes, order):
    a = np.transpose(arr, axes).reshape(-1).tolist()
    runs = []
    for v in a:
        if runs and runs[-2] == v:
            runs[-1] += 1
        else:
            runs += [v, 1]
    return {"shape": list(arr.shape), "order": order, "runs": runs}


def coco_from(d):
    c = COCO()
    c.dataset = copy.deepcopy(d)
    with contextlib.redirect_stdout(io.StringIO()):
        c.createIndex()
    return c


def reference_results(gt, results, iou_type):
    """What pycocotools can load: polygon and uncompressed-RLE results without a bbox (loadRes
    needs compressed RLE for their area) become the compressed RLE our evaluator makes of them."""
    imgs = {i["id"]: i for i in gt["images"]}
    out = []
    for r in results:
        r = copy.deepcopy(r)
        seg = r.get("segmentation")
        uncompressed = isinstance(seg, dict) and isinstance(seg.get("counts"), list)
        if (isinstance(seg, list) or uncompressed) and "bbox" not in r:
            img = imgs[r["image_id"]]
            rle = M.frPyObjects(seg, img["height"], img["width"])
            rle = rle if uncompressed else M.merge(rle)
            rle["counts"] = rle["counts"].decode("ascii")
            r["segmentation"] = rle
        out.append(r)
    return out


def run(gt, results, iou_type, params):
    cgt = coco_from(gt)
    with contextlib.redirect_stdout(io.StringIO()):
        if len(results) == 0:
            # loadRes fails on an empty list (anns[0]); this is what it would build.
            cdt = coco_from({"images": gt["images"], "categories": gt.get("categories", []), "annotations": []})
        else:
            cdt = cgt.loadRes(reference_results(gt, results, iou_type))
        E = COCOeval(cgt, cdt, iou_type)
    p = E.params
    for k, v in params.items():
        if k == "kptOksSigmas":
            p.kpt_oks_sigmas = np.array(v)
        elif k == "areaRngLbl":
            p.areaRngLbl = v
        elif k == "areaRng":
            p.areaRng = [list(x) for x in v]
        elif k in ("iouThrs", "recThrs"):
            setattr(p, k, np.array(v))
        elif k == "useCats":
            p.useCats = 1 if v else 0
        else:
            setattr(p, k, v)
    with contextlib.redirect_stdout(io.StringIO()):
        E.evaluate()
        E.accumulate()
    out = {
        "precision": encode(E.eval["precision"], (2, 3, 4, 0, 1), "KAMTR"),
        "recall": encode(E.eval["recall"], (1, 2, 3, 0), "KAMT"),
        "scores": encode(E.eval["scores"], (2, 3, 4, 0, 1), "KAMTR"),
        "params": {
            "imgIds": [int(i) for i in E.params.imgIds],
            "catIds": [int(c) for c in E.params.catIds],
            "maxDets": [int(m) for m in E.params.maxDets],
            "iouThrs": E.params.iouThrs.tolist(),
            "recThrs": E.params.recThrs.tolist(),
        },
    }
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            E.summarize()
        out["stats"] = [float(s) for s in E.stats]
        out["summary"] = buf.getvalue()
    except Exception as e:  # fewer than three maxDets: pycocotools' summarize raises
        out["summarizeError"] = type(e).__name__
    return out


def write_gz(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(json.dumps(obj, separators=(",", ":")).encode())


def load(path):
    with open(path) as f:
        return json.load(f)


def workloads():
    """Generated workloads: (name, images, seed, keep segmentation in the ground truth)."""
    specs = [("w50s1", 50, 1, True), ("w80s2", 80, 2, True), ("w120s3", 120, 3, True), ("w300s4", 300, 4, False)]
    tmp = os.path.join(tempfile.gettempdir(), "cocokit-eval-goldens")
    for name, n, seed, with_segm in specs:
        d = os.path.join(tmp, name)
        subprocess.run([sys.executable, GEN, d, "--images", str(n), "--seed", str(seed)], check=True,
                       stdout=subprocess.DEVNULL)
        files = {}
        gt = load(os.path.join(d, "instances_gt.json"))
        if not with_segm:  # bbox only: polygons would only take room
            for a in gt["annotations"]:
                a.pop("segmentation", None)
        files["instances_gt"] = gt
        files["person_keypoints_gt"] = load(os.path.join(d, "person_keypoints_gt.json"))
        files["bbox_results"] = load(os.path.join(d, "bbox_results.json"))
        if with_segm:
            files["segm_results"] = load(os.path.join(d, "segm_results.json"))
        files["keypoints_results"] = load(os.path.join(d, "keypoints_results.json"))
        for k, v in files.items():
            write_gz(os.path.join(OUT, "workloads", name, k + ".json.gz"), v)
        yield name, files, with_segm


def generated_cases():
    cases = []
    for name, files, with_segm in workloads():
        gt = files["instances_gt"]
        img_ids = sorted(i["id"] for i in gt["images"])
        cat_ids = sorted(c["id"] for c in gt["categories"])
        types = ["bbox", "segm"] if with_segm else ["bbox"]
        for t in types:
            cases.append((f"{name}-{t}", name, "instances_gt", f"{t}_results", t, {}))
        cases.append((f"{name}-keypoints", name, "person_keypoints_gt", "keypoints_results", "keypoints", {}))
        if name == "w50s1":
            sub = {"imgIds": img_ids[::3], "catIds": cat_ids[:40:2] + [999]}
            cases.append((f"{name}-bbox-subsets", name, "instances_gt", "bbox_results", "bbox", sub))
            cases.append((f"{name}-segm-nocats", name, "instances_gt", "segm_results", "segm", {"useCats": False}))
            cases.append((f"{name}-bbox-maxdets", name, "instances_gt", "bbox_results", "bbox",
                           {"maxDets": [5, 1, 20]}))
            cases.append((f"{name}-keypoints-nocats", name, "person_keypoints_gt", "keypoints_results",
                          "keypoints", {"useCats": False, "imgIds": img_ids[1::2]}))
        if name == "w80s2":
            cases.append((f"{name}-bbox-nocats", name, "instances_gt", "bbox_results", "bbox", {"useCats": False}))
            cases.append((f"{name}-bbox-thresholds", name, "instances_gt", "bbox_results", "bbox", {
                "iouThrs": [0.1, 0.3, 0.5, 0.75], "recThrs": [0, 0.25, 0.5, 0.75, 1.0],
                "areaRng": [[0, 1e10], [0, 1024], [1024, 9216], [9216, 1e10], [100, 2000]],
                "areaRngLbl": ["all", "small", "medium", "large", "custom"], "maxDets": [1, 10, 300]}))
            cases.append((f"{name}-segm-maxdets", name, "instances_gt", "segm_results", "segm", {"maxDets": [10]}))
    return cases


def main():
    cases_out = []
    for cname, wl, gtname, resname, t, params in generated_cases():
        base = os.path.join(OUT, "workloads", wl)
        with gzip.open(os.path.join(base, gtname + ".json.gz")) as f:
            gt = json.load(f)
        with gzip.open(os.path.join(base, resname + ".json.gz")) as f:
            res = json.load(f)
        write_gz(os.path.join(OUT, "expected", cname + ".json.gz"), run(gt, res, t, params))
        cases_out.append({"name": cname, "gt": f"workloads/{wl}/{gtname}.json.gz",
                          "results": f"workloads/{wl}/{resname}.json.gz", "iouType": t, "params": params})
        print(cname, file=sys.stderr)
    corner_dir = os.path.join(OUT, "corner")
    for fname in sorted(os.listdir(corner_dir)):
        c = load(os.path.join(corner_dir, fname))
        for i, variant in enumerate(c.get("variants", [{}])):
            cname = "corner-" + fname[:-5] + (f"-{i}" if i else "")
            params = dict(variant)
            write_gz(os.path.join(OUT, "expected", cname + ".json.gz"), run(c["gt"], c["results"], c["iouType"], params))
            cases_out.append({"name": cname, "corner": f"corner/{fname}", "iouType": c["iouType"], "params": params})
            print(cname, file=sys.stderr)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases_out, f, indent=1)


if __name__ == "__main__":
    main()
