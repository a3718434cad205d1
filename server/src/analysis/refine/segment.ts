/**
 * Contour refinement on the crop: a local background model (harmonic in-painting of a disc around
 * the lesion, so rib bands and gradients crossing the lesion are interpolated from its
 * surroundings), the lesion's soft-tissue excess Δ (histogram mode of image − background inside the
 * outline, robust to dense calcium and lucent air), the normalised "lesion-ness" field
 * u = clamp((image − background) / Δ, 0, 1), and a star-shaped contour found by dynamic programming
 * over polar rays on the outward drop of u (clamping at 1 hides calcified cores; a cavity's inner
 * wall rises outward and is ignored).
 */
import type { Point } from '../../contract';
import { histogramMode, quantile, sample } from './raster';

/**
 * Background of `img` (work px) with the masked region replaced by a harmonic interpolation of its
 * surroundings (row-wise linear start, then SOR; solved on an s× coarser grid when the region is
 * large, since the background is smooth). Outside the mask the background is the image itself.
 */
export function inpaintRegion(
  img: Float32Array,
  w: number,
  h: number,
  mask: Uint8Array,
  iterations = 120,
): Float32Array {
  let area = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) area++;
  const R = Math.sqrt(area / Math.PI);
  const s = Math.max(1, Math.ceil(R / 14));
  if (s > 1) return inpaintOnCoarseGrid(img, w, h, mask, s, iterations);
  const bg = img.slice();
  const idx = rowLinearStart(img, w, h, mask, bg);
  if (idx.length === 0) return bg;
  const omega = 2 / (1 + Math.sin(Math.PI / Math.max(4, 2 * R)));
  const iters = Math.min(iterations, Math.ceil(3 * R) + 20);
  for (let k = 0; k < iters; k++) {
    for (let q = 0; q < idx.length; q++) {
      const i = idx[q]!;
      const v = 0.25 * (bg[i - 1]! + bg[i + 1]! + bg[i - w]! + bg[i + w]!);
      bg[i] = bg[i]! + omega * (v - bg[i]!);
    }
  }
  return bg;
}

/** A large region: block-average image and mask by s, in-paint there, and sample back. */
function inpaintOnCoarseGrid(
  img: Float32Array,
  w: number,
  h: number,
  mask: Uint8Array,
  s: number,
  iterations: number,
): Float32Array {
  const cw = Math.ceil(w / s),
    ch = Math.ceil(h / s);
  const coarse = new Float32Array(cw * ch),
    cm = new Uint8Array(cw * ch);
  for (let j = 0; j < ch; j++)
    for (let i = 0; i < cw; i++) {
      let sum = 0,
        c = 0,
        m = 0;
      for (let b = 0; b < s && j * s + b < h; b++) {
        const y = j * s + b;
        for (let a = 0; a < s && i * s + a < w; a++) {
          const x = i * s + a;
          sum += img[y * w + x]!;
          c++;
          if (mask[y * w + x]) m = 1;
        }
      }
      coarse[j * cw + i] = sum / c;
      cm[j * cw + i] = m;
    }
  const cb = inpaintRegion(coarse, cw, ch, cm, iterations);
  const bg = img.slice();
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (mask[y * w + x]) bg[y * w + x] = sample(cb, cw, ch, (x + 0.5) / s - 0.5, (y + 0.5) / s - 0.5);
    }
  return bg;
}

/** Row-wise linear interpolation across each masked run (the SOR start); returns the masked indices. */
function rowLinearStart(img: Float32Array, w: number, h: number, mask: Uint8Array, bg: Float32Array): number[] {
  const idx: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    let x = 1;
    while (x < w - 1) {
      if (!mask[y * w + x]) {
        x++;
        continue;
      }
      const xa = x;
      while (x < w - 1 && mask[y * w + x]) x++;
      const xb = x - 1;
      const L = img[y * w + xa - 1]!,
        Rv = img[y * w + xb + 1]!;
      for (let q = xa; q <= xb; q++) {
        const t = (q - xa + 1) / (xb - xa + 2);
        bg[y * w + q] = L + (Rv - L) * t;
        idx.push(y * w + q);
      }
    }
  }
  return idx;
}

/** Distance from c along direction θ to the outline (largest crossing), or null. */
export function rayPolygonDistance(c: Point, theta: number, poly: readonly Point[]): number | null {
  const dx = Math.cos(theta),
    dy = Math.sin(theta);
  let best: number | null = null;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const ax = poly[j]![0] - c[0],
      ay = poly[j]![1] - c[1];
    const bx = poly[i]![0] - c[0],
      by = poly[i]![1] - c[1];
    const ex = bx - ax,
      ey = by - ay;
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-12) continue;
    const t = (ax * ey - ay * ex) / den; // along the ray
    const s = (ax * dy - ay * dx) / den; // along the edge
    if (t > 0 && s >= 0 && s <= 1 && (best === null || t > best)) best = t;
  }
  return best;
}

export interface PolarContour {
  center: Point; // work coordinates
  angles: Float64Array; // θ_i (image angle: atan2(dy, dx))
  radii: Float64Array; // work px
  edgeStrength: Float64Array; // drop of u across the edge per ray (0..1)
}

export interface DpOptions {
  rMin: number;
  rMax: Float64Array; // per ray
  prior: Float64Array; // per ray, work px
  priorWeight: number;
  scale: number; // normalising radius (work px)
  dr: number;
  maxJump: number; // work px between neighbouring rays
  gradientHalf?: number; // the drop is u(r − g) − u(r + g) (default 1.5 px)
}

/** Star-shaped contour by circular dynamic programming on the outward drop of `u`. */
export function polarDp(u: Float32Array, w: number, h: number, center: Point, n: number, o: DpOptions): PolarContour {
  const rMaxAll = Math.max(...o.rMax);
  const K = Math.max(4, Math.ceil((rMaxAll - o.rMin) / o.dr) + 1);
  const cost = new Float32Array(n * K);
  const angles = new Float64Array(n);
  const drop = new Float32Array(n * K);
  const half = Math.max(1.5, o.gradientHalf ?? 1.5);
  for (let i = 0; i < n; i++) {
    const th = (2 * Math.PI * i) / n;
    angles[i] = th;
    const cx = Math.cos(th),
      sy = Math.sin(th);
    for (let k = 0; k < K; k++) {
      const r = o.rMin + k * o.dr;
      if (r > o.rMax[i]!) {
        cost[i * K + k] = 10;
        continue;
      }
      const a = sample(u, w, h, center[0] + cx * (r - half), center[1] + sy * (r - half));
      const b = sample(u, w, h, center[0] + cx * (r + half), center[1] + sy * (r + half));
      const g = a - b;
      drop[i * K + k] = g;
      const pr = (r - o.prior[i]!) / o.scale;
      cost[i * K + k] = -g + o.priorWeight * pr * pr;
    }
  }
  const J = Math.max(1, Math.round(o.maxJump / o.dr));
  const M = n + Math.ceil(n / 2) + Math.ceil(n / 4);
  const acc = new Float32Array(M * K);
  const from = new Int16Array(M * K);
  for (let k = 0; k < K; k++) acc[k] = cost[k]!;
  const jumpPenalty = ((0.03 * o.dr) / Math.max(1, o.scale)) * 10;
  for (let m = 1; m < M; m++) {
    const i = m % n;
    for (let k = 0; k < K; k++) {
      let best = Infinity,
        bk = k;
      const lo = Math.max(0, k - J),
        hi = Math.min(K - 1, k + J);
      for (let q = lo; q <= hi; q++) {
        const v = acc[(m - 1) * K + q]! + jumpPenalty * Math.abs(q - k);
        if (v < best) {
          best = v;
          bk = q;
        }
      }
      acc[m * K + k] = best + cost[i * K + k]!;
      from[m * K + k] = bk;
    }
  }
  let bk = 0,
    bv = Infinity;
  for (let k = 0; k < K; k++)
    if (acc[(M - 1) * K + k]! < bv) {
      bv = acc[(M - 1) * K + k]!;
      bk = k;
    }
  const path = new Int32Array(M);
  path[M - 1] = bk;
  for (let m = M - 1; m > 0; m--) path[m - 1] = from[m * K + path[m]!]!;
  const radii = new Float64Array(n),
    edgeStrength = new Float64Array(n);
  const start = M - n - Math.ceil(n / 4);
  for (let m = start; m < start + n; m++) {
    const i = m % n;
    radii[i] = o.rMin + path[m]! * o.dr;
    edgeStrength[i] = drop[i * K + path[m]!]!;
  }
  return { center, angles, radii, edgeStrength };
}

/** Circular moving average of a per-ray series. */
export function circularSmooth(v: Float64Array, halfWindow: number): Float64Array {
  const n = v.length,
    out = new Float64Array(n);
  if (halfWindow <= 0) return v.slice();
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = -halfWindow; t <= halfWindow; t++) s += v[(i + t + n) % n]!;
    out[i] = s / (2 * halfWindow + 1);
  }
  return out;
}

export const polarPoints = (pc: PolarContour, radii: Float64Array = pc.radii): Point[] =>
  Array.from(
    pc.angles,
    (th, i) => [pc.center[0] + Math.cos(th) * radii[i]!, pc.center[1] + Math.sin(th) * radii[i]!] as Point,
  );

/** Soft-tissue excess Δ: histogram mode of (image − background) over the mask. */
export function softTissueLevel(excess: Float32Array, mask: Uint8Array): number {
  const v: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) v.push(excess[i]!);
  if (v.length < 4) return 0;
  // the mode is the soft tissue, unless a lucent cavity dominates the histogram (mode near the
  // background): then 0.6 × the 85th percentile (the wall)
  const mode = histogramMode(v, 0.004),
    q85 = quantile(v, 0.85);
  return mode >= 0.3 * q85 ? mode : 0.6 * q85;
}
