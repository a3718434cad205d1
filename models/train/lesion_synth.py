"""Synthetic nodules for training: LIDC-IDRI projected templates and parametric shapes,
inserted into real JSRT radiographs in the display domain (bright = dense).

Each generator returns (profile, body): profile = relative added density (float, peak ~1),
body = binary nodule body (the training target; spicules excluded)."""
import math

import cv2
import numpy as np

import lesion_common as C


def _blur(a, sigma):
    if sigma <= 0.3:
        return a
    k = int(2 * math.ceil(3 * sigma) + 1)
    return cv2.GaussianBlur(a, (k, k), sigma)


def parametric(rng, r_px):
    """Ellipsoid-like nodule with optional lobulation, spicules, calcification, cavity."""
    half = int(math.ceil(r_px * 2.6)) + 4
    yy, xx = np.mgrid[-half:half + 1, -half:half + 1].astype(np.float32)
    ang = rng.uniform(0, math.pi)
    asp = rng.uniform(1.0, 1.45) if rng.random() < 0.6 else 1.0
    xr = (xx * math.cos(ang) + yy * math.sin(ang)) * math.sqrt(asp)
    yr = (-xx * math.sin(ang) + yy * math.cos(ang)) / math.sqrt(asp)
    r = np.sqrt(xr ** 2 + yr ** 2)
    th = np.arctan2(yr, xr)
    margin = rng.choice(["smooth", "lobulated", "spiculated"], p=[0.5, 0.3, 0.2])
    rad = np.full_like(r, r_px)
    if margin in ("lobulated", "spiculated"):
        for k in rng.choice([2, 3, 4, 5, 6], size=rng.integers(1, 4), replace=False):
            rad *= 1 + rng.uniform(0.05, 0.16) * np.cos(k * th + rng.uniform(0, 2 * math.pi))
    q = np.clip(1 - (r / rad) ** 2, 0, 1)
    prof = np.sqrt(q).astype(np.float32)
    body = r < rad
    if r_px >= 3 and rng.random() < 0.10:   # calcified: dense core
        cr = r_px * rng.uniform(0.2, 0.45)
        prof += rng.uniform(0.6, 1.3) * np.exp(-(xx ** 2 + yy ** 2) / (2 * cr ** 2)).astype(np.float32)
    elif r_px >= 6 and rng.random() < 0.08:  # cavitated: lucent centre, thick wall
        cr = r_px * rng.uniform(0.3, 0.6)
        prof *= 1 - rng.uniform(0.6, 0.95) * _blur((xx ** 2 + yy ** 2 < cr ** 2).astype(np.float32), 1.0)
    if margin == "spiculated":
        sp = np.zeros_like(prof)
        for _ in range(rng.integers(4, 13)):
            a = rng.uniform(0, 2 * math.pi)
            r0 = r_px * 0.8
            ln = r_px * rng.uniform(0.3, 1.2)
            p0 = (int(half + r0 * math.cos(a)), int(half + r0 * math.sin(a)))
            p1 = (int(half + (r0 + ln) * math.cos(a)), int(half + (r0 + ln) * math.sin(a)))
            cv2.line(sp, p0, p1, float(rng.uniform(0.25, 0.55)), 1, cv2.LINE_AA)
        prof = np.maximum(prof, sp)
    sig = r_px * (rng.uniform(0.03, 0.10) if margin == "smooth" else rng.uniform(0.06, 0.2))
    prof = _blur(prof, max(sig, 0.5))
    return prof, body


def lidc(rng, r_px, tmask, tthick):
    """A projected LIDC nodule (thickness map) rescaled to the requested diameter."""
    for _ in range(20):
        i = int(rng.integers(len(tmask)))
        m = tmask[i]
        if m.sum() >= 12:
            break
    ys, xs = np.nonzero(m)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    th = tthick[i].astype(np.float32) * m
    th = th[max(y0 - 2, 0):y1 + 2, max(x0 - 2, 0):x1 + 2]
    mk = m[max(y0 - 2, 0):y1 + 2, max(x0 - 2, 0):x1 + 2].astype(np.float32)
    d_eq = 2 * math.sqrt(m.sum() / math.pi)
    f = 2 * r_px / d_eq
    h, w = th.shape
    nh, nw = max(int(round(h * f)), 3), max(int(round(w * f)), 3)
    th = cv2.resize(th, (nw, nh), interpolation=cv2.INTER_LINEAR)
    mk = cv2.resize(mk, (nw, nh), interpolation=cv2.INTER_LINEAR)
    k = int(rng.integers(4))
    th, mk = np.rot90(th, k).copy(), np.rot90(mk, k).copy()
    if rng.random() < 0.5:
        th, mk = th[:, ::-1].copy(), mk[:, ::-1].copy()
    pad = int(r_px) + 3
    th = np.pad(th, pad)
    mk = np.pad(mk, pad)
    prof = _blur(th / max(th.max(), 1e-3), max(0.5, 0.06 * r_px))
    return prof.astype(np.float32), mk > 0.5


# contrast range (grey units); the trainer widens it to the realistic range after a warm-up
AMP_RANGE = [0.012, 0.10]


def insert(rng, img, cx, cy, r_px, tmask, tthick):
    """Add a nodule to img (in place, [0,1], bright = dense); returns (local body mask, y0, x0) or None."""
    if rng.random() < 0.4:
        prof, body = lidc(rng, r_px, tmask, tthick)
    else:
        prof, body = parametric(rng, r_px)
    H, W = img.shape
    h, w = prof.shape
    x0, y0 = int(round(cx)) - w // 2, int(round(cy)) - h // 2
    xa, ya, xb, yb = max(x0, 0), max(y0, 0), min(x0 + w, W), min(y0 + h, H)
    if xb <= xa or yb <= ya:
        return None
    p = prof[ya - y0:yb - y0, xa - x0:xb - x0]
    b = body[ya - y0:yb - y0, xa - x0:xb - x0]
    local = float(img[ya:yb, xa:xb].mean())
    # contrast of real JSRT nodules is 0.01-0.06 grey (median 0.03); film shoulder: less in dense areas
    lo, hi = AMP_RANGE
    amp = math.exp(rng.uniform(math.log(lo), math.log(hi))) * float(np.clip(1.35 - 0.7 * local, 0.6, 1.2))
    if rng.random() < 0.5:   # nodule texture: mild multiplicative noise
        p = p * (1 + 0.15 * _blur(rng.standard_normal(p.shape).astype(np.float32), 1.0))
    img[ya:yb, xa:xb] = np.clip(img[ya:yb, xa:xb] + amp * p, 0, 1)
    return b, ya, xa


def sample_diameter_mm(rng):
    """5-40 mm, log-uniform (more small nodules), a few masses."""
    return float(math.exp(rng.uniform(math.log(5), math.log(40))))
