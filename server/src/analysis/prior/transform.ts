/**
 * Plane transforms for mapping a prior radiograph onto the current one (issue 17): weighted
 * least-squares similarity (Umeyama/Procrustes, closed form) and affine fits, application and
 * residuals. Pure geometry, no I/O.
 */
import type { Point } from '../../contract';

/** x' = a·x + b·y + c, y' = d·x + e·y + f (a similarity has a = e, b = −d). */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

export function applyAffine(t: Affine, p: Point): Point {
  return [t.a * p[0] + t.b * p[1] + t.c, t.d * p[0] + t.e * p[1] + t.f];
}

/** The inverse transform; null when singular. */
export function invertAffine(t: Affine): Affine | null {
  const det = t.a * t.e - t.b * t.d;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  const a = t.e / det,
    b = -t.b / det,
    d = -t.d / det,
    e = t.a / det;
  return { a, b, d, e, c: -(a * t.c + b * t.f), f: -(d * t.c + e * t.f) };
}

/** Isotropic scale (√|det|) and rotation (degrees, clockwise on screen) of the linear part. */
export function scaleAndRotation(t: Affine): { scale: number; rotationDeg: number } {
  return {
    scale: Math.sqrt(Math.abs(t.a * t.e - t.b * t.d)),
    rotationDeg: (Math.atan2(t.d - t.b, t.a + t.e) * 180) / Math.PI,
  };
}

function weightedMeans(src: readonly Point[], dst: readonly Point[], w: readonly number[]) {
  let sw = 0,
    sx = 0,
    sy = 0,
    dx = 0,
    dy = 0;
  for (let i = 0; i < src.length; i++) {
    const wi = w[i] ?? 1;
    sw += wi;
    sx += wi * src[i]![0];
    sy += wi * src[i]![1];
    dx += wi * dst[i]![0];
    dy += wi * dst[i]![1];
  }
  return { sw, sx: sx / sw, sy: sy / sw, dx: dx / sw, dy: dy / sw };
}

/**
 * Weighted least-squares similarity (rotation, isotropic scale, translation) taking `src` onto
 * `dst`; null with fewer than 2 points of positive weight or all source points coincident.
 */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[], w?: readonly number[]): Affine | null {
  const weights = w ?? src.map(() => 1);
  if (src.length !== dst.length || weights.filter((x) => x > 0).length < 2) return null;
  const m = weightedMeans(src, dst, weights);
  let sxx = 0,
    sab = 0,
    sba = 0;
  for (let i = 0; i < src.length; i++) {
    const wi = weights[i] ?? 1;
    const px = src[i]![0] - m.sx,
      py = src[i]![1] - m.sy,
      qx = dst[i]![0] - m.dx,
      qy = dst[i]![1] - m.dy;
    sxx += wi * (px * px + py * py);
    sab += wi * (px * qx + py * qy);
    sba += wi * (px * qy - py * qx);
  }
  if (sxx < 1e-9) return null;
  const a = sab / sxx,
    d = sba / sxx;
  return { a, b: -d, d, e: a, c: m.dx - a * m.sx + d * m.sy, f: m.dy - d * m.sx - a * m.sy };
}

/** Solves a 3×3 system by Cramer's rule; null when singular. */
function solve3(m: number[][], v: number[]): [number, number, number] | null {
  const det = (a: number[][]) =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  if (Math.abs(d) < 1e-9) return null;
  const col = (k: number) => m.map((row, i) => row.map((x, j) => (j === k ? v[i]! : x)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

/** Weighted least-squares affine (6 parameters); null with fewer than 3 non-collinear points. */
export function fitAffine(src: readonly Point[], dst: readonly Point[], w?: readonly number[]): Affine | null {
  const weights = w ?? src.map(() => 1);
  if (src.length !== dst.length || weights.filter((x) => x > 0).length < 3) return null;
  const n = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const vx = [0, 0, 0],
    vy = [0, 0, 0];
  for (let i = 0; i < src.length; i++) {
    const wi = weights[i] ?? 1;
    const r = [src[i]![0], src[i]![1], 1];
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < 3; k++) n[j]![k]! += wi * r[j]! * r[k]!;
      vx[j]! += wi * r[j]! * dst[i]![0];
      vy[j]! += wi * r[j]! * dst[i]![1];
    }
  }
  const x = solve3(n, vx),
    y = solve3(n, vy);
  if (!x || !y) return null;
  return { a: x[0], b: x[1], c: x[2], d: y[0], e: y[1], f: y[2] };
}

/** Distance of each transformed source point from its destination. */
export function residuals(t: Affine, src: readonly Point[], dst: readonly Point[]): number[] {
  return src.map((p, i) => {
    const q = applyAffine(t, p);
    return Math.hypot(q[0] - dst[i]![0], q[1] - dst[i]![1]);
  });
}

export function rms(xs: readonly number[]): number {
  return xs.length ? Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length) : 0;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
