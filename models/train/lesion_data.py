"""Build the lesion-detector cache (models/.work/lesion/cache.npz): JSRT + covid-seg at S x S.

Usage: python3 models/train/lesion_data.py
"""
import csv
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402


def read_mask(path):
    if not os.path.exists(path):
        return None
    return cv2.imread(path, cv2.IMREAD_GRAYSCALE) > 127


def union_masks(cd, rid, classes, shape):
    """Union of a covid-seg image's masks of the given classes (a missing file = none annotated)."""
    acc = np.zeros(shape, bool)
    for k in classes:
        m = read_mask(os.path.join(cd, "masks", k, rid + ".png"))
        if m is not None:
            acc |= m
    return acc


def small_mask(m, size=C.SIZE):
    return (C.resize_to_input(m.astype(np.float32), size) > 0.5).astype(np.uint8)


def main():
    os.makedirs(C.WORK, exist_ok=True)
    jd = os.path.join(C.DATA, "jsrt-train")
    with open(os.path.join(jd, "nodules.csv")) as f:
        nodules = list(csv.DictReader(f))
    with open(os.path.join(jd, "normals.csv")) as f:
        normals = [r["id"] for r in csv.DictReader(f)]
    ids = sorted([n["id"] for n in nodules] + normals)
    val = C.split_jsrt(nodules, normals)
    S = C.SIZE
    imgs = np.zeros((len(ids), S, S), np.float16)
    lung = np.zeros((len(ids), S, S), np.uint8)
    heart = np.zeros((len(ids), S, S), np.uint8)
    for i, cid in enumerate(ids):
        imgs[i] = C.resize_to_input(C.read_grey(os.path.join(jd, "images", cid + ".png")))
        lr = read_mask(os.path.join(jd, "masks", "right_lung", cid + ".png"))
        ll = read_mask(os.path.join(jd, "masks", "left_lung", cid + ".png"))
        lung[i] = small_mask(lr | ll)
        heart[i] = small_mask(read_mask(os.path.join(jd, "masks", "heart", cid + ".png")))
    nod = {n["id"]: n for n in nodules}
    scale = S / 1024.0
    meta = []
    for cid in ids:
        n = nod.get(cid)
        meta.append({
            "id": cid, "val": cid in val,
            "x": float(n["x"]) * scale if n else None, "y": float(n["y"]) * scale if n else None,
            "diameter_mm": float(n["diameter_mm"]) if n else None,
            "diameter_px": float(n["diameter_mm"]) / C.MM_PER_PX if n else None,
            "subtlety": int(n["subtlety"]) if n else None,
            "lobe": n["lobe"] if n else None,
        })
    # covid-seg: airspace opacity = GGO | consolidation; lungs for sampling
    cd = os.path.join(C.DATA, "covid-seg")
    with open(os.path.join(cd, "images.csv")) as f:
        crow = list(csv.DictReader(f))
    cimgs = np.zeros((len(crow), S, S), np.float16)
    copac = np.zeros((len(crow), S, S), np.uint8)
    clung = np.zeros((len(crow), S, S), np.uint8)
    for i, r in enumerate(crow):
        im = C.read_grey(os.path.join(cd, "images", r["id"] + ".jpg"))
        cimgs[i] = C.resize_to_input(im)
        copac[i] = small_mask(union_masks(cd, r["id"], ("ground_glass_opacity", "consolidation"), im.shape))
        clung[i] = small_mask(union_masks(cd, r["id"], ("right_lung", "left_lung"), im.shape))
    # LIDC templates (1 mm/px): keep mask and thickness
    lz = np.load(os.path.join(C.DATA, "lidc-nodule-drr-patches", "lidc_nodule_drr_patches.npz"))
    np.savez(os.path.join(C.WORK, "cache.npz"), imgs=imgs, lung=lung, heart=heart,
             cimgs=cimgs, copac=copac, clung=clung,
             tmask=lz["mask"], tthick=lz["thickness"])
    with open(os.path.join(C.WORK, "meta.json"), "w") as f:
        json.dump({"jsrt": meta, "covid": [r["id"] for r in crow], "size": S, "seed": C.SEED}, f)
    nv = [m for m in meta if m["val"] and m["subtlety"]]
    print("cases", len(ids), "val", sum(m["val"] for m in meta), "val nodules", len(nv),
          "by subtlety", {s: sum(m["subtlety"] == s for m in nv) for s in range(1, 6)})
    # contrast of the real nodules (disc mean minus annulus mean, [0,1] grey at S)
    yy, xx = np.mgrid[0:S, 0:S]
    con = []
    for i, m in enumerate(meta):
        if m["x"] is None:
            continue
        r2 = (xx - m["x"]) ** 2 + (yy - m["y"]) ** 2
        R = m["diameter_px"] / 2
        im = imgs[i].astype(np.float32)
        inner = im[r2 <= (0.6 * R) ** 2].mean()
        ring = im[(r2 > (1.3 * R) ** 2) & (r2 <= (2.0 * R) ** 2)].mean()
        con.append((m["subtlety"], inner - ring, float(im.std())))
    con = np.array(con)
    for s in range(1, 6):
        c = con[con[:, 0] == s]
        print("subtlety", s, "contrast median %.3f IQR %.3f..%.3f  img std %.3f" % (
            np.median(c[:, 1]), np.percentile(c[:, 1], 25), np.percentile(c[:, 1], 75), np.median(c[:, 2])))


if __name__ == "__main__":
    main()
