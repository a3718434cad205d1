"""Loading, splitting and caching of JSRT/SCR and covid-seg anatomy masks at S x S."""
import csv
import os
import random

import cv2
import numpy as np

import anatomy_config as C


def read_grey(path):
    """Read an 8-bit grey image as float32 in [0,1], bright = dense."""
    im = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if im is None:
        raise FileNotFoundError(path)
    return im.astype(np.float32) / 255.0


def read_mask(path):
    """Read a 0/255 mask as bool; None where the file is absent (class not annotated)."""
    if not os.path.exists(path):
        return None
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE) > 127


def resize_to_input(img, size=C.SIZE):
    """Resize like the server does: straight to size x size, area interpolation."""
    return cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)


def jsrt_cases():
    ids = sorted(f[:-4] for f in os.listdir(os.path.join(C.DATA, "jsrt-train", "images")))
    return [{"id": i, "set": "jsrt", "group": i} for i in ids]


def covid_cases():
    with open(os.path.join(C.DATA, "covid-seg", "images.csv")) as f:
        rows = list(csv.DictReader(f))
    return [{"id": r["id"], "set": "covid", "group": "p" + r["patientid"]} for r in rows]


def split_cases(cases, seed=C.SEED, frac=C.VAL_FRACTION):
    """Split by group (JSRT case / covid patient), per data set, seeded; returns (train, val)."""
    train, val = [], []
    for name in ("jsrt", "covid"):
        sub = [c for c in cases if c["set"] == name]
        groups = sorted({c["group"] for c in sub})
        random.Random(seed).shuffle(groups)
        n_val_img = round(frac * len(sub))
        val_groups, n = set(), 0
        for g in groups:
            if n >= n_val_img:
                break
            val_groups.add(g)
            n += sum(c["group"] == g for c in sub)
        for c in sub:
            (val if c["group"] in val_groups else train).append(c)
    return train, val


def full_res_labels(case):
    """Image [H,W] in [0,1], masks {class: bool [H,W]} for the annotated classes of one case."""
    if case["set"] == "jsrt":
        root = os.path.join(C.DATA, "jsrt-train")
        img = read_grey(os.path.join(root, "images", case["id"] + ".png"))
        masks = {k: read_mask(os.path.join(root, "masks", v, case["id"] + ".png"))
                 for k, v in C.JSRT_MASKS.items()}
    else:
        root = os.path.join(C.DATA, "covid-seg")
        img = read_grey(os.path.join(root, "images", case["id"] + ".jpg"))
        masks = {k: read_mask(os.path.join(root, "masks", v, case["id"] + ".png"))
                 for k, v in C.COVID_MASKS.items()}
        cm = masks[5]
        for k, v in C.COVID_LUNGS.items():
            lung = read_mask(os.path.join(root, "masks", v, case["id"] + ".png"))
            # SCR visible-lung convention: remove the retro-cardiac part.
            masks[k] = None if lung is None else (lung & ~cm if cm is not None else lung)
    return img, {k: m for k, m in masks.items() if m is not None}


def build_cache(size=C.SIZE):
    """Cache every case at size x size: image float16, soft masks uint8 0..255, valid flags."""
    path = os.path.join(C.WORK, f"cache_{size}.npz")
    if os.path.exists(path):
        return dict(np.load(path, allow_pickle=True))
    os.makedirs(C.WORK, exist_ok=True)
    cases = jsrt_cases() + covid_cases()
    n = len(cases)
    imgs = np.zeros((n, size, size), np.float16)
    masks = np.zeros((n, C.N_CLASSES, size, size), np.uint8)
    valid = np.zeros((n, C.N_CLASSES), bool)
    for i, c in enumerate(cases):
        img, m = full_res_labels(c)
        imgs[i] = resize_to_input(img, size)
        for k, mk in m.items():
            masks[i, k] = np.round(resize_to_input(mk.astype(np.float32), size) * 255)
            valid[i, k] = True
    ids = np.array([c["id"] for c in cases])
    np.savez(path, imgs=imgs, masks=masks, valid=valid, ids=ids)
    return dict(imgs=imgs, masks=masks, valid=valid, ids=ids)
