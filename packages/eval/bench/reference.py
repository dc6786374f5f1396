"""pycocotools side of the eval benchmark: prints one JSON line with the seconds of each stage
(create_index_s, load_res_s, evaluate_s, accumulate_s, summarize_s), evaluate_accumulate_s
(COCOeval.evaluate() + accumulate(), the stages its "DONE (t=...)" lines time), same_scope_s (what
cocokit's evaluateCoco does from parsed JSON: the ground truth's index (createIndex), loadRes on
the parsed results, evaluate, accumulate and summarize) and the stats. Reading and parsing the
files is timed on neither side.
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
    t1 = time.perf_counter()
    dt = gt.loadRes(res_json)
    E = COCOeval(gt, dt, iou_type)
    t2 = time.perf_counter()
    E.evaluate()
    t3 = time.perf_counter()
    E.accumulate()
    t4 = time.perf_counter()
    E.summarize()
    t5 = time.perf_counter()
print(
    json.dumps(
        {
            "create_index_s": t1 - t0,
            "load_res_s": t2 - t1,
            "evaluate_s": t3 - t2,
            "accumulate_s": t4 - t3,
            "summarize_s": t5 - t4,
            "evaluate_accumulate_s": t4 - t2,
            "same_scope_s": t5 - t0,
            "stats": [float(s) for s in E.stats],
        }
    )
)
