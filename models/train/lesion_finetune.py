"""Site-robust fine-tuning of the shipped lesion detector (issue 12): warm start from the exported
ONNX weights (BatchNorm is folded there: each BN becomes an identity with the conv bias, its
statistics frozen), then train on the lesion_train.py mix plus
  * NIH normals of the TRAIN split by patient (models/cxr-lesion/splits.json): negatives, half of
    them centred on the shipped detector's own false candidates (hard-negative mining,
    lesion_nih_prep.ts), channel 0 target 0 at weight 1;
  * synthetic nodules (LIDC templates / parametric, lesion_synth.py) inserted into those NIH
    normals inside the anatomy model's thoracic region, contrast scaled to the image's grey spread;
  * site augmentation on every crop: gamma, S-shaped contrast curves, MONOCHROME1-style
    re-windowing, noise, blur, lossy JPEG (q 25-90), resolution loss (down/up 0.4-0.9).
Time-budgeted, checkpointed every 100 steps, resumable (--resume).
Usage: python3 models/train/lesion_finetune.py --minutes 40 [--resume]
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402
import lesion_synth as SY  # noqa: E402
import lesion_train as LT  # noqa: E402
from lesion_model import LesionNet  # noqa: E402

CK = os.path.join(C.WORK, "ft_ckpt.pt")


def load_onnx_into(net, path):
    """Copy folded conv weights from the ONNX graph into LesionNet in execution order."""
    m = onnx.load(path)
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    convs = [(n.input[1], n.input[2] if len(n.input) > 2 else None) for n in m.graph.node if n.op_type == "Conv"]
    mods = []
    for e in net.enc:
        mods += [(e[0], e[1]), (e[3], e[4])]
    for i in range(len(net.dec) - 1, -1, -1):
        d = net.dec[i]
        mods += [(d[0], d[1]), (d[3], d[4])]
    mods.append((net.head, None))
    assert len(mods) == len(convs), (len(mods), len(convs))
    for (conv, bn), (wn, bn_name) in zip(mods, convs):
        w = torch.from_numpy(init[wn].copy())
        assert tuple(w.shape) == tuple(conv.weight.shape), (w.shape, conv.weight.shape)
        conv.weight.data.copy_(w)
        b = torch.from_numpy(init[bn_name].copy()) if bn_name else torch.zeros(w.shape[0])
        if bn is None:
            conv.bias.data.copy_(b)
        else:
            bn.weight.data.fill_(1.0)
            bn.bias.data.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)


def freeze_bn(net):
    for mod in net.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.eval()


class SiteSampler(LT.Sampler):
    def __init__(self, seed):
        super().__init__(seed)
        js = json.load(open(os.path.join(C.WORK, "nih_train.json")))
        n, S = len(js["ids"]), js["size"]
        self.nimg = np.fromfile(os.path.join(C.WORK, "nih_train_img.bin"), np.uint8).reshape(n, S, S)
        self.nreg = np.fromfile(os.path.join(C.WORK, "nih_train_region.bin"), np.uint8).reshape(n, S, S)
        self.npeaks = [m["peaks"] for m in js["meta"]]
        self.nreg_pts = [np.argwhere(cv2.erode(r, np.ones((9, 9), np.uint8)) > 0) for r in self.nreg]
        self.nih_ok = [i for i in range(n) if len(self.nreg_pts[i]) > 100]

    def site_aug(self, img):
        """Whole-image [0,1] augmentation for what differs between hospitals."""
        rng = self.rng
        if rng.random() < 0.4:   # S-shaped / flattened contrast curve
            k = rng.uniform(-0.6, 0.6)
            img = np.clip(img + k * img * (1 - img) * (img - 0.5) * 4, 0, 1)
        if rng.random() < 0.25:  # re-windowing (a narrower/wider VOI window)
            lo, hi = np.percentile(img, [rng.uniform(0, 5), rng.uniform(95, 100)])
            img = np.clip((img - lo) / max(hi - lo, 1e-3), 0, 1)
        if rng.random() < 0.3:   # resolution loss
            f = rng.uniform(0.4, 0.9)
            S = img.shape[0]
            small = cv2.resize(img, (int(S * f), int(S * f)), interpolation=cv2.INTER_AREA)
            img = cv2.resize(small, (S, S), interpolation=cv2.INTER_LINEAR)
        if rng.random() < 0.3:   # lossy JPEG
            q = int(rng.integers(25, 91))
            ok, enc = cv2.imencode(".jpg", (np.clip(img, 0, 1) * 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, q])
            img = cv2.imdecode(enc, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0
        return img.astype(np.float32)

    def nih_sample(self, kind):
        rng = self.rng
        S = C.SIZE
        i = self.nih_ok[rng.integers(len(self.nih_ok))]
        img = self.nimg[i].astype(np.float32) / 255.0
        tgt0 = np.zeros((S, S), np.float32)
        centre = None
        if kind == "nihneg" and self.npeaks[i] and rng.random() < 0.6:
            x, y, _ = self.npeaks[i][rng.integers(len(self.npeaks[i]))]
            j = rng.uniform(-0.3, 0.3, 2) * C.CROP
            centre = (x + j[0], y + j[1])
        if kind == "nihsyn":
            pts = self.nreg_pts[i]
            avoid = [(p[0], p[1], 12) for p in self.npeaks[i]]
            std_scale = float(np.clip(img.std() / 0.19, 0.6, 1.6))
            for _ in range(int(rng.integers(1, 4))):
                r = SY.sample_diameter_mm(rng) / C.MM_PER_PX / 2
                for _t in range(20):
                    y, x = pts[rng.integers(len(pts))]
                    if all((x - ax) ** 2 + (y - ay) ** 2 > (ar + r + 20) ** 2 for ax, ay, ar in avoid):
                        break
                else:
                    continue
                old = SY.AMP_RANGE[:]
                SY.AMP_RANGE[:] = [old[0] * std_scale, old[1] * std_scale]
                res = SY.insert(rng, img, float(x), float(y), r, self.tmask, self.tthick)
                SY.AMP_RANGE[:] = old
                if res is None:
                    continue
                self._put_target(tgt0, *res)
                avoid.append((float(x), float(y), r))
                if centre is None:
                    j = rng.uniform(-0.35, 0.35, 2) * C.CROP
                    centre = (x + j[0], y + j[1])
        if centre is None:
            pts = self.nreg_pts[i]
            y, x = pts[rng.integers(len(pts))]
            centre = (float(x), float(y))
        tgt = np.stack([tgt0, np.zeros((S, S), np.float32)])
        w0 = np.ones((S, S), np.float32)
        # "No Finding" films: no airspace opacity either (the shipped opacity channel fired 1.7 times
        # per NIH validation image), so channel 1 is a full-weight negative here
        w1 = np.where(tgt0 > 0.3, 0.0, 1.0).astype(np.float32)
        return self._crop(img, tgt, w0, w1, *centre)

    def _crop(self, img, tgt, w0, w1, cx, cy):
        return super()._crop(self.site_aug(img), tgt, w0, w1, cx, cy)

    def batch(self, plan):
        xs, ts, ws = [], [], []
        for k in plan:
            if k in ("nihneg", "nihsyn"):
                x, t, w = self.nih_sample(k)
            elif k == "covid":
                x, t, w = self.covid_sample()
            else:
                x, t, w = self.jsrt_sample(k)
            xs.append(x[None]); ts.append(t); ws.append(w)
        return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ts)), torch.from_numpy(np.stack(ws))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=40)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--plan", default="3,2,1,1,3,2", help="real,synth,neg,covid,nihneg,nihsyn")
    a = ap.parse_args()
    torch.manual_seed(C.SEED + 12)
    torch.set_num_threads(int(os.environ.get("LESION_THREADS", "1")))
    net = LesionNet()
    load_onnx_into(net, os.path.join(C.OUT_DIR, "1", "model.onnx"))
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)
    state = {"step": 0, "elapsed": 0.0}
    if a.resume and os.path.exists(CK):
        z = torch.load(CK)
        net.load_state_dict(z["net"]); opt.load_state_dict(z["opt"]); state = z["state"]
    names = ["real", "synth", "neg", "covid", "nihneg", "nihsyn"]
    plan = [k for k, n in zip(names, (int(v) for v in a.plan.split(","))) for _ in range(n)]
    sampler = SiteSampler(C.SEED + 1212 + state["step"])
    SY.AMP_RANGE[:] = [0.012, 0.10]
    budget = a.minutes * 60
    t_start = time.time() - state["elapsed"]
    log = open(os.path.join(C.WORK, "ft.log"), "a")
    run = 0.0
    net.train(); freeze_bn(net)
    while time.time() - t_start < budget:
        frac = (time.time() - t_start) / budget
        lr = a.lr * min(1.0, (state["step"] + 1) / 30) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, t, w = sampler.batch(plan)
        loss, l0, l1 = LT.loss_fn(net(x, logits=True), t, w)
        opt.zero_grad(); loss.backward(); opt.step()
        state["step"] += 1
        run += float(loss)
        if state["step"] % 25 == 0:
            msg = "step %d t %.0fs lr %.2e loss %.4f" % (state["step"], time.time() - t_start, lr, run / 25)
            print(msg, flush=True); log.write(msg + "\n"); log.flush(); run = 0.0
        if state["step"] % 100 == 0:
            LT.save_checkpoint(net, opt, state, CK, t_start)
    LT.save_final(net, opt, state, CK, t_start, "ft_final.pt")


if __name__ == "__main__":
    main()
