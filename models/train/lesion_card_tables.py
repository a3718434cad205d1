"""Markdown tables for the model card from lesion_sites_report.py JSON outputs.
Usage: python3 models/train/lesion_card_tables.py NAME=report.json [NAME=report.json ...]
"""
import json
import sys

SITES = [("jsrt_val", "JSRT validation (42: 26 nodule + 16 normal)"), ("nih_val", "NIH normals, validation split (65 images, 40 patients)"),
         ("nih_test", "NIH normals, held-out split (132 images, 99 patients)"), ("nih_test_PA", "  of which PA"), ("nih_test_AP", "  of which AP"),
         ("covid", "covid-seg (74; opacities are real there: findings per image, not all false)"), ("samples", "samples/ DICOMs (5 decodable)")]

runs = [(a.split("=", 1)[0], json.load(open(a.split("=", 1)[1]))) for a in sys.argv[1:]]
print("| site | " + " | ".join("%s: false findings/image (95 %% CI)" % n for n, _ in runs) + " |")
print("|---|" + "---|" * len(runs))
for key, label in SITES:
    cells = []
    for _, r in runs:
        s = r["sites"].get(key)
        cells.append("—" if not s else "%.2f (%.2f–%.2f), %d/%d" % (s["fp_per_image"], s["ci"][0], s["ci"][1], s["false_findings"], s["images"]))
    print("| %s | %s |" % (label, " | ".join(cells)))
print()
for n, r in runs:
    s = r["sites"]["jsrt_val"]
    print("%s: operating point %.3f, opacity threshold %.3f, high-confidence band %.3f; JSRT validation sensitivity %d/%d = %.2f (%.2f–%.2f), subtlety 4–5 %d/%d; median |diameter error| %s mm; lobe %d/%d" % (
        n, r["operating_point"], r["opacity_threshold"], r.get("high_confidence", float("nan")), s["tp"], s["nodules"], *s["sensitivity"], *s["subtlety45"],
        "%.1f" % s["median_diameter_error_mm"] if s["median_diameter_error_mm"] is not None else "-", *s["lobe"]))
    print("| FP/image ≤ | threshold | sensitivity (95 % CI) | FP/image reached |")
    print("|---|---|---|---|")
    for rate, q in r["froc"]["jsrt_val"].items():
        print("| %s | %.3f | %d/%d = %.2f (%.2f–%.2f) | %.3f |" % (rate, q["threshold"], q["tp"], q["n"], q["sens"][0], q["sens"][1], q["sens"][2], q["fp"]))
    print()
