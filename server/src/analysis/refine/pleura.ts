/**
 * Pleura (api.md 9.3 `pleura`): distance from the refined contour to the pleural surface (the
 * ipsilateral lung contour), contact, and a linear tail from the lesion towards that surface
 * (pleural indentation).
 */
import type { Point, Polygon } from '../../contract';
import { nearestPointOnPolygon, pointInAnyPolygon } from '../../geometry';
import { lengthMm, lengthPx } from '../../geometry/units';
import type { ImageSpacing } from '../../geometry/measurement';
import { sample } from './raster';

export interface PleuraFeatures {
  distancePx: number;
  distanceMm: number | null;
  contact: boolean;
  from: Point; // nearest contour point
  to: Point; // nearest pleural point
  tailPresent: boolean;
  tailLengthPx: number;
  tailLengthMm: number | null;
}

/** Display value averaged over a small cross (≈ σ 0.8 px smoothing). */
export function sampleSmooth(display: Float32Array, width: number, height: number, p: Point, scale = 1): number {
  // The same arithmetic as five sampleFull calls, without allocating a point for each (hot in the relation bridge).
  const d = 0.7 * scale;
  const [px, py] = p;
  const x = px / scale - 0.5,
    y = py / scale - 0.5;
  return (
    (2 * sample(display, width, height, x, y) +
      sample(display, width, height, (px - d) / scale - 0.5, y) +
      sample(display, width, height, (px + d) / scale - 0.5, y) +
      sample(display, width, height, x, (py - d) / scale - 0.5) +
      sample(display, width, height, x, (py + d) / scale - 0.5)) /
    6
  );
}

/**
 * Ridge run along the segment a→b (image px): how far from `a` a thin line brighter than both
 * lateral neighbours (offset `lat` px) continues, allowing gaps of `maxGap` px. Returns px.
 */
export function ridgeRun(
  display: Float32Array,
  width: number,
  height: number,
  a: Point,
  b: Point,
  lat: number,
  thr: number,
  maxGap: number,
  startWithin: number,
  scale = 1,
): number {
  const L = lengthPx(a, b);
  if (L < 1) return 0;
  const ux = (b[0] - a[0]) / L,
    uy = (b[1] - a[1]) / L,
    nx = -uy,
    ny = ux;
  let last = -1,
    gap = 0,
    started = false;
  for (let t = 0; t <= L; t += 0.5) {
    const p: Point = [a[0] + ux * t, a[1] + uy * t];
    const v = sampleSmooth(display, width, height, p, scale);
    const l = sampleSmooth(display, width, height, [p[0] + nx * lat, p[1] + ny * lat], scale);
    const r = sampleSmooth(display, width, height, [p[0] - nx * lat, p[1] - ny * lat], scale);
    if (v - Math.max(l, r) >= thr) {
      started = true;
      last = t;
      gap = 0;
    } else if (started) {
      gap += 0.5;
      if (gap > maxGap) break;
    } else if (t > startWithin) break;
  }
  return started ? last : 0;
}

/** The contour point nearest the pleura (sampled), and whether any contour point lies outside the lung. */
function nearestPleura(contour: readonly Point[], polys: readonly Polygon[]) {
  let best = { d: Infinity, from: contour[0]!, to: contour[0]! };
  let outside = false;
  const stride = Math.max(1, Math.floor(contour.length / 128));
  for (let i = 0; i < contour.length; i += stride) {
    const p = contour[i]!;
    if (!pointInAnyPolygon(p, polys as Polygon[])) outside = true;
    for (const poly of polys) {
      const q = nearestPointOnPolygon(p, poly);
      if (q.distance < best.d) best = { d: q.distance, from: p, to: q.point };
    }
  }
  return { best, outside };
}

/** Length of the longest spicule whose tip reaches within `reach` px of the pleura, or null. */
function longestReachingSpicule(
  spicules: { base: Point; tip: Point }[],
  polys: readonly Polygon[],
  reach: number,
): number | null {
  let longest: number | null = null;
  for (const s of spicules) {
    let dTip = nearestPointOnPolygon(s.tip, polys[0]!).distance;
    for (const poly of polys.slice(1)) dTip = Math.min(dTip, nearestPointOnPolygon(s.tip, poly).distance);
    if (dTip <= reach) longest = Math.max(longest ?? 0, lengthPx(s.base, s.tip));
  }
  return longest;
}

export function pleuraFeatures(
  display: Float32Array,
  width: number,
  height: number,
  contour: readonly Point[],
  polys: readonly Polygon[],
  spacing: ImageSpacing,
  ridgeThr: number,
  latPx: number,
  spicules: { base: Point; tip: Point }[],
  opts: { contactMm: number; tailMaxMm: number; tailReachMm: number },
  scale = 1,
): PleuraFeatures {
  const mmPx = spacing.mm ? Math.sqrt(spacing.mm[0] * spacing.mm[1]) : null;
  const toMm = (a: Point, b: Point) => (spacing.mm ? lengthMm(a, b, spacing.mm) : null);
  const { best, outside } = nearestPleura(contour, polys);
  const distancePx = outside ? 0 : best.d;
  const distanceMm = outside ? (mmPx ? 0 : null) : toMm(best.from, best.to);
  const contactPx = mmPx ? opts.contactMm / mmPx : 3;
  const contact = outside || distancePx <= contactPx;
  let tailLengthPx = 0,
    tailPresent = false;
  const maxPx = mmPx ? opts.tailMaxMm / mmPx : 115;
  if (!contact && distancePx <= maxPx) {
    const reach = Math.max(mmPx ? opts.tailReachMm / mmPx : 6, 0.1 * distancePx);
    // straight line from the nearest contour point
    tailLengthPx = ridgeRun(
      display,
      width,
      height,
      best.from,
      best.to,
      latPx,
      ridgeThr,
      Math.max(2, 0.1 * distancePx),
      Math.max(2, 0.5 * latPx),
      scale,
    );
    tailPresent = distancePx - tailLengthPx <= reach;
    // or a detected spicule pointing at the pleura and reaching it
    const spiculeTail = longestReachingSpicule(spicules, polys, reach);
    if (spiculeTail !== null) {
      tailLengthPx = Math.max(tailLengthPx, spiculeTail);
      tailPresent = true;
    }
  }
  return {
    distancePx,
    distanceMm,
    contact,
    from: best.from,
    to: best.to,
    tailPresent,
    tailLengthPx,
    tailLengthMm: mmPx ? tailLengthPx * mmPx : null,
  };
}
