"""Evaluate the anatomy model on the validation split at full resolution.

Usage: /usr/bin/python3 models/train/anatomy_eval.py [--checkpoint PATH]
Probabilities at S x S are bilinearly upsampled to the original image size and thresholded at 0.5.
Writes models/cxr-anatomy/validation_metrics.json and prints a per-class table per data set.
"""
import argparse
import json
import os
import time

import cv2
import numpy as np
import torch

import anatomy_config as C
import anatomy_data as D
from anatomy_augment import zscore
from anatomy_metrics import dice, hd95
from anatomy_net import UNet


def load_net(path):
    ck = torch.load(path, map_location="cpu")
    net = UNet(C.N_CLASSES, tuple(ck["widths"]))
    net.load_state_dict(ck["state_dict"])
    return net.eval(), ck


def predict_full_res(net, img, size=C.SIZE):
    """Input contract (resize to S x S, per-image z-score) -> probabilities at the image's size."""
    x = zscore(D.resize_to_input(img, size))
    with torch.no_grad():
        p = torch.sigmoid(net(torch.from_numpy(x)[None, None]))[0].numpy()
    h, w = img.shape
    return np.stack([cv2.resize(k, (w, h), interpolation=cv2.INTER_LINEAR) for k in p])


def summarise(values):
    v = np.asarray([x for x in values if np.isfinite(x)])
    if not len(v):
        return None
    return {"mean": round(float(v.mean()), 4), "median": round(float(np.median(v)), 4),
            "min": round(float(v.min()), 4), "n": int(len(v)), "n_nan": len(values) - int(len(v))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=os.path.join(C.WORK, "last.pt"))
    ap.add_argument("--out", default=os.path.join(C.OUT_DIR, "validation_metrics.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    net, ck = load_net(args.checkpoint)
    _, val = D.split_cases(D.jsrt_cases() + D.covid_cases())
    per = {}
    per_case = []
    t_inf = []
    for c in val:
        img, masks = D.full_res_labels(c)
        t = time.time()
        probs = predict_full_res(net, img)
        t_inf.append(time.time() - t)
        pred = probs > 0.5
        # JSRT spacing is 0.35 mm at 1024; covid spacing is unknown -> pixels of the stored image.
        spacing = C.JSRT_MM_PER_PX * 1024 / img.shape[1] if c["set"] == "jsrt" else 1.0
        row = {"id": c["id"], "set": c["set"]}
        for k, truth in masks.items():
            d, h = dice(pred[k], truth), hd95(pred[k], truth, spacing)
            per.setdefault((c["set"], k), {"dice": [], "hd95": []})
            per[(c["set"], k)]["dice"].append(d)
            per[(c["set"], k)]["hd95"].append(h)
            row[C.CLASSES[k]] = round(d, 4)
        per_case.append(row)
    result = {"checkpoint_epoch": int(ck["epoch"]), "train_seconds": round(ck.get("seconds", 0)),
              "size": C.SIZE, "threshold": 0.5, "hd95_units": {"jsrt": "mm", "covid": "px"},
              "n_val": {s: sum(c["set"] == s for c in val) for s in ("jsrt", "covid")},
              "median_infer_s_torch_1thread_incl_upsample": round(float(np.median(t_inf)), 3),
              "per_class": {}, "per_case": per_case}
    for s in ("jsrt", "covid"):
        print(f"\n{s}  (HD95 in {'mm' if s == 'jsrt' else 'px'})")
        print(f"{'class':18s} {'n':>3s} {'dice mean':>9s} {'median':>7s} {'min':>7s} {'hd95 mean':>9s} {'median':>7s}")
        for k in range(C.N_CLASSES):
            if (s, k) not in per:
                continue
            d, h = summarise(per[(s, k)]["dice"]), summarise(per[(s, k)]["hd95"])
            result["per_class"].setdefault(s, {})[C.CLASSES[k]] = {"dice": d, "hd95": h}
            print(f"{C.CLASSES[k]:18s} {d['n']:3d} {d['mean']:9.4f} {d['median']:7.4f} {d['min']:7.4f} "
                  f"{h['mean'] if h else float('nan'):9.2f} {h['median'] if h else float('nan'):7.2f}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
