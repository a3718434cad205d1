"""Export a two-member ensemble (mean of the probability maps of the run-3 weights, read back from the
shipped ONNX, and of a fine-tuned checkpoint) as ONE ONNX graph with the cxr-lesion contract.
Usage: python3 models/train/lesion_ensemble_export.py --b models/.work/lesion/ft_final.pt --out DIR
(writes DIR/1/model.onnx; config.pbtxt/labels.txt are copied from models/cxr-lesion and edited by hand)
"""
import argparse
import os
import shutil
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402
from lesion_finetune import load_onnx_into  # noqa: E402
from lesion_model import LesionNet  # noqa: E402


class Mean2(torch.nn.Module):
    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = a, b

    def forward(self, x):
        return 0.5 * (self.a(x) + self.b(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", default=os.path.join(C.OUT_DIR, "1", "model.onnx"))
    ap.add_argument("--b", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    na, nb = LesionNet(), LesionNet()
    load_onnx_into(na, a.a)
    sd = torch.load(a.b)
    nb.load_state_dict(sd["net"] if "net" in sd else sd)
    m = Mean2(na, nb).eval()
    os.makedirs(os.path.join(a.out, "1"), exist_ok=True)
    x = torch.from_numpy(C.zscore(np.load(os.path.join(C.WORK, "cache.npz"))["imgs"][0].astype(np.float32)))[None, None]
    path = os.path.join(a.out, "1", "model.onnx")
    torch.onnx.export(m, x, path, opset_version=17, input_names=["image"], output_names=["probs"], do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        np.save(os.path.join(C.WORK, "export_check_input.npy"), x.numpy())
        np.save(os.path.join(C.WORK, "export_check_output.npy"), m(x).numpy())
    for f in ("config.pbtxt", "labels.txt"):
        shutil.copy(os.path.join(C.OUT_DIR, f), os.path.join(a.out, f))
    print("exported", path)


if __name__ == "__main__":
    main()
