"""FROC of the lesion detector on the real validation nodules (JSRT, split by case), by subtlety
and location; chooses the operating point (<= 0.5 FP/image on validation); diameter error.

Candidate extraction mirrors server/src/analysis/lesions/extract.ts: 8-neighbour local maxima,
strongest first, each claiming the connected pixels >= 0.5 x peak; centre = region centroid;
diameter = mean of the Feret long axis and the perpendicular width of the region.
Usage: python3 models/train/lesion_eval.py [--weights models/.work/lesion/final.pt]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from scipy import ndimage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402
from lesion_model import LesionNet  # noqa: E402

FP_RATES = [0.125, 0.25, 0.5, 1, 2]
LEVELS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]   # contour level candidates (fraction of the peak)


def region_at(p, yx, level, claim):
    """Connected pixels >= level x peak around the peak, inside its claimed (0.5 x peak) region."""
    lab, _ = ndimage.label((p >= level * p[yx]) & claim, structure=np.ones((3, 3)))
    return lab == lab[yx]
FLOOR = 0.02


def regions(p, floor=FLOOR, max_n=10):
    mx = ndimage.maximum_filter(p, size=3, mode="constant", cval=-1)
    ys, xs = np.nonzero((p >= mx) & (p >= floor))
    order = np.argsort(-p[ys, xs], kind="stable")
    claimed = np.zeros(p.shape, bool)
    out = []
    for k in order:
        y, x = ys[k], xs[k]
        if claimed[y, x]:
            continue
        score = float(p[y, x])
        cand = (p >= 0.5 * score) & ~claimed
        lab, _ = ndimage.label(cand, structure=np.ones((3, 3)))
        reg = lab == lab[y, x]
        claimed |= reg
        out.append((score, reg, (int(y), int(x))))
        if len(out) >= max_n:
            break
    return out


def feret_mean(reg):
    ys, xs = np.nonzero(reg)
    pts = np.concatenate([np.stack([xs + dx, ys + dy], 1) for dx in (0, 1) for dy in (0, 1)]).astype(np.float64)
    if len(pts) > 400:
        from scipy.spatial import ConvexHull
        pts = pts[ConvexHull(pts).vertices]
    d = ((pts[:, None] - pts[None]) ** 2).sum(-1)
    i, j = np.unravel_index(np.argmax(d), d.shape)
    L = math.sqrt(d[i, j])
    u = (pts[j] - pts[i]) / max(L, 1e-9)
    n = np.array([-u[1], u[0]])
    w = pts @ n
    return (L + (w.max() - w.min())) / 2


def wilson(k, n, z=1.96):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    den = 1 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, c - h), min(1.0, c + h))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(C.WORK, "final.pt"))
    ap.add_argument("--out", default=os.path.join(C.WORK, "eval.json"))
    ap.add_argument("--tta", action="store_true", help="mean of the image's and its mirror's maps (server config test_time_flip)")
    a = ap.parse_args()
    C.set_threads(torch)
    d = np.load(os.path.join(C.WORK, "cache.npz"))
    meta = json.load(open(os.path.join(C.WORK, "meta.json")))["jsrt"]
    net = LesionNet()
    sd = torch.load(a.weights)
    net.load_state_dict(sd["net"] if "net" in sd else sd)
    net.eval()
    val = [i for i, m in enumerate(meta) if m["val"]]
    train_nod = [i for i, m in enumerate(meta) if not m["val"] and m["x"] is not None]
    cands = []   # (score, image index, hit nodule?, diameter_mm)
    times = []
    per_img = {}
    with torch.no_grad():
        for i in val + train_nod:
            x = torch.from_numpy(C.zscore(d["imgs"][i].astype(np.float32)))[None, None]
            t0 = time.time()
            p = net(x)[0, 0]
            if a.tta:
                p = 0.5 * (p + torch.flip(net(torch.flip(x, [3]))[0, 0], [1]))
            p = p.numpy()
            times.append(time.time() - t0)
            m = meta[i]
            per_img[i] = []
            for score, reg, yx in regions(p):
                ys, xs = np.nonzero(reg)
                cx, cy = xs.mean() + 0.5, ys.mean() + 0.5
                hit = False
                if m["x"] is not None:
                    hit = math.hypot(cx - m["x"], cy - m["y"]) <= m["diameter_px"] / 2
                dms = {lv: feret_mean(region_at(p, yx, lv, reg)) * C.MM_PER_PX for lv in LEVELS} if hit else {}
                per_img[i].append((score, hit, dms, cx, cy))
    # FROC: sort all candidates; the first hit of a nodule is a TP, later hits are ignored, others FP
    # contour level: calibrated on the TRAINING nodules (best hit per nodule), not on validation
    best = {}
    for i in train_nod:
        hits = [c for c in per_img[i] if c[1]]
        if hits:
            best[i] = max(hits, key=lambda c: c[0])[2]
    lvl_err = {lv: float(np.median([abs(best[i][lv] - meta[i]["diameter_mm"]) for i in best])) if best else 1e9 for lv in LEVELS}
    level = min(LEVELS, key=lambda lv: lvl_err[lv])
    times = times[:len(val)]
    allc = sorted([(s, i, h, dm.get(level)) for i in val for (s, h, dm, _, _) in per_img[i]], key=lambda t: -t[0])
    n_img = len(val)
    nods = [i for i in val if meta[i]["x"] is not None]
    thresholds = sorted({round(s, 4) for s, *_ in allc}, reverse=True)

    def at(th):
        found, fp, diam = {}, 0, {}
        for s, i, h, dm in allc:
            if s < th:
                break
            if h:
                if i not in found:
                    found[i] = s
                    diam[i] = dm
            else:
                fp += 1
        return found, fp / n_img, diam

    curve = []
    for th in thresholds:
        found, fpi, _ = at(th)
        curve.append((th, fpi, len(found) / len(nods)))
    res = {"n_images": n_img, "n_nodules": len(nods), "froc": {}, "by_subtlety": {}, "curve": curve[:400]}
    groups = {s: [i for i in nods if meta[i]["subtlety"] == s] for s in range(1, 6)}
    groups["4-5"] = groups[4] + groups[5]

    def best_th(rate):
        ok = [c for c in curve if c[1] <= rate]
        return min(ok, key=lambda c: (-c[2], c[0]))[0] if ok else 1.0 + 1e-9

    for rate in FP_RATES:
        th = best_th(rate)
        found, fpi, _ = at(th)
        row = {"threshold": th, "fp_per_image": fpi, "sensitivity": len(found) / len(nods),
               "ci95": wilson(len(found), len(nods))}
        for g, ids in groups.items():
            k = sum(i in found for i in ids)
            row["s%s" % g] = [k, len(ids)]
        res["froc"][str(rate)] = row
    res["cpm"] = float(np.mean([res["froc"][str(r)]["sensitivity"] for r in FP_RATES]))
    # operating point: the lowest threshold with <= 0.5 FP/image on validation, rounded up to 0.001
    th = math.ceil(best_th(0.5) * 1000) / 1000
    found, fpi, diam = at(th)
    errs = []
    for i in found:
        errs.append(abs(diam[i] - meta[i]["diameter_mm"]))
    lung, heart = d["lung"], d["heart"]
    loc = {"in_lung": [0, 0], "outside_lung_or_over_heart": [0, 0]}
    for i in nods:
        y, x = int(meta[i]["y"]), int(meta[i]["x"])
        k = "in_lung" if (lung[i][y, x] and not heart[i][y, x]) else "outside_lung_or_over_heart"
        loc[k][1] += 1
        loc[k][0] += int(i in found)
    res["operating_point"] = {
        "threshold": th, "fp_per_image": fpi, "sensitivity": len(found) / len(nods), "ci95": wilson(len(found), len(nods)),
        "by_subtlety": {str(g): [sum(i in found for i in ids), len(ids)] for g, ids in groups.items()},
        "diameter_abs_error_mm": {"median": float(np.median(errs)) if errs else None,
                                  "mean": float(np.mean(errs)) if errs else None,
                                  "signed_median": float(np.median([diam[i] - meta[i]["diameter_mm"] for i in found])) if errs else None,
                                  "n": len(errs)},
        "by_location": loc,
        "missed": [{"id": meta[i]["id"], "subtlety": meta[i]["subtlety"], "diameter_mm": meta[i]["diameter_mm"]} for i in nods if i not in found],
    }
    res["contour_level"] = level
    res["contour_level_train_median_abs_error_mm"] = lvl_err
    res["train_nodules_hit_any_threshold"] = [len(best), len(train_nod)]
    res["torch_ms_per_image_1thread_median"] = 1000 * float(np.median(times))
    json.dump(res, open(a.out, "w"), indent=1)
    print("FP/img  thr    sens   (95% CI)        s1   s2   s3   s4   s5   s4-5")
    for rate in FP_RATES:
        r = res["froc"][str(rate)]
        print("%-6s  %.3f  %.2f  (%.2f-%.2f)  " % (rate, r["threshold"], r["sensitivity"], *r["ci95"]) +
              "  ".join("%d/%d" % tuple(r["s%s" % g]) for g in [1, 2, 3, 4, 5, "4-5"]))
    print("CPM %.3f" % res["cpm"])
    print("operating point", json.dumps(res["operating_point"]))
    print("contour level", level, lvl_err)
    print("torch ms/img %.0f" % res["torch_ms_per_image_1thread_median"])


if __name__ == "__main__":
    main()
