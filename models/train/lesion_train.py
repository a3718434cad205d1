"""Train the lesion detector on 256x256 crops of the S x S images (real + synthetic nodules,
covid-seg airspace opacity). Time-budgeted (cosine LR over the wall-clock budget), checkpointed,
resumable. Usage: python3 models/train/lesion_train.py [--minutes 45] [--resume]
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402
import lesion_synth as SY  # noqa: E402
from lesion_model import LesionNet  # noqa: E402


class Sampler:
    def __init__(self, seed):
        d = np.load(os.path.join(C.WORK, "cache.npz"))
        self.imgs, self.lung, self.heart = d["imgs"], d["lung"], d["heart"]
        self.cimgs, self.copac, self.clung = d["cimgs"], d["copac"], d["clung"]
        self.tmask, self.tthick = d["tmask"], d["tthick"]
        meta = json.load(open(os.path.join(C.WORK, "meta.json")))["jsrt"]
        self.meta = meta
        self.train = [i for i, m in enumerate(meta) if not m["val"]]
        self.train_nod = [i for i in self.train if meta[i]["x"] is not None]
        self.rng = np.random.default_rng(seed)
        S = C.SIZE
        self.yy, self.xx = np.mgrid[0:S, 0:S].astype(np.float32)
        # where synthetic nodules may go: lungs (most), heart/sub-diaphragm band (some)
        self.lung_pts = [np.argwhere(cv2.erode(self.lung[i], np.ones((9, 9), np.uint8)) > 0) for i in range(len(meta))]
        self.other_pts = []
        for i in range(len(meta)):
            l = self.lung[i]
            dil = cv2.dilate(l, np.ones((41, 41), np.uint8))
            ys = np.nonzero(l.any(1))[0]
            band = np.zeros_like(l)
            if len(ys):
                band[ys.max() - 10:min(ys.max() + 40, S)] = 1
            other = ((self.heart[i] > 0) | ((band > 0) & (dil > 0))) & (l == 0)
            self.other_pts.append(np.argwhere(other))

    def _crop(self, img, tgt, w0, w1, cx, cy):
        """img: raw [0,1] S x S; photometric augmentation and the per-image z-score (statistics of
        the whole augmented image, from a 2x subsample) are applied to the crop only (speed)."""
        rng = self.rng
        S = C.SIZE
        s = float(np.exp(rng.uniform(math.log(0.85), math.log(1.2))))  # scale aug
        c = C.CROP / s
        x0 = np.clip(cx - c / 2, 0, S - c)
        y0 = np.clip(cy - c / 2, 0, S - c)
        M = np.array([[s, 0, -x0 * s], [0, s, -y0 * s]], np.float32)
        out = [cv2.warpAffine(a, M, (C.CROP, C.CROP), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
               for a in (img, tgt[0], tgt[1], w0, w1)]
        g = float(np.exp(rng.uniform(-0.35, 0.35)))
        sub = np.clip(img[::2, ::2], 0, 1) ** g
        crop = np.clip(out[0], 0, 1) ** g
        crop = (crop - float(sub.mean())) / max(float(sub.std()), 1e-6)
        if rng.random() < 0.3:
            crop = cv2.GaussianBlur(crop, (0, 0), float(rng.uniform(0.5, 1.2)))
        if rng.random() < 0.3:
            crop = crop + rng.normal(0, rng.uniform(0.003, 0.012) / max(float(sub.std()), 1e-6), crop.shape).astype(np.float32)
        return crop.astype(np.float32), np.stack(out[1:3]), np.stack(out[3:5])

    def _photometric(self, img):
        rng = self.rng
        img = np.clip(img, 0, 1) ** float(np.exp(rng.uniform(-0.35, 0.35)))
        if rng.random() < 0.3:
            img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.5, 1.2)))
        if rng.random() < 0.3:
            img = img + rng.normal(0, rng.uniform(0.003, 0.012), img.shape).astype(np.float32)
        return img

    def _place(self, i, avoid):
        rng = self.rng
        pts = self.other_pts[i] if (rng.random() < 0.15 and len(self.other_pts[i])) else self.lung_pts[i]
        for _ in range(30):
            y, x = pts[rng.integers(len(pts))]
            if all((x - ax) ** 2 + (y - ay) ** 2 > (ar + 25) ** 2 for ax, ay, ar in avoid):
                return float(x), float(y)
        return None

    @staticmethod
    def _put_target(tgt, body, y0, x0):
        """max() the soft target of a local body mask (top-left y0, x0) into the full map."""
        S = tgt.shape[0]
        h, w = body.shape
        pad = max(h, w) + 6
        big = np.zeros((h + 2 * pad, w + 2 * pad), bool)
        big[pad:pad + h, pad:pad + w] = body
        t = C.nodule_target(big)
        ya, xa = y0 - pad, x0 - pad
        sy0, sx0 = max(0, -ya), max(0, -xa)
        ty0, tx0 = ya + sy0, xa + sx0
        ty1, tx1 = min(S, ya + big.shape[0]), min(S, xa + big.shape[1])
        if ty1 <= ty0 or tx1 <= tx0:
            return
        tgt[ty0:ty1, tx0:tx1] = np.maximum(tgt[ty0:ty1, tx0:tx1], t[sy0:sy0 + ty1 - ty0, sx0:sx0 + tx1 - tx0])

    def jsrt_sample(self, kind):
        rng = self.rng
        S = C.SIZE
        if kind == "real":
            i = self.train_nod[rng.integers(len(self.train_nod))]
        else:
            i = self.train[rng.integers(len(self.train))]
        m = self.meta[i]
        img = self.imgs[i].astype(np.float32)
        avoid = []
        if m["x"] is not None:
            avoid.append((m["x"], m["y"], m["diameter_px"] / 2))
        centre = None
        if kind == "real":
            j = rng.uniform(-0.35, 0.35, 2) * C.CROP
            centre = (m["x"] + j[0], m["y"] + j[1])
        n_syn = {"real": int(rng.random() < 0.3), "synth": int(rng.integers(1, 4)), "neg": 0}[kind]
        tgt0 = np.zeros((S, S), np.float32)
        for _ in range(n_syn):
            d_mm = SY.sample_diameter_mm(rng)
            r = d_mm / C.MM_PER_PX / 2
            p = self._place(i, avoid)
            if p is None:
                continue
            res = SY.insert(rng, img, p[0], p[1], r, self.tmask, self.tthick)
            if res is None:
                continue
            self._put_target(tgt0, *res)
            avoid.append((p[0], p[1], r))
            if centre is None:
                j = rng.uniform(-0.35, 0.35, 2) * C.CROP
                centre = (p[0] + j[0], p[1] + j[1])
        if m["x"] is not None:
            r = m["diameter_px"] / 2
            x0, y0 = int(max(m["x"] - r - 2, 0)), int(max(m["y"] - r - 2, 0))
            x1, y1 = int(min(m["x"] + r + 3, S)), int(min(m["y"] + r + 3, S))
            disc = (self.xx[y0:y1, x0:x1] - m["x"]) ** 2 + (self.yy[y0:y1, x0:x1] - m["y"]) ** 2 <= r * r
            self._put_target(tgt0, disc, y0, x0)
        if centre is None:
            pts = self.lung_pts[i]
            y, x = pts[rng.integers(len(pts))]
            centre = (float(x), float(y))
        tgt = np.stack([tgt0, np.zeros((S, S), np.float32)])
        w0 = np.ones((S, S), np.float32)
        w1 = np.where(tgt0 > 0.3, 0.0, 0.3).astype(np.float32)  # nodules are not airspace opacity labels
        return self._crop(img, tgt, w0, w1, *centre)

    def covid_sample(self):
        rng = self.rng
        S = C.SIZE
        i = int(rng.integers(len(self.cimgs)))
        img = self.cimgs[i].astype(np.float32)
        op = self.copac[i].astype(np.float32)
        pts = np.argwhere(op > 0) if (op.sum() > 0 and rng.random() < 0.7) else np.argwhere(self.clung[i] > 0)
        if len(pts) == 0:
            pts = np.array([[S // 2, S // 2]])
        y, x = pts[rng.integers(len(pts))]
        tgt = np.stack([np.zeros((S, S), np.float32), op])
        w0 = np.full((S, S), 0.3, np.float32)  # nodules are not annotated in covid-seg
        w1 = np.ones((S, S), np.float32)
        return self._crop(img, tgt, w0, w1, float(x), float(y))

    def batch(self, plan):
        xs, ts, ws = [], [], []
        for k in plan:
            x, t, w = self.covid_sample() if k == "covid" else self.jsrt_sample(k)
            xs.append(x[None]); ts.append(t); ws.append(w)
        return (torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ts)), torch.from_numpy(np.stack(ws)))


PLAN = ["real"] * 4 + ["synth"] * 4 + ["neg"] * 2 + ["covid"] * 2


def soft_dice(p, t):
    return 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)


def loss_fn(logits, t, w):
    bce = F.binary_cross_entropy_with_logits(logits, t, reduction="none")
    # channel 0: up-weight the (rare) nodule pixels + batch soft Dice (fights the imbalance,
    # pushes the background to 0); channel 1: BCE + Dice
    w = w.clone()
    w[:, 0] = w[:, 0] * (1 + 5 * t[:, 0])
    p0 = torch.sigmoid(logits[:, 0])
    l0 = (bce[:, 0] * w[:, 0]).mean() + 0.5 * soft_dice(p0 * (w[:, 0] > 0.5), t[:, 0])
    l1 = (bce[:, 1] * w[:, 1]).mean()
    p1 = torch.sigmoid(logits[:, 1]) * (w[:, 1] > 0.5)
    inter = (p1 * t[:, 1]).sum()
    dice = 1 - (2 * inter + 1) / (p1.sum() + t[:, 1].sum() + 1)
    return l0 + l1 + 0.2 * dice, float(l0), float(l1)


def save_checkpoint(net, opt, state, path, t_start, atomic=True):
    """Saves the net, optimiser and loop state (its elapsed time updated) to path; atomic: via path + ".tmp"."""
    state["elapsed"] = time.time() - t_start
    ck = {"net": net.state_dict(), "opt": opt.state_dict(), "state": state}
    if atomic:
        torch.save(ck, path + ".tmp")
        os.replace(path + ".tmp", path)
    else:
        torch.save(ck, path)


def save_final(net, opt, state, path, t_start, final_name):
    """The end of a training run: the last checkpoint, the bare weights as C.WORK/final_name, and a line."""
    save_checkpoint(net, opt, state, path, t_start, atomic=False)
    torch.save(net.state_dict(), os.path.join(C.WORK, final_name))
    print("done", state)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=45)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--init", default=None, help="warm start from these weights (new optimiser and schedule)")
    ap.add_argument("--warm", type=float, default=0.25, help="fraction of the budget with easier (higher-contrast) synthetic nodules")
    ap.add_argument("--plan", default="4,4,2,2", help="crops per batch: real,synth,neg,covid")
    ap.add_argument("--warmup", type=int, default=100, help="linear LR warm-up steps")
    a = ap.parse_args()
    torch.manual_seed(C.SEED)
    nthr = C.set_threads(torch)
    net = LesionNet()
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    ck = os.path.join(C.WORK, "ckpt.pt")
    state = {"step": 0, "elapsed": 0.0}
    if a.init:
        z = torch.load(a.init)
        net.load_state_dict(z["net"] if "net" in z else z)
    if a.resume and os.path.exists(ck):
        z = torch.load(ck)
        net.load_state_dict(z["net"]); opt.load_state_dict(z["opt"]); state = z["state"]
    nr, ns, nn, nc = (int(v) for v in a.plan.split(","))
    plan = ["real"] * nr + ["synth"] * ns + ["neg"] * nn + ["covid"] * nc
    # a continuation (--init) gets its own sampler stream, not a replay of the first run's crops
    sampler = Sampler(C.SEED + state["step"] + (7919 if a.init else 0))
    budget = a.minutes * 60
    t_start = time.time() - state["elapsed"]
    log = open(os.path.join(C.WORK, "train.log"), "a")
    run0 = l0s = l1s = 0.0
    net.train()
    while True:
        el = time.time() - t_start
        if el >= budget:
            break
        frac = el / budget
        lr = a.lr * (min(1.0, (state["step"] + 1) / a.warmup)) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        # curriculum: clearer synthetic nodules first, then the realistic JSRT contrast range
        SY.AMP_RANGE[:] = [0.03, 0.15] if frac < a.warm else [0.012, 0.10]
        if state["step"] % 16 == 0:  # threads may go up once the anatomy model is done
            nthr = C.set_threads(torch)
        x, t, w = sampler.batch(plan)
        logits = net(x, logits=True)
        loss, l0, l1 = loss_fn(logits, t, w)
        opt.zero_grad()
        loss.backward()
        opt.step()
        state["step"] += 1
        run0 += float(loss); l0s += l0; l1s += l1
        if state["step"] % 50 == 0:
            msg = "step %d t %.0fs lr %.2e loss %.4f l0 %.4f l1 %.4f thr %d" % (
                state["step"], time.time() - t_start, lr, run0 / 50, l0s / 50, l1s / 50, nthr)
            print(msg, flush=True); log.write(msg + "\n"); log.flush()
            run0 = l0s = l1s = 0.0
        if state["step"] % 200 == 0:
            save_checkpoint(net, opt, state, ck, t_start)
    save_final(net, opt, state, ck, t_start, "final.pt")


if __name__ == "__main__":
    main()
