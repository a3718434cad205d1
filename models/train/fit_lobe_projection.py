"""Fit P(lobe | side, s, t) for the lobe projection of api.md 5.4.

Data: JSRT training nodules (../shared/data/jsrt-train/nodules.csv) with a true lobe, placed in
lung-normalised coordinates with the SCR lung mask of their side (api.md 5.3):
  s = (y - yApex) / (yBase - yApex),  t = |x - xMedial(y)| / |xLateral(y) - xMedial(y)|,
both clamped to [0, 1] (9 nodule centres lie behind the heart, mediastinum or diaphragm: they keep
their lobe and get the nearest lung row / the medial edge). Pixel edges are used for the extremes
(a mask pixel c spans [c, c+1)), like the server's contours.

Model: multinomial logistic regression per side on (1, s, t, s², t², s·t) with an L2 penalty
(intercept not penalised), fitted by gradient descent (numpy only), with balanced class weights:
the projection should follow geometry, not JSRT's nodule incidence (36 RUL vs 9 RML nodules would
otherwise keep RML from ever being the most probable lobe). Right: RUL/RML/RLL; left:
LUL/LLL (JSRT folds the lingula into LUL; the server splits it geometrically).

Validation: cases are split once (seed 20240607, 25 % of cases per side to validation), the
penalty is chosen by 5-fold cross-validation on the training part, the accuracy on the held-out
part is reported, and the stored coefficients are refitted on all cases.

Usage: /usr/bin/python3 models/train/fit_lobe_projection.py  → models/lobe-projection/params.json
"""
import csv
import json
import os
import random

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "jsrt-train"))
OUT = os.path.join(REPO, "models", "lobe-projection", "params.json")
SEED = 20240607
CLASSES = {"right": ["RUL", "RML", "RLL"], "left": ["LUL", "LLL"]}
FEATURES = ["1", "s", "t", "s2", "t2", "st"]
LAMBDAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]


def mask(name, case):
    return np.array(Image.open(os.path.join(DATA, "masks", name, case + ".png"))) > 127


def lung_coords(m, x, y, side):
    """s, t of api.md 5.3 for the image point (x, y) in lung mask m (standard orientation)."""
    rows = np.where(m.any(1))[0]
    y_apex, y_base = rows[0], rows[-1] + 1
    s = (y - y_apex) / (y_base - y_apex)
    r = int(np.clip(np.floor(y), rows[0], rows[-1]))
    while not m[r].any():  # a gap row inside the range: take the nearest row with lung
        r += 1
    cols = np.where(m[r])[0]
    lo, hi = cols[0], cols[-1] + 1
    # patient right = image left: the right lung's medial edge is its largest column
    med, lat = (hi, lo) if side == "right" else (lo, hi)
    t = abs(x - med) / max(abs(lat - med), 1e-6)
    if (side == "right" and x > med) or (side == "left" and x < med):
        t = 0.0  # medial to the lung (behind heart or mediastinum)
    return float(np.clip(s, 0, 1)), float(np.clip(t, 0, 1))


def features(s, t):
    s, t = np.asarray(s, float), np.asarray(t, float)
    return np.stack([np.ones_like(s), s, t, s * s, t * t, s * t], -1)


def class_weights(y, k):
    """Balanced weights n / (k · n_c): a uniform prior over lobes instead of JSRT's nodule incidence."""
    counts = np.bincount(y, minlength=k).astype(float)
    return (len(y) / (k * np.maximum(counts, 1)))[y]


def fit(X, y, k, lam, iters=6000, lr=0.5):
    W = np.zeros((k, X.shape[1]))
    Y = np.eye(k)[y]
    sw = class_weights(y, k)[:, None]
    pen = np.ones(X.shape[1]); pen[0] = 0
    for _ in range(iters):
        Z = X @ W.T
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z); P /= P.sum(1, keepdims=True)
        G = ((P - Y) * sw).T @ X / len(X) + lam * W * pen
        W -= lr * G
    return W


def predict(W, X):
    return np.argmax(X @ W.T, 1)


def balanced_accuracy(pred, y, k):
    recalls = [float((pred[y == c] == c).mean()) for c in range(k) if (y == c).any()]
    return sum(recalls) / len(recalls)


def cv_accuracy(X, y, k, lam, folds=5, seed=SEED):
    """Cross-validated balanced accuracy (mean per-lobe recall) on the training part."""
    idx = list(range(len(y)))
    random.Random(seed).shuffle(idx)
    pred = np.zeros(len(y), int)
    for f in range(folds):
        val = idx[f::folds]
        tr = [i for i in idx if i not in set(val)]
        W = fit(X[tr], y[tr], k, lam)
        pred[val] = predict(W, X[val])
    return balanced_accuracy(pred, y, k)


def main():
    with open(os.path.join(DATA, "nodules.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["lobe"]]
    data = {"right": [], "left": []}
    for r in rows:
        side = "right" if r["side"] == "R" else "left"
        m = mask("right_lung" if side == "right" else "left_lung", r["id"])
        s, t = lung_coords(m, float(r["x"]), float(r["y"]), side)
        data[side].append((r["id"], s, t, CLASSES[side].index(r["lobe"])))
    out = {
        "version": 1,
        "method": "multinomial logistic regression on (s, t, s², t², s·t) per side, L2-penalised, balanced class weights (uniform prior over lobes)",
        "fittedOn": "JSRT training nodules with a true lobe (SCR lung masks), lung-normalised coordinates (api.md 5.3), clamped to [0, 1]",
        "features": FEATURES,
        "sides": {},
        "validation": {"split": "by case, seed %d, 25%% of each side held out; penalty by 5-fold CV on the rest" % SEED},
    }
    total_hits = total_n = 0
    for side, items in data.items():
        k = len(CLASSES[side])
        ids = [i[0] for i in items]
        X = features([i[1] for i in items], [i[2] for i in items])
        y = np.array([i[3] for i in items])
        order = sorted(range(len(ids)), key=lambda i: ids[i])
        random.Random(SEED).shuffle(order)
        n_val = round(0.25 * len(order))
        val, tr = order[:n_val], order[n_val:]
        cvs = {lam: cv_accuracy(X[tr], y[tr], k, lam) for lam in LAMBDAS}
        lam = max(LAMBDAS, key=lambda l: (cvs[l], l))
        W = fit(X[tr], y[tr], k, lam)
        acc = float((predict(W, X[val]) == y[val]).mean())
        bacc = balanced_accuracy(predict(W, X[val]), y[val], k)
        total_hits += int((predict(W, X[val]) == y[val]).sum()); total_n += len(val)
        base = float((y[val] == np.bincount(y[tr], minlength=k).argmax()).mean())
        W_all = fit(X, y, k, lam)
        out["sides"][side] = {
            "classes": CLASSES[side],
            "coef": np.round(W_all, 5).tolist(),
            "lambda": lam,
            "n": len(items),
            "counts": {c: int((y == j).sum()) for j, c in enumerate(CLASSES[side])},
        }
        out["validation"][side] = {
            "nTrain": len(tr), "nVal": len(val), "accuracy": round(acc, 3),
            "balancedAccuracy": round(bacc, 3),
            "majorityBaseline": round(base, 3), "cvBalancedAccuracyTrain": round(cvs[lam], 3),
            "resubstitutionAllCases": round(float((predict(W_all, X) == y).mean()), 3),
        }
        print(side, "lambda", lam, "cv", {l: round(v, 3) for l, v in cvs.items()}, "val acc", round(acc, 3), "val balanced", round(bacc, 3), "baseline", round(base, 3))
    out["validation"]["accuracy"] = round(total_hits / total_n, 3)
    out["validation"]["nVal"] = total_n
    print("overall validation accuracy", out["validation"]["accuracy"], "on", total_n)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
