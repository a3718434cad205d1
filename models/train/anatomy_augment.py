"""Radiograph augmentation on cached S x S arrays (image in [0,1], soft masks in [0,1])."""
import cv2
import numpy as np


def geometric(img, masks, rng):
    """Rotation +-10 deg, scale +-10 %, mild aspect change, translation +-6 %."""
    s = img.shape[0]
    angle = rng.uniform(-10, 10)
    scale = rng.uniform(0.9, 1.1)
    aspect = rng.uniform(0.92, 1.08)  # covid images are squashed to a square by the server
    m = cv2.getRotationMatrix2D((s / 2, s / 2), angle, scale)
    m[0] *= aspect  # stretch x about the centre
    m[0, 2] += (1 - aspect) * s / 2
    m[:, 2] += rng.uniform(-0.06, 0.06, 2) * s
    img = cv2.warpAffine(img, m, (s, s), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    out = np.stack([cv2.warpAffine(k, m, (s, s), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=0) for k in masks])
    return img, out


def intensity(img, rng):
    """Gamma, windowing, blur/sharpen, noise, CLAHE and a uniform label rectangle in a corner."""
    s = img.shape[0]
    img = np.clip(img, 0, 1) ** np.exp(rng.uniform(-0.4, 0.4))
    if rng.random() < 0.3:  # window: clip a random low/high fraction, re-stretch
        lo, hi = np.quantile(img, [rng.uniform(0, 0.1), rng.uniform(0.9, 1.0)])
        img = np.clip((img - lo) / max(hi - lo, 1e-3), 0, 1)
    if rng.random() < 0.15:
        clahe = cv2.createCLAHE(clipLimit=rng.uniform(1.0, 3.0), tileGridSize=(8, 8))
        img = clahe.apply((img * 255).astype(np.uint8)).astype(np.float32) / 255
    r = rng.random()
    if r < 0.25:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    elif r < 0.4:
        blur = cv2.GaussianBlur(img, (0, 0), rng.uniform(1.0, 3.0))
        img = np.clip(img + rng.uniform(0.3, 1.0) * (img - blur), 0, 1)
    if rng.random() < 0.3:
        img = img + rng.normal(0, rng.uniform(0.005, 0.03), img.shape).astype(np.float32)
    if rng.random() < 0.3:  # blanked label area as in 74 of 166 JSRT images
        h, w = (rng.uniform(0.04, 0.2, 2) * s).astype(int)
        y0 = 0 if rng.random() < 0.5 else s - h
        x0 = 0 if rng.random() < 0.7 else s - w
        img[y0:y0 + h, x0:x0 + w] = rng.choice([0.0, 0.94, rng.uniform(0, 1)])
    return img.astype(np.float32)


def zscore(img):
    """Per-image normalisation of the input contract."""
    return (img - img.mean()) / max(float(img.std()), 1e-6)


def augment(img, masks, rng):
    img, masks = geometric(img, masks, rng)
    return zscore(intensity(img, rng)), masks
