"""Fixed settings and shared helpers of the lesion detector (cxr-lesion)."""
import os
import random

import cv2
import numpy as np

from paths import DATA, HERE, MODELS, REPO, work_dir  # noqa: F401  (re-exported to the scripts)

WORK = work_dir("lesion")
OUT_DIR = os.path.join(MODELS, "cxr-lesion")

SIZE = 512                 # model input S (square, aspect not kept) -> 0.70 mm/px on JSRT
JSRT_MM_PER_PX = 0.35      # at 1024
MM_PER_PX = JSRT_MM_PER_PX * 1024 / SIZE   # 0.70 at S=512
SEED = 20240611
VAL_FRACTION = 0.25        # of nodule cases (stratified by subtlety) and of normals
CROP = 224                 # training crop (fully convolutional net, full S x S at inference)


def set_threads(torch):
    """CPU etiquette: 1 thread while the anatomy model is still training, else 2."""
    done = os.path.exists(os.path.join(MODELS, "cxr-anatomy", "1", "model.onnx"))
    n = int(os.environ.get("LESION_THREADS", "2" if done else "1"))
    torch.set_num_threads(n)
    return n


def read_grey(path):
    im = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if im is None:
        raise FileNotFoundError(path)
    return im.astype(np.float32) / 255.0


def resize_to_input(img, size=SIZE):
    """Same as the anatomy model and the server: straight to S x S, area interpolation."""
    return cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)


def zscore(img):
    """Per-image z-score over the whole S x S image (the model contract)."""
    m = float(img.mean())
    s = float(img.std())
    return ((img - m) / max(s, 1e-6)).astype(np.float32)


def split_jsrt(nodules, normals, seed=SEED, frac=VAL_FRACTION):
    """Validation split by case: nodule cases stratified by subtlety (largest remainder), normals at random."""
    rng = random.Random(seed)
    by_sub = {}
    for n in sorted(nodules, key=lambda r: r["id"]):
        by_sub.setdefault(int(n["subtlety"]), []).append(n["id"])
    total = sum(len(v) for v in by_sub.values())
    n_val = round(frac * total)
    quotas = {k: n_val * len(v) / total for k, v in by_sub.items()}
    alloc = {k: int(q) for k, q in quotas.items()}
    rest = n_val - sum(alloc.values())
    for k in sorted(quotas, key=lambda k: -(quotas[k] - alloc[k]))[:rest]:
        alloc[k] += 1
    val = set()
    for k in sorted(by_sub):
        ids = by_sub[k][:]
        rng.shuffle(ids)
        val.update(ids[:alloc[k]])
    nids = sorted(normals)
    rng.shuffle(nids)
    val.update(nids[:round(frac * len(nids))])
    return val


def nodule_target(mask, peak_at=None):
    """Soft heatmap target from a binary nodule mask: 0.5 on the boundary, 1 at the deepest
    interior point, falling off quickly outside, so that the half-of-peak contour traces the
    nodule outline and the peak marks its centre."""
    m = mask.astype(np.uint8)
    out = np.zeros(mask.shape, np.float32)
    ys, xs = np.nonzero(m)
    if len(ys) == 0:
        return out
    # local window around the mask (the target is ~0 beyond ~1.5 radii outside it)
    pad = int(max(ys.max() - ys.min(), xs.max() - xs.min())) + 6
    y0, y1 = max(ys.min() - pad, 0), min(ys.max() + pad + 1, m.shape[0])
    x0, x1 = max(xs.min() - pad, 0), min(xs.max() + pad + 1, m.shape[1])
    out[y0:y1, x0:x1] = _target(m[y0:y1, x0:x1])
    return out


def _target(m):
    din = cv2.distanceTransform(m, cv2.DIST_L2, 3)
    dout = cv2.distanceTransform(1 - m, cv2.DIST_L2, 3)
    r = max(float(din.max()), 1.0)
    t = np.where(m > 0, 0.5 + 0.5 * np.clip(din / r, 0, 1),
                 0.5 * np.exp(-(dout ** 2) / (2 * (0.25 * r + 1.0) ** 2)))
    return t.astype(np.float32)
