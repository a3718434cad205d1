"""Export the trained lesion detector to ONNX (opset 17) in the Triton layout:
models/cxr-lesion/1/model.onnx, config.pbtxt, labels.txt. The operating point is read from the
validation evaluation (models/.work/lesion/eval.json, written by lesion_eval.py).
Usage: python3 models/train/lesion_export.py [--weights models/.work/lesion/final.pt]
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lesion_common as C  # noqa: E402
from lesion_model import LesionNet  # noqa: E402

CONFIG = """name: "cxr-lesion"
platform: "onnxruntime_onnx"
max_batch_size: 0
input [
  {{
    name: "image"
    data_type: TYPE_FP32
    dims: [ 1, 1, {S}, {S} ]
  }}
]
output [
  {{
    name: "probs"
    data_type: TYPE_FP32
    dims: [ 1, 2, {S}, {S} ]
    label_filename: "labels.txt"
  }}
]
parameters {{ key: "normalization" value: {{ string_value: "per_image_zscore" }} }}
parameters {{ key: "input_range" value: {{ string_value: "0..1 bright=dense" }} }}
parameters {{ key: "resize" value: {{ string_value: "direct to {S}x{S}, aspect not kept, area interpolation" }} }}
parameters {{ key: "operating_point" value: {{ string_value: "{OP}" }} }}
parameters {{ key: "operating_point_note" value: {{ string_value: "{NOTE}" }} }}
parameters {{ key: "opacity_threshold" value: {{ string_value: "{OPAC}" }} }}
parameters {{ key: "high_confidence" value: {{ string_value: "{HIGH}" }} }}
parameters {{ key: "test_time_flip" value: {{ string_value: "{TTA}" }} }}
parameters {{ key: "contour_level" value: {{ string_value: "{LEVEL}" }} }}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(C.WORK, "final.pt"))
    ap.add_argument("--out", default=C.OUT_DIR, help="model folder (config.pbtxt, labels.txt, 1/model.onnx)")
    ap.add_argument("--op", type=float, help="operating point (else from eval.json)")
    ap.add_argument("--opacity", type=float, default=0.5, help="opacity_threshold")
    ap.add_argument("--high", type=float, default=0.95, help="high_confidence band (out-of-domain images)")
    ap.add_argument("--note", help="operating_point_note")
    ap.add_argument("--level", type=float, default=0.90, help="contour_level")
    ap.add_argument("--tta", type=int, default=1, help="test_time_flip: 1 = mean of the image's and its mirror's maps")
    a = ap.parse_args()
    torch.manual_seed(C.SEED)
    net = LesionNet()
    sd = torch.load(a.weights)
    net.load_state_dict(sd["net"] if "net" in sd else sd)
    net.eval()
    S = C.SIZE
    out = os.path.join(a.out, "1")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "model.onnx")
    x = torch.from_numpy(C.zscore(np.load(os.path.join(C.WORK, "cache.npz"))["imgs"][0].astype(np.float32)))[None, None]
    torch.onnx.export(net, x, path, opset_version=17, input_names=["image"], output_names=["probs"],
                      do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    with torch.no_grad():
        ref = net(x).numpy()
    np.save(os.path.join(C.WORK, "export_check_input.npy"), x.numpy())
    np.save(os.path.join(C.WORK, "export_check_output.npy"), ref)
    if a.op is None:
        ev = json.load(open(os.path.join(C.WORK, "eval.json")))
        op = ev["operating_point"]
        thr, level = op["threshold"], ev["contour_level"]
        note = ("validation (JSRT, %d nodule + %d normal images): %.2f FP/image, sensitivity %.2f" % (
            ev["n_nodules"], ev["n_images"] - ev["n_nodules"], op["fp_per_image"], op["sensitivity"]))
    else:
        thr, level, note = a.op, a.level, a.note or "see MODEL_CARD.md"
    with open(os.path.join(a.out, "config.pbtxt"), "w") as f:
        f.write(CONFIG.format(S=S, OP="%.3f" % thr, NOTE=note, LEVEL="%.2f" % level, OPAC="%.3f" % a.opacity, HIGH="%.3f" % max(a.high, thr), TTA=a.tta))
    with open(os.path.join(a.out, "labels.txt"), "w") as f:
        f.write("nodule\nopacity\n")
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    n = sum(p.numel() for p in net.parameters())
    print("exported", path, "params", n, "sha256", sha, "operating point %.3f" % thr)


if __name__ == "__main__":
    main()
