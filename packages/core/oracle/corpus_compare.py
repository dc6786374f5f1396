"""Compares COCO files written by cocokit with the originals they came from, as pycocotools reads
them (run by oracle/corpus.mjs). Input: a JSON list of cases {original, written, writtenName, task,
originalPngDir, writtenPngDir}. For each case prints one JSON line:
{original, writtenName, counts, originalError, writtenError, diffs: [text]}.

- COCO(written) must not raise (COCO(original) raising is only reported).
- Top-level keys: dropped, added (e.g. `categories: []` on a captions file) or changed values.
- images, annotations, categories: compared as dicts per id (panoptic annotations per image_id):
  ids missing or added, and per field: dropped, added or changed. Values compare as JSON: 1 == 1.0,
  but true != 1. A changed `segmentation` says whether the mask's pixels are still the same.
- Panoptic PNGs: every original annotation's file_name, compared pixel by pixel (RGB).
"""
import contextlib
import io
import json
import os
import sys
from collections import OrderedDict

from pycocotools.coco import COCO

SECTIONS = ("images", "annotations", "categories")
MAX_IDS = 4


def load(path):
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(path)


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def short(value, limit=70):
    text = json.dumps(value, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def keyed(records, key):
    out, duplicates = OrderedDict(), 0
    for r in records:
        k = r.get(key) if isinstance(r, dict) else None
        if k in out:
            duplicates += 1
        out[k] = r
    return out, duplicates


def mask_note(orig, out, a, b):
    """Whether two segmentations of one annotation give the same pixels (pycocotools annToMask)."""
    try:
        import numpy as np

        ma, mb = orig.annToMask(a), out.annToMask(b)
        if ma.shape != mb.shape:
            return f" [mask shape {ma.shape} → {mb.shape}]"
        n = int(np.count_nonzero(ma != mb))
        return " [same pixels]" if n == 0 else f" [{n} pixels differ]"
    except Exception as e:  # noqa: BLE001 - any failure is worth printing, not fatal
        return f" [masks not comparable: {type(e).__name__}: {e}]"


def compare_section(name, orig_doc, out_doc, orig, out, task):
    diffs = []
    a_list, b_list = orig_doc.get(name), out_doc.get(name)
    if not isinstance(a_list, list) or not isinstance(b_list, list):
        if a_list is None and b_list is None:
            return diffs
        if not same(a_list, b_list):
            diffs.append(f"`{name}` is {short(a_list, 40)} in the original, {short(b_list, 40)} written")
        return diffs
    key = "image_id" if name == "annotations" and task == "panoptic" else "id"
    a, dup_a = keyed(a_list, key)
    b, dup_b = keyed(b_list, key)
    if dup_a:
        diffs.append(f"{name}: the original has {dup_a} duplicate {key}s (compared by last)")
    if dup_b and dup_b != dup_a:
        diffs.append(f"{name}: the written file has {dup_b} duplicate {key}s")
    missing = [k for k in a if k not in b]
    added = [k for k in b if k not in a]
    if missing:
        diffs.append(f"{name}: {len(missing)} {key}s missing in the written file, e.g. {missing[:MAX_IDS]}")
    if added:
        diffs.append(f"{name}: {len(added)} {key}s not in the original, e.g. {added[:MAX_IDS]}")
    groups = OrderedDict()  # (kind, field) -> [ids, example]
    for k, ra in a.items():
        rb = b.get(k)
        if rb is None or not isinstance(ra, dict) or not isinstance(rb, dict):
            continue
        for field in list(ra.keys()) + [f for f in rb.keys() if f not in ra]:
            if field not in rb:
                kind, example = "dropped", short(ra[field], 40)
            elif field not in ra:
                kind, example = "added", short(rb[field], 40)
            elif not same(ra[field], rb[field]):
                kind = "changed"
                example = f"{short(ra[field], 50)} → {short(rb[field], 50)}"
                if field == "segmentation" and name == "annotations" and orig is not None and out is not None:
                    example += mask_note(orig, out, ra, rb)
            else:
                continue
            g = groups.setdefault((kind, field), [[], None])
            g[0].append(k)
            if g[1] is None:
                g[1] = f"{key} {k}: {example}"
    for (kind, field), (ids, example) in groups.items():
        diffs.append(f"{name}: `{field}` {kind} on {len(ids)}/{len(a)} (first {example}; ids {ids[:MAX_IDS]})")
    return diffs


def compare_pngs(case, orig_doc):
    diffs = []
    src, dst = case.get("originalPngDir"), case.get("writtenPngDir")
    if not src or not dst:
        return diffs
    try:
        import numpy as np
        from PIL import Image
    except ImportError:
        return ["panoptic PNGs not compared: numpy/Pillow missing"]
    bad = []
    for ann in orig_doc.get("annotations", []):
        name = ann.get("file_name")
        if not name:
            continue
        a_path, b_path = os.path.join(src, name), os.path.join(dst, name)
        if not os.path.exists(a_path):
            continue
        if not os.path.exists(b_path):
            bad.append(f"{name} not written")
            continue
        a = np.asarray(Image.open(a_path).convert("RGB"))
        b = np.asarray(Image.open(b_path).convert("RGB"))
        if a.shape != b.shape:
            bad.append(f"{name} size {a.shape[:2]} → {b.shape[:2]}")
        elif (a != b).any():
            bad.append(f"{name} {int((a != b).any(axis=2).sum())} pixels differ")
    if bad:
        diffs.append(f"panoptic PNGs: {len(bad)} differ: {bad[:MAX_IDS]}")
    return diffs


def compare(case):
    result = {"original": case["original"], "writtenName": case["writtenName"], "diffs": []}
    with open(case["original"], encoding="utf-8") as f:
        orig_doc = json.load(f)
    with open(case["written"], encoding="utf-8") as f:
        out_doc = json.load(f)
    orig = out = None
    try:
        orig = load(case["original"])
    except Exception as e:  # noqa: BLE001
        result["originalError"] = f"{type(e).__name__}: {e}"
    try:
        out = load(case["written"])
    except Exception as e:  # noqa: BLE001
        result["writtenError"] = f"{type(e).__name__}: {e}"
    if not isinstance(orig_doc, dict) or not isinstance(out_doc, dict):
        result["diffs"].append("not a JSON object")
        return result
    task = case.get("task")
    if task is None and orig_doc.get("annotations") and "segments_info" in orig_doc["annotations"][0]:
        task = "panoptic"
    result["counts"] = {s: [len(orig_doc.get(s) or []), len(out_doc.get(s) or [])] for s in SECTIONS}
    for k in orig_doc:
        if k not in out_doc:
            result["diffs"].append(f"top-level `{k}` dropped (was {short(orig_doc[k], 50)})")
        elif k not in SECTIONS and not same(orig_doc[k], out_doc[k]):
            result["diffs"].append(f"top-level `{k}` changed: {short(orig_doc[k], 60)} → {short(out_doc[k], 60)}")
    for k in out_doc:
        if k not in orig_doc:
            result["diffs"].append(f"top-level `{k}` added: {short(out_doc[k], 60)}")
    for s in SECTIONS:
        if s in orig_doc and s in out_doc:
            result["diffs"].extend(compare_section(s, orig_doc, out_doc, orig, out, task))
    if task == "panoptic":
        result["diffs"].extend(compare_pngs(case, orig_doc))
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    for case in cases:
        try:
            print(json.dumps(compare(case)), flush=True)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"original": case["original"], "writtenName": case.get("writtenName"),
                              "diffs": [f"compare failed: {type(e).__name__}: {e}"]}), flush=True)


if __name__ == "__main__":
    main()
