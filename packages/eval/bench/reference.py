"""pycocotools side of the eval benchmark: prints {"evaluate_accumulate_s", "stats"} as one JSON line.
Usage: reference.py GT RESULTS IOU_TYPE"""
import contextlib, io, json, sys, time
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

gt_path, res_path, iou_type = sys.argv[1:4]
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(gt_path)
    dt = gt.loadRes(res_path)
    E = COCOeval(gt, dt, iou_type)
    t0 = time.perf_counter()
    E.evaluate()
    E.accumulate()
    t1 = time.perf_counter()
    E.summarize()
print(json.dumps({"evaluate_accumulate_s": t1 - t0, "stats": [float(s) for s in E.stats]}))
