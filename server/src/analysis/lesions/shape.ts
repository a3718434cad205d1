/**
 * Shape and border classes of a detector contour (api.md 6). Thresholds are documented in
 * models/cxr-lesion/MODEL_CARD.md ("Shape and border").
 */
import type { Point, Polygon } from '../../contract';
import { convexHull, feretAxes, polygonArea } from '../../geometry';

export type Shape = 'round' | 'oval' | 'irregular' | 'linear' | 'streaky';

export const SHAPE_THRESHOLDS = {
  roundMaxAspect: 1.3, // round: long/short ≤ 1.3 …
  convexMinSolidity: 0.9, // … and convex: area / convex-hull area ≥ 0.90
  ovalMinSolidity: 0.85, // oval: elongated (aspect > 1.3 or slightly concave) but regular, aspect ≤ 4
  linearMinAspect: 4, // linear: thin band, aspect > 4 (solidity ≥ 0.6)
  streakyMaxSolidity: 0.6, // streaky: several thin strands: solidity < 0.6 and aspect > 2 …
  streakyMinAspect: 2,
  streakyMaxThickness: 0.25, // … and mean thickness (2·area / perimeter) < 0.25 × long axis
} as const;

export interface ShapeMetrics {
  aspect: number;
  solidity: number;
  thickness: number;
  longAxis: number;
  shortAxis: number;
}

function perimeter(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++)
    s += Math.hypot(poly[i]![0] - poly[j]![0], poly[i]![1] - poly[j]![1]);
  return s;
}

/** Metrics in physical space (spacing [row, col] mm) or px. */
export function shapeMetrics(contour: Polygon, spacing: readonly [number, number] | null): ShapeMetrics {
  const sy = spacing ? spacing[0] : 1,
    sx = spacing ? spacing[1] : 1;
  const phys = contour.map(([x, y]) => [x * sx, y * sy] as Point);
  const { longAxis, shortAxis } = feretAxes(phys);
  const area = polygonArea(phys);
  const hullArea = polygonArea(convexHull(phys));
  const per = perimeter(phys);
  return {
    aspect: longAxis.length / Math.max(shortAxis.length, 1e-6),
    solidity: hullArea > 0 ? area / hullArea : 1,
    thickness: per > 0 ? (2 * area) / per / Math.max(longAxis.length, 1e-6) : 1,
    longAxis: longAxis.length,
    shortAxis: shortAxis.length,
  };
}

export function classifyShape(m: ShapeMetrics): Shape {
  const T = SHAPE_THRESHOLDS;
  if (m.aspect > T.linearMinAspect && m.solidity >= T.streakyMaxSolidity) return 'linear';
  if (m.solidity < T.streakyMaxSolidity && m.aspect > T.streakyMinAspect && m.thickness < T.streakyMaxThickness)
    return 'streaky';
  if (m.aspect <= T.roundMaxAspect && m.solidity >= T.convexMinSolidity) return 'round';
  if (m.aspect <= T.linearMinAspect && m.solidity >= T.ovalMinSolidity) return 'oval';
  return 'irregular';
}

export const BORDER_THRESHOLDS = {
  pointSharp: 0.5, // a contour point is "sharp" when its normalised edge gradient ≥ 0.5
  sharpFraction: 0.6, // well_defined when ≥ 60 % of the sampled contour points are sharp
  minContrast: 0.02, // edge contrast (display units 0..1) below which a point is not an edge
  samples: 64,
} as const;

/**
 * Edge sharpness of a contour on the display image (values 0..1, bright = dense).
 * For up to 64 contour points: a profile along the outward normal from −L to +L
 * (L = max(3 px, 0.3 × equivalent radius)), bilinear, [1,4,6,4,1]/16-smoothed. Contrast Δ = mean of the
 * inner quarter − mean of the outer quarter; g = the largest |step| between neighbouring profile
 * samples (per px). Point sharpness = clip(g · (L/2) / |Δ|, 0, 1): 1 for an edge that rises within
 * L/2, 0.25 for a ramp spread across the whole 2L window; 0 when |Δ| < 0.02 (no edge).
 * Returns the mean sharpness (api.md 9.3 boundarySharpness) and the fraction of sharp points.
 */
export function edgeSharpness(
  contour: Polygon,
  display: Float32Array,
  width: number,
  height: number,
): { sharpness: number; sharpFraction: number } {
  const T = BORDER_THRESHOLDS;
  const n = contour.length;
  if (n < 3) return { sharpness: 0, sharpFraction: 0 };
  const area = polygonArea(contour);
  const L = Math.max(3, 0.3 * Math.sqrt(area / Math.PI));
  let cx = 0,
    cy = 0;
  for (const p of contour) {
    cx += p[0];
    cy += p[1];
  }
  cx /= n;
  cy /= n;
  const sample = (x: number, y: number): number => {
    const fx = Math.min(width - 1, Math.max(0, x - 0.5)),
      fy = Math.min(height - 1, Math.max(0, y - 0.5));
    const x0 = Math.floor(fx),
      y0 = Math.floor(fy),
      x1 = Math.min(width - 1, x0 + 1),
      y1 = Math.min(height - 1, y0 + 1);
    const ax = fx - x0,
      ay = fy - y0;
    const v00 = display[y0 * width + x0]!,
      v10 = display[y0 * width + x1]!,
      v01 = display[y1 * width + x0]!,
      v11 = display[y1 * width + x1]!;
    return (v00 * (1 - ax) + v10 * ax) * (1 - ay) + (v01 * (1 - ax) + v11 * ax) * ay;
  };
  const K = Math.max(8, Math.ceil(2 * L)); // samples across 2L (≥ 1 per px)
  const step = (2 * L) / K;
  const k = Math.min(T.samples, n);
  let sum = 0,
    sharp = 0;
  for (let s = 0; s < k; s++) {
    const i = Math.floor((s * n) / k);
    const a = contour[(i - 1 + n) % n]!,
      b = contour[(i + 1) % n]!,
      p = contour[i]!;
    let nx = b[1] - a[1],
      ny = -(b[0] - a[0]);
    const len = Math.hypot(nx, ny) || 1;
    nx /= len;
    ny /= len;
    if (nx * (p[0] - cx) + ny * (p[1] - cy) < 0) {
      nx = -nx;
      ny = -ny;
    } // outward
    const prof: number[] = [];
    for (let j = 0; j <= K; j++) {
      const t = -L + j * step;
      prof.push(sample(p[0] + nx * t, p[1] + ny * t));
    }
    const at = (j: number) => prof[Math.max(0, Math.min(K, j))]!;
    const sm = prof.map((v, j) => (at(j - 2) + 4 * at(j - 1) + 6 * v + 4 * at(j + 1) + at(j + 2)) / 16);
    const q = Math.max(1, Math.floor(K / 4));
    let inner = 0,
      outer = 0;
    for (let j = 0; j < q; j++) {
      inner += sm[j]!;
      outer += sm[K - j]!;
    }
    const delta = (inner - outer) / q;
    let g = 0;
    for (let j = 1; j <= K; j++) g = Math.max(g, Math.abs(sm[j]! - sm[j - 1]!) / step);
    const v = Math.abs(delta) < T.minContrast ? 0 : Math.min(1, (g * (L / 2)) / Math.abs(delta));
    sum += v;
    if (v >= T.pointSharp) sharp++;
  }
  return { sharpness: sum / k, sharpFraction: sharp / k };
}
