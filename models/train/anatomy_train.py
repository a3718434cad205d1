"""Train the chest-anatomy U-Net on CPU.

Usage: /usr/bin/python3 models/train/anatomy_train.py [--epochs N] [--time-budget-min M]
Writes models/.work/anatomy/{last.pt,train_log.csv}; a stopped run still leaves last.pt to export.
"""
import argparse
import csv
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import anatomy_config as C
import anatomy_data as D
from anatomy_augment import augment, zscore
from anatomy_net import UNet


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def masked_loss(logits, target, valid):
    """BCE + soft Dice per (image, class); classes not annotated in an image are ignored."""
    w = valid[:, :, None, None].float()
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    bce = (bce * w).sum() / (w.sum() * logits.shape[-1] * logits.shape[-2]).clamp(min=1)
    p = torch.sigmoid(logits)
    inter = (p * target).sum((2, 3))
    denom = p.sum((2, 3)) + target.sum((2, 3))
    dice = 1 - (2 * inter + 1) / (denom + 1)
    v = valid.float()
    return bce + (dice * v).sum() / v.sum().clamp(min=1)


def lr_at(progress, base, warmup=0.05):
    """Linear warm-up then cosine decay to 1 % of base, progress in [0,1]."""
    if progress < warmup:
        return base * (0.1 + 0.9 * progress / warmup)
    q = min((progress - warmup) / (1 - warmup), 1.0)
    return base * (0.01 + 0.99 * 0.5 * (1 + np.cos(np.pi * q)))


def val_dice(net, data, idx):
    """Mean hard Dice per class at S (quick check during training)."""
    net.eval()
    sums, counts = np.zeros(C.N_CLASSES), np.zeros(C.N_CLASSES)
    with torch.no_grad():
        for i in idx:
            x = torch.from_numpy(zscore(data["imgs"][i].astype(np.float32)))[None, None]
            p = torch.sigmoid(net(x))[0].numpy() > 0.5
            t = data["masks"][i] > 127
            for k in np.flatnonzero(data["valid"][i]):
                sums[k] += 2 * (p[k] & t[k]).sum() / max(p[k].sum() + t[k].sum(), 1)
                counts[k] += 1
    net.train()
    return sums / np.maximum(counts, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--time-budget-min", type=float, default=42.0)
    # One thread: on the shared 2-core machine two OpenMP threads ran 2.7x slower than one.
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    seed_everything(C.SEED)

    data = D.build_cache()
    ids = list(data["ids"])
    train_cases, val_cases = D.split_cases(D.jsrt_cases() + D.covid_cases())
    tr = [ids.index(c["id"]) for c in train_cases]
    va = [ids.index(c["id"]) for c in val_cases]
    print(f"train {len(tr)} val {len(va)}", flush=True)

    net = UNet(C.N_CLASSES, C.WIDTHS)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = (len(tr) + args.batch - 1) // args.batch
    total_steps = args.epochs * steps_per_epoch
    budget_s = args.time_budget_min * 60
    rng = np.random.default_rng(C.SEED)
    os.makedirs(C.WORK, exist_ok=True)
    log_path = os.path.join(C.WORK, "train_log.csv")
    t0 = time.time()
    with open(log_path, "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "loss", "seconds"] + C.CLASSES)
        step, progress = 0, 0.0
        for epoch in range(args.epochs):
            order = rng.permutation(tr)
            losses = []
            for b in range(0, len(order), args.batch):
                batch = order[b:b + args.batch]
                xs, ys = [], []
                for i in batch:
                    img, m = augment(data["imgs"][i].astype(np.float32),
                                     data["masks"][i].astype(np.float32) / 255, rng)
                    xs.append(img[None])
                    ys.append(m)
                x = torch.from_numpy(np.stack(xs))
                y = torch.from_numpy(np.stack(ys))
                v = torch.from_numpy(data["valid"][batch])
                loss = masked_loss(net(x), y, v)
                # Cosine schedule over whichever runs out first: epochs or the wall-time budget,
                # so a run on a loaded machine still anneals before it stops.
                progress = max(step / total_steps, (time.time() - t0) / budget_s)
                for g in opt.param_groups:
                    g["lr"] = lr_at(progress, args.lr)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                losses.append(loss.item())
            elapsed = time.time() - t0
            last = epoch == args.epochs - 1 or progress >= 1
            dice = val_dice(net, data, va) if epoch % 5 == 4 or last else None
            row = [epoch, np.mean(losses), round(elapsed)] + (list(np.round(dice, 4)) if dice is not None else [])
            log.writerow(row)
            f.flush()
            print(*row, flush=True)
            torch.save({"state_dict": net.state_dict(), "epoch": epoch, "widths": C.WIDTHS,
                        "size": C.SIZE, "seconds": elapsed}, os.path.join(C.WORK, "last.pt"))
            if progress >= 1:
                print("time budget reached, stopping", flush=True)
                break


if __name__ == "__main__":
    main()
