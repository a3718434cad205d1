"""Exports the LIDC nodule re-projections (ct-projections.npz, attenuation model: mm of water-
equivalent excess per antero-posterior ray) and the readers' ratings for scripts/lidc-signs.ts.

  /usr/bin/python3 scripts/lidc-export.py OUT_DIR   → OUT_DIR/excess.f32 (N×50×50), OUT_DIR/meta.json
"""
import csv, json, os, sys
import numpy as np

SHARED = os.environ.get('CXR_SHARED', os.path.join(os.path.dirname(__file__), '..', '..', 'shared'))
D = os.path.join(SHARED, 'data', 'lidc-nodule-drr-patches')
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
p = np.load(os.path.join(D, 'ct-projections.npz'))
rows = {int(r['index']): r for r in csv.DictReader(open(os.path.join(D, 'characteristics.csv')))}
keep = [i for i in range(len(p['index'])) if p['ok'][i] and int(p['index'][i]) in rows and rows[int(p['index'][i])]['calcification_median'] != '']
ex = p['excess_mm'][keep].astype(np.float32)
ex.tofile(os.path.join(out, 'excess.f32'))
med = lambda r, k: float(r[k + '_median']) if r[k + '_median'] != '' else None
meta = []
for j, i in enumerate(keep):
    r = rows[int(p['index'][i])]
    meta.append({
        'index': int(p['index'][i]), 'patient': r['seriesuid'], 'calcification': med(r, 'calcification'),
        'margin': med(r, 'margin'), 'lobulation': med(r, 'lobulation'), 'spiculation': med(r, 'spiculation'),
        'texture': med(r, 'texture'), 'subtlety': med(r, 'subtlety'), 'calcifiedVotes': int(r['calcified_votes']),
        'nReaders': int(r['n_readers']),
    })
json.dump({'n': len(keep), 'size': 50, 'mmPerPx': 1.0, 'rows': meta}, open(os.path.join(out, 'meta.json'), 'w'))
print(len(keep), 'nodules exported to', out)
