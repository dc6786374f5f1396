"""pycocotools side of the eval benchmark: prints {"evaluate_accumulate_s", "same_scope_s", "stats"}
as one JSON line. evaluate_accumulate_s is COCOeval.evaluate() + accumulate(); same_scope_s is what
cocokit's evaluateCoco does from parsed JSON: the ground truth's index (createIndex), loadRes on
the parsed results, evaluate, accumulate and summarize (the stats). Reading and parsing the files
is timed on neither side.
Usage: reference.py GT RESULTS IOU_TYPE"""
import contextlib, io, json, sys, time
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

gt_path, res_path, iou_type = sys.argv[1:4]
with open(gt_path) as f:
    gt_json = json.load(f)
with open(res_path) as f:
    res_json = json.load(f)
with contextlib.redirect_stdout(io.StringIO()):
    t0 = time.perf_counter()
    gt = COCO()
    gt.dataset = gt_json
    gt.createIndex()
    dt = gt.loadRes(res_json)
    E = COCOeval(gt, dt, iou_type)
    t1 = time.perf_counter()
    E.evaluate()
    E.accumulate()
    t2 = time.perf_counter()
    E.summarize()
    t3 = time.perf_counter()
print(json.dumps({"evaluate_accumulate_s": t2 - t1, "same_scope_s": t3 - t0, "stats": [float(s) for s in E.stats]}))
