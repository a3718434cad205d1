"""Export the trained anatomy U-Net to ONNX (opset 17) in Triton layout and check it.

Usage: /usr/bin/python3 models/train/anatomy_export.py [--checkpoint PATH]
Writes models/cxr-anatomy/{1/model.onnx,config.pbtxt,labels.txt}. The graph includes the sigmoid.
Checks: onnx.checker; outputs vs torch via onnxruntime (Python if installed, else onnxruntime-node).
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import onnx
import torch

import anatomy_config as C
from anatomy_augment import zscore
from anatomy_data import build_cache
from anatomy_eval import load_net
from anatomy_net import WithSigmoid

CONFIG = """name: "cxr-anatomy"
platform: "onnxruntime_onnx"
max_batch_size: 0
input [
  {{
    name: "image"
    data_type: TYPE_FP32
    dims: [ 1, 1, {s}, {s} ]
  }}
]
output [
  {{
    name: "probs"
    data_type: TYPE_FP32
    dims: [ 1, {n}, {s}, {s} ]
    label_filename: "labels.txt"
  }}
]
parameters {{
  key: "normalization"
  value: {{ string_value: "per_image_zscore" }}
}}
parameters {{
  key: "input_range"
  value: {{ string_value: "0..1 bright=dense" }}
}}
"""


def run_onnxruntime(path, x):
    """Probabilities from onnxruntime: Python package if present, else the server's onnxruntime-node."""
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        return sess.run(["probs"], {"image": x})[0], {"runtime": "onnxruntime-python"}
    except ImportError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        xin, xout = os.path.join(tmp, "in.f32"), os.path.join(tmp, "out.f32")
        x.astype("<f4").tofile(xin)
        script = os.path.join(C.HERE, "anatomy_onnx_check.cjs")
        res = subprocess.run(["node", script, path, xin, xout, str(C.SIZE)], cwd=C.REPO,
                             check=True, capture_output=True, text=True)
        info = json.loads(res.stdout.strip().splitlines()[-1])
        info["runtime"] = "onnxruntime-node"
        return np.fromfile(xout, "<f4").reshape(1, C.N_CLASSES, C.SIZE, C.SIZE), info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=os.path.join(C.WORK, "last.pt"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    net, ck = load_net(args.checkpoint)
    model = WithSigmoid(net).eval()
    os.makedirs(os.path.join(C.OUT_DIR, "1"), exist_ok=True)
    path = os.path.join(C.OUT_DIR, "1", "model.onnx")
    dummy = torch.zeros(1, 1, C.SIZE, C.SIZE)
    torch.onnx.export(model, dummy, path, opset_version=17, input_names=["image"],
                      output_names=["probs"], do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    with open(os.path.join(C.OUT_DIR, "config.pbtxt"), "w") as f:
        f.write(CONFIG.format(s=C.SIZE, n=C.N_CLASSES))
    with open(os.path.join(C.OUT_DIR, "labels.txt"), "w") as f:
        f.write("\n".join(C.CLASSES) + "\n")

    # Compare on a real cached radiograph, prepared exactly as the server will.
    x = zscore(build_cache()["imgs"][0].astype(np.float32))[None, None].astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    got, info = run_onnxruntime(path, x)
    diff = float(np.abs(ref - got).max())
    agree = float(((ref > 0.5) == (got > 0.5)).mean())
    print(json.dumps({"onnx": path, "bytes": os.path.getsize(path), "epoch": int(ck["epoch"]),
                      "max_abs_diff": diff, "mask_agreement": agree, **info}))
    if diff > 1e-3:
        raise SystemExit(f"ONNX output differs from torch by {diff}")


if __name__ == "__main__":
    main()
