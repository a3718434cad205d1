// The refinement's raster helpers were rewritten for speed (issue 14: first refinement latency);
// these check they give exactly what the straightforward forms gave, and that the start-up warm-up runs.
import assert from 'node:assert/strict';
import type { Point } from '../../../server/src/contract';
import { gaussianBlur, rasterisePolygon } from '../../../server/src/analysis/refine/raster';
import { warmUpRefinement } from '../../../server/src/analysis/refine';

/** The column-by-column separable blur as it was before the row-wise vertical pass. */
function blurReference(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0.05) return src.slice();
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * r + 1);
  let ks = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    ks += k[i + r]!;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= ks;
  const tmp = new Float32Array(w * h),
    out = new Float32Array(w * h);
  const line = new Float32Array(Math.max(w, h) + 2 * r);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = -r; x < w + r; x++) line[x + r] = src[row + (x < 0 ? 0 : x >= w ? w - 1 : x)]!;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t <= 2 * r; t++) s += line[x + t]! * k[t]!;
      tmp[row + x] = s;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = -r; y < h + r; y++) line[y + r] = tmp[(y < 0 ? 0 : y >= h ? h - 1 : y) * w + x]!;
    for (let y = 0; y < h; y++) {
      let s = 0;
      for (let t = 0; t <= 2 * r; t++) s += line[y + t]! * k[t]!;
      out[y * w + x] = s;
    }
  }
  return out;
}

/** Every row scanned, as before the row range was limited to the polygon's extent. */
function rasteriseReference(poly: readonly Point[], w: number, h: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const xs: number[] = [];
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!,
        [xj, yj] = poly[j]!;
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const a = Math.max(0, Math.ceil(xs[k]!)),
        b = Math.min(w - 1, Math.floor(xs[k + 1]!));
      for (let x = a; x <= b; x++) mask[y * w + x] = 1;
    }
  }
  return mask;
}

test('gaussianBlur is bit-identical to the column-by-column form', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (const [w, h] of [
    [37, 23],
    [64, 64],
    [5, 90],
    [120, 7],
  ] as const) {
    const src = new Float32Array(w * h);
    for (let i = 0; i < src.length; i++) src[i] = rnd() - 0.3;
    for (const sigma of [0.03, 0.5, 0.8, 1.7, 2.5, 6.3]) {
      assert.deepEqual(gaussianBlur(src, w, h, sigma), blurReference(src, w, h, sigma), `${w}×${h} σ ${sigma}`);
    }
  }
});

test('rasterisePolygon is identical to scanning every row, including polygons partly outside', () => {
  const polys: Point[][] = [
    [
      [10.2, 5.7],
      [40.9, 12.1],
      [33.3, 44.4],
      [4.5, 30.2],
    ],
    [
      [-10, -10],
      [80, 3.5],
      [20, 90],
    ],
    Array.from(
      { length: 40 },
      (_, i) =>
        [
          32 + (20 + 6 * Math.sin(5 * i)) * Math.cos((i * Math.PI) / 20),
          30 + (20 + 6 * Math.sin(5 * i)) * Math.sin((i * Math.PI) / 20),
        ] as Point,
    ),
  ];
  for (const p of polys) assert.deepEqual(rasterisePolygon(p, 64, 60), rasteriseReference(p, 64, 60));
});

test('the start-up warm-up runs the refinement and returns its duration', () => {
  const ms = warmUpRefinement(1);
  assert.ok(Number.isFinite(ms) && ms > 0);
});
