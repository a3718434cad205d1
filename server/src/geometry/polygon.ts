/** Pure polygon geometry in image pixel space (api.md 1.3). Polygons are implicitly closed. */
import type { BBox, Point, Polygon } from '../contract';

/** Shoelace signed area in image coordinates (y down): positive for screen-clockwise rings. */
export function signedArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const [x0, y0] = poly[i]!;
    const [x1, y1] = poly[(i + 1) % n]!;
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/** Absolute polygon area (px² when the points are pixels). */
export function polygonArea(poly: readonly Point[]): number {
  return Math.abs(signedArea(poly));
}

/** Area centroid of a simple polygon; falls back to the vertex mean for degenerate rings. */
export function polygonCentroid(poly: readonly Point[]): Point {
  const a = signedArea(poly);
  if (Math.abs(a) < 1e-9) {
    let sx = 0,
      sy = 0;
    for (const [x, y] of poly) {
      sx += x;
      sy += y;
    }
    return [sx / Math.max(1, poly.length), sy / Math.max(1, poly.length)];
  }
  let cx = 0,
    cy = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const [x0, y0] = poly[i]!;
    const [x1, y1] = poly[(i + 1) % n]!;
    const c = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  return [cx / (6 * a), cy / (6 * a)];
}

/** Bounding box of a point set, `[xMin, yMin, xMax, yMax]`. */
export function bboxOf(points: Iterable<Point>): BBox {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

/** Bounding box of several polygons. */
export function bboxOfPolygons(polys: readonly Polygon[]): BBox {
  return bboxOf(polys.flat());
}

/** Even-odd point-in-polygon test (points on the boundary may go either way). */
export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
  const [px, py] = p;
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the point lies inside any of the polygons. */
export function pointInAnyPolygon(p: Point, polys: readonly Polygon[]): boolean {
  return polys.some((poly) => pointInPolygon(p, poly));
}

/** Closest point to `p` on segment ab. */
export function closestPointOnSegment(p: Point, a: Point, b: Point): Point {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return [a[0], a[1]];
  let t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return [a[0] + t * dx, a[1] + t * dy];
}

export const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Nearest point of the polygon's boundary to `p`, and its distance (px). */
export function nearestPointOnPolygon(p: Point, poly: readonly Point[]): { point: Point; distance: number } {
  let best: Point = poly[0] ?? [p[0], p[1]];
  let bestD = Infinity;
  for (let i = 0, n = poly.length; i < n; i++) {
    const q = closestPointOnSegment(p, poly[i]!, poly[(i + 1) % n]!);
    const d = dist(p, q);
    if (d < bestD) {
      bestD = d;
      best = q;
    }
  }
  return { point: best, distance: bestD };
}

/** Distance from a point to a polygon's area: 0 inside, else the distance to the boundary. */
export function distancePointPolygon(p: Point, poly: readonly Point[]): number {
  return pointInPolygon(p, poly) ? 0 : nearestPointOnPolygon(p, poly).distance;
}

function segmentsIntersect(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  const d1 = o(c, d, a),
    d2 = o(c, d, b),
    d3 = o(a, b, c),
    d4 = o(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/**
 * Nearest points between two polygons' extents (api.md 12.2 edgeGap): distance 0 when they touch
 * or overlap (then both points are a shared point).
 */
export function nearestPointsBetweenPolygons(
  a: readonly Point[],
  b: readonly Point[],
): { a: Point; b: Point; distance: number } {
  // Overlap: a vertex inside the other polygon, or crossing edges.
  for (const p of a) if (pointInPolygon(p, b)) return { a: p, b: p, distance: 0 };
  for (const p of b) if (pointInPolygon(p, a)) return { a: p, b: p, distance: 0 };
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i]!,
      a1 = a[(i + 1) % a.length]!;
    for (let j = 0; j < b.length; j++) {
      const b0 = b[j]!,
        b1 = b[(j + 1) % b.length]!;
      if (segmentsIntersect(a0, a1, b0, b1)) {
        const m: Point = [(a0[0] + a1[0]) / 2, (a0[1] + a1[1]) / 2];
        const q = closestPointOnSegment(m, b0, b1);
        return { a: q, b: q, distance: 0 };
      }
    }
  }
  let best = { a: a[0]!, b: b[0]!, distance: Infinity };
  for (const p of a) {
    const n = nearestPointOnPolygon(p, b);
    if (n.distance < best.distance) best = { a: p, b: n.point, distance: n.distance };
  }
  for (const p of b) {
    const n = nearestPointOnPolygon(p, a);
    if (n.distance < best.distance) best = { a: n.point, b: p, distance: n.distance };
  }
  return best;
}

/** Convex hull (Andrew's monotone chain), screen-clockwise in image coordinates. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

export interface Axis {
  length: number;
  a: Point;
  b: Point;
}

/**
 * Feret axes (api.md 12.1): long axis = maximum Feret diameter; short axis = maximum width
 * perpendicular to it. `spacing` = [rowSpacing (y), columnSpacing (x)] gives lengths in mm
 * (points stay in px); without it lengths are in px.
 */
export function feretAxes(
  poly: readonly Point[],
  spacing?: readonly [number, number] | null,
): { longAxis: Axis; shortAxis: Axis } {
  const sy = spacing ? spacing[0] : 1,
    sx = spacing ? spacing[1] : 1;
  const hull = convexHull(poly.map(([x, y]) => [x * sx, y * sy] as Point));
  const back = (p: Point): Point => [p[0] / sx, p[1] / sy];
  if (hull.length === 0) {
    const z: Axis = { length: 0, a: [0, 0], b: [0, 0] };
    return { longAxis: z, shortAxis: z };
  }
  let la = hull[0]!,
    lb = hull[0]!,
    best = 0;
  for (let i = 0; i < hull.length; i++) {
    for (let j = i + 1; j < hull.length; j++) {
      const d = dist(hull[i]!, hull[j]!);
      if (d > best) {
        best = d;
        la = hull[i]!;
        lb = hull[j]!;
      }
    }
  }
  const ux = best > 0 ? (lb[0] - la[0]) / best : 1,
    uy = best > 0 ? (lb[1] - la[1]) / best : 0;
  const nx = -uy,
    ny = ux;
  let mn = Infinity,
    mx = -Infinity;
  for (const p of hull) {
    const v = (p[0] - la[0]) * nx + (p[1] - la[1]) * ny;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const mid: Point = [(la[0] + lb[0]) / 2, (la[1] + lb[1]) / 2];
  const sa: Point = [mid[0] + nx * mn, mid[1] + ny * mn];
  const sb: Point = [mid[0] + nx * mx, mid[1] + ny * mx];
  return {
    longAxis: { length: best, a: back(la), b: back(lb) },
    shortAxis: { length: mx - mn, a: back(sa), b: back(sb) },
  };
}

/** Round a coordinate to 2 decimals (api.md 1.3). */
export const round1 = (v: number): number => Math.round(v * 10) / 10;
export const round2 = (v: number): number => Math.round(v * 100) / 100;
export const roundPoint = (p: Point): Point => [round2(p[0]), round2(p[1])];
export const roundPolygon = (poly: readonly Point[]): Polygon => poly.map(roundPoint);

/**
 * Crossings of the horizontal line `y` with the polygons' edges, sorted: consecutive pairs are the
 * inside intervals under the even-odd rule.
 */
export function rowCrossings(polys: readonly Polygon[], y: number): number[] {
  const xs: number[] = [];
  for (const poly of polys) {
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!;
      const [xj, yj] = poly[j]!;
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
  }
  return xs.sort((a, b) => a - b);
}

/**
 * Membership test for many points against fixed polygons (even-odd, like pointInPolygon): each
 * row's sorted crossings are computed once and reused, so a test costs a binary search instead of
 * a walk over every edge. Rows are quantised to 1/4 px, which only moves the boundary by ≤ 1/8 px.
 */
export function polygonMembership(polys: readonly Polygon[]): (p: Point) => boolean {
  const rows = new Map<number, number[]>();
  return ([x, y]) => {
    const yq = Math.round(y * 4) / 4;
    let xs = rows.get(yq);
    if (!xs) {
      xs = rowCrossings(polys, yq);
      rows.set(yq, xs);
    }
    let lo = 0,
      hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo % 2 === 1;
  };
}

/** Extreme columns of the polygons on row `y`, or null when the row misses them. */
export function rowExtent(polys: readonly Polygon[], y: number): [number, number] | null {
  const xs = rowCrossings(polys, y);
  return xs.length >= 2 ? [xs[0]!, xs[xs.length - 1]!] : null;
}

/** Extreme rows of the polygons on column `x`, or null when the column misses them. */
export function columnExtent(polys: readonly Polygon[], x: number): [number, number] | null {
  const ys: number[] = [];
  for (const poly of polys) {
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!;
      const [xj, yj] = poly[j]!;
      if (xi > x !== xj > x) ys.push(yi + ((x - xi) * (yj - yi)) / (xj - xi));
    }
  }
  if (ys.length < 2) return null;
  return [Math.min(...ys), Math.max(...ys)];
}

/** Sutherland–Hodgman clip of a polygon to the horizontal strip y0 ≤ y ≤ y1. */
export function clipToStrip(poly: readonly Point[], y0: number, y1: number): Point[] {
  const clip = (pts: Point[], inside: (p: Point) => boolean, yc: number): Point[] => {
    const out: Point[] = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i]!,
        prev = pts[(i + pts.length - 1) % pts.length]!;
      const ci = inside(cur),
        pi = inside(prev);
      if (ci !== pi) {
        const t = (yc - prev[1]) / (cur[1] - prev[1]);
        out.push([prev[0] + t * (cur[0] - prev[0]), yc]);
      }
      if (ci) out.push(cur);
    }
    return out;
  };
  let pts = clip([...poly], (p) => p[1] >= y0, y0);
  pts = clip(pts, (p) => p[1] <= y1, y1);
  return pts;
}
