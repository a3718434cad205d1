"""Per-class AUC and calibration of the sign analysers on real nodule morphology (issue 13).

Reads the rows of scripts/lidc-signs.ts (LIDC nodules re-projected with an attenuation model and
inserted into JSRT normals), labels them from the readers' median ratings, splits BY PATIENT
(SeriesInstanceUID hash: 70 % fit, 30 % test), and reports on the test part:
  - the AUC of the shipped analyser's own score for each class (no fitting),
  - the AUC of a small L2 logistic model fitted on the measured features (fit part only),
  - the calibration of that model (predicted vs observed rate in probability bins),
  - how the shipped sign calls ("present" / "absent" / "indeterminate") fall per class.
Writes the fitted coefficients (JSON) next to the input.

  /usr/bin/python3 scripts/lidc-fit.py /tmp/lidc/features.json
"""
import hashlib, json, math, os, sys
import numpy as np

rows = json.load(open(sys.argv[1]))['rows']
FEATS = ['boundarySharpness', 'edgeWidthMm', 'contourRoughness', 'lobulationIndex', 'notchCount', 'spiculeCount',
         'spiculeLengthMaxMm', 'densityCv', 'calcifiedFraction', 'calcContrast', 'lucentFraction', 'contrast', 'edgeSnr', 'diameterMm']


def label_margin(r):
    if r['spiculation'] >= 3: return 'spiculated'
    if r['lobulation'] >= 3: return 'lobulated'
    if r['margin'] <= 2: return 'ill_defined'
    return 'smooth'


TARGETS = {
    'calcified (readers: any calcification)': (lambda r: r['calcification'] != 6, lambda f: f['calcifiedFraction'], 'calcification'),
    'spiculated (spiculation ≥ 3)': (lambda r: label_margin(r) == 'spiculated', lambda f: f['spiculeCount'] + f['spiculeLengthMaxMm'] / 10, 'margin_spiculated'),
    'lobulated (lobulation ≥ 3, not spiculated)': (lambda r: label_margin(r) == 'lobulated', lambda f: f['lobulationIndex'], 'margin_lobulated'),
    'ill-defined (margin ≤ 2, neither)': (lambda r: label_margin(r) == 'ill_defined', lambda f: -f['boundarySharpness'], 'margin_ill_defined'),
    'smooth (margin ≥ 3, neither)': (lambda r: label_margin(r) == 'smooth', lambda f: -f['contourRoughness'] + f['boundarySharpness'], 'margin_smooth'),
    'ground glass (texture ≤ 2)': (lambda r: (r['texture'] or 5) <= 2, lambda f: -f['contrast'] / max(f['diameterMm'], 1), 'homogeneous_density'),
}


def test_part(p):
    return int(hashlib.sha1(p.encode()).hexdigest(), 16) % 10 >= 7


def auc(y, s):
    y = np.asarray(y, bool); s = np.asarray(s, float)
    pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0: return float('nan')
    order = np.argsort(np.concatenate([pos, neg]), kind='mergesort')
    ranks = np.empty(len(order)); ranks[order] = np.arange(1, len(order) + 1)
    allv = np.concatenate([pos, neg])
    for v in np.unique(allv):  # mid-ranks for ties
        idx = allv == v
        ranks[idx] = ranks[idx].mean()
    return (ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def design(rs, mu=None, sd=None):
    X = np.array([[r['features'][k] for k in FEATS] for r in rs], float)
    X = np.sign(X) * np.log1p(np.abs(X) * 10)
    if mu is None: mu, sd = X.mean(0), X.std(0) + 1e-9
    return (X - mu) / sd, mu, sd


def fit_logistic(X, y, lam=1.0, iters=50):
    Xb = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(Xb.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-Xb @ w))
        g = Xb.T @ (p - y) + lam * np.r_[w[:-1], 0]
        H = Xb.T @ (Xb * (p * (1 - p))[:, None]) + lam * np.diag(np.r_[np.ones(len(w) - 1), 0])
        w -= np.linalg.solve(H, g)
    return w


rows = [r for r in rows if r['features']['diameterMm']]
train = [r for r in rows if not test_part(r['patient'])]
test = [r for r in rows if test_part(r['patient'])]
Xtr, mu, sd = design(train)
Xte, _, _ = design(test, mu, sd)
print(f'{len(rows)} nodules ({len(set(r["patient"] for r in rows))} patients): fit {len(train)}, test {len(test)} (split by patient)\n')
print('| class (readers\' median) | test positives | AUC, shipped analyser score | AUC, fitted logistic model | shipped call on test positives: present / absent / indet. | "present" on test negatives |')
print('|---|---|---|---|---|---|')
models, calib = {}, {}
for name, (lab, score, sid) in TARGETS.items():
    ytr = np.array([lab(r) for r in train], float); yte = np.array([lab(r) for r in test], bool)
    a0 = auc(yte, [score(r['features']) for r in test])
    w = fit_logistic(Xtr, ytr)
    pte = 1 / (1 + np.exp(-(np.hstack([Xte, np.ones((len(Xte), 1))]) @ w)))
    a1 = auc(yte, pte)
    models[name] = {'signId': sid, 'weights': dict(zip(FEATS + ['bias'], map(float, w)))}
    st = [r['signs'][sid]['status'] for r in test]
    pos = [s for s, y in zip(st, yte) if y]; neg = [s for s, y in zip(st, yte) if not y]
    cnt = lambda xs, v: sum(1 for x in xs if x == v)
    present_neg = f'{cnt(neg, "present")}/{len(neg)} ({100 * cnt(neg, "present") / max(1, len(neg)):.0f} %)'
    if sid == 'homogeneous_density': present_neg = '—'
    print(f'| {name} | {int(yte.sum())} | {a0:.2f} | {a1:.2f} | {cnt(pos, "present")} / {cnt(pos, "absent")} / {cnt(pos, "indeterminate")} | {present_neg} |')
    bins = [0, 0.1, 0.2, 0.4, 0.6, 1.0001]
    cal = []
    for lo, hi in zip(bins[:-1], bins[1:]):
        m = (pte >= lo) & (pte < hi)
        if m.sum(): cal.append((lo, hi, int(m.sum()), float(pte[m].mean()), float(yte[m].mean())))
    calib[name] = cal
print('\nCalibration of the fitted models on the test part (predicted mean → observed rate, n):\n')
for name, cal in calib.items():
    print(f'- {name}: ' + '; '.join(f'{lo:.1f}–{min(hi, 1):.1f}: {p:.2f} → {o:.2f} (n={n})' for lo, hi, n, p, o in cal))
out = os.path.join(os.path.dirname(sys.argv[1]), 'lidc-sign-models.json')
json.dump({'features': FEATS, 'transform': 'sign(x)·log1p(10|x|), standardised', 'mu': mu.tolist(), 'sd': sd.tolist(), 'models': models}, open(out, 'w'), indent=1)
print(f'\ncoefficients → {out}')
