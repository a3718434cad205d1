"""Data splits for the lesion detector across sites -> models/cxr-lesion/splits.json (committed).

* JSRT: lesion_common.split_jsrt (validation = 26 nodule + 16 normal cases; the rest train).
* NIH normals (../shared/data/nih-normals, 207 patients): split BY PATIENT with
  random.Random(20261207) over the sorted patient ids: 30 % train (hard negatives, synthetic-nodule
  backgrounds), 20 % validation (operating point), 50 % held-out test (never used for training,
  operating point or any other choice; reported once).
Usage: python3 models/train/site_splits.py
"""
import csv
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402

NIH_SEED = 20261207


def main():
    jd = os.path.join(C.DATA, "jsrt-train")
    nodules = list(csv.DictReader(open(os.path.join(jd, "nodules.csv"))))
    normals = [r["id"] for r in csv.DictReader(open(os.path.join(jd, "normals.csv")))]
    val = C.split_jsrt(nodules, normals)
    rows = list(csv.DictReader(open(os.path.join(C.DATA, "nih-normals", "normals.csv"))))
    pats = sorted({r["patient_id"] for r in rows}, key=int)
    rng = random.Random(NIH_SEED)
    rng.shuffle(pats)
    n = len(pats)
    part = {}
    for k, p in enumerate(pats):
        part[p] = "train" if k < round(0.3 * n) else "val" if k < round(0.5 * n) else "test"
    nih = {s: sorted(r["id"] for r in rows if part[r["patient_id"]] == s) for s in ("train", "val", "test")}
    out = {
        "note": "see models/train/site_splits.py; NIH split by patient (seed %d)" % NIH_SEED,
        "jsrt_val": sorted(val),
        "nih": nih,
        "nih_patients": {s: sum(1 for p in pats if part[p] == s) for s in ("train", "val", "test")},
    }
    with open(os.path.join(C.OUT_DIR, "splits.json"), "w") as f:
        json.dump(out, f, indent=0)
    print({s: len(v) for s, v in nih.items()}, out["nih_patients"], "jsrt val", len(val))


if __name__ == "__main__":
    main()
