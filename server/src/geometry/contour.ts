/**
 * Contour tracing by marching squares on a sampled field (a binary mask is a 0/1 field).
 * Samples sit at pixel centres; with threshold 0.5 a binary mask's boundary runs along pixel edges,
 * and a probability map's boundary follows its bilinear 0.5 iso-line, i.e. the boundary of the
 * bilinearly upsampled, thresholded mask (api.md 7).
 */
import type { Point, Polygon } from '../contract';
import { polygonArea, signedArea } from './polygon';

export interface TraceOptions {
  threshold?: number; // inside when value ≥ threshold (default 0.5)
  scaleX?: number; // output units per field column (default 1)
  scaleY?: number; // output units per field row (default 1)
  clampWidth?: number; // clamp x to [0, clampWidth] (default width·scaleX)
  clampHeight?: number; // clamp y to [0, clampHeight]
  minArea?: number; // drop rings smaller than this, in output units² (default 0)
  smoothIterations?: number; // (¼,½,¼) passes on the ring (default 1)
  maxPoints?: number; // simplify until at most this many points (default 512)
  tolerance?: number; // initial Douglas–Peucker tolerance in output units (default 0.25·scale)
  holes?: boolean; // also return holes (default false: outer boundaries only)
}

type Field = ArrayLike<number>;

/** The field padded with a ring of zeros (closes rings at the border); corners (I, J) are 1-based samples. */
interface PaddedField {
  W: number;
  H: number;
  threshold: number;
  val: (I: number, J: number) => number;
}

/** Records a contour segment between two cell edges, oriented by the inside-ness of a cell corner. */
type AddSegment = (e1: number, e2: number, cornerX: number, cornerY: number, cornerInside: boolean) => void;

/**
 * Raw marching-squares rings in pixel units (sample i at i + 0.5), outer rings with positive
 * signed area, holes negative.
 */
export function marchingSquares(field: Field, width: number, height: number, threshold = 0.5): Point[][] {
  const g: PaddedField = {
    W: width + 2,
    H: height + 2,
    threshold,
    val: (I, J) => (I <= 0 || J <= 0 || I > width || J > height ? 0 : field[(J - 1) * width + (I - 1)]!),
  };
  const next = new Int32Array(2 * g.W * g.H).fill(-1); // start edge → end edge
  const starts: number[] = [];
  const addSeg: AddSegment = (e1, e2, cornerX, cornerY, cornerInside) => {
    // Orient so that the inside lies on the right of travel (screen-clockwise outer rings). The
    // test uses edge midpoints: interpolated points may coincide with a corner at the threshold.
    const p1 = edgeMidpoint(g.W, e1),
      p2 = edgeMidpoint(g.W, e2);
    const cross = (p2[0] - p1[0]) * (cornerY - p1[1]) - (p2[1] - p1[1]) * (cornerX - p1[0]);
    const [a, b] = cross > 0 === cornerInside ? [e1, e2] : [e2, e1];
    next[a] = b;
    starts.push(a);
  };
  for (let J = 0; J < g.H - 1; J++) for (let I = 0; I < g.W - 1; I++) cellSegments(g, I, J, addSeg);
  return linkRings(starts, next, (e) => edgeCrossing(g, e));
}

// Edge ids: horizontal edge from (I,J) to (I+1,J) = 2*(J*W+I); vertical (I,J)-(I,J+1) = 2*(J*W+I)+1.

/** Where the threshold crosses an edge (linear interpolation; the midpoint on a flat edge). */
function edgeCrossing(g: PaddedField, edge: number): Point {
  const base = edge >> 1,
    I = base % g.W,
    J = (base - I) / g.W;
  const v0 = g.val(I, J);
  if ((edge & 1) === 0) {
    const v1 = g.val(I + 1, J);
    const t = v1 === v0 ? 0.5 : (g.threshold - v0) / (v1 - v0);
    return [I - 0.5 + t, J - 0.5];
  }
  const v1 = g.val(I, J + 1);
  const t = v1 === v0 ? 0.5 : (g.threshold - v0) / (v1 - v0);
  return [I - 0.5, J - 0.5 + t];
}

function edgeMidpoint(W: number, edge: number): Point {
  const base = edge >> 1,
    I = base % W,
    J = (base - I) / W;
  return (edge & 1) === 0 ? [I + 0.5, J] : [I, J + 0.5];
}

/** The segments of the cell with top-left corner (I, J); saddles are resolved by the cell's mean. */
function cellSegments(g: PaddedField, I: number, J: number, addSeg: AddSegment): void {
  const { W, threshold } = g;
  const v00 = g.val(I, J),
    v10 = g.val(I + 1, J),
    v11 = g.val(I + 1, J + 1),
    v01 = g.val(I, J + 1);
  const tl = v00 >= threshold,
    tr = v10 >= threshold,
    br = v11 >= threshold,
    bl = v01 >= threshold;
  const c = (tl ? 8 : 0) | (tr ? 4 : 0) | (br ? 2 : 0) | (bl ? 1 : 0);
  if (c === 0 || c === 15) return;
  const top = 2 * (J * W + I),
    left = 2 * (J * W + I) + 1;
  const bottom = 2 * ((J + 1) * W + I),
    right = 2 * (J * W + I + 1) + 1;
  if (c === 5 || c === 10) {
    const centre = (v00 + v10 + v11 + v01) / 4 >= threshold;
    // Cut off the corners that are not joined through the centre.
    const cutTlBr = (c === 5) === centre; // c=5: tr,bl inside; centre inside → cut tl and br
    if (cutTlBr) {
      addSeg(top, left, I, J, tl);
      addSeg(right, bottom, I + 1, J + 1, br);
    } else {
      addSeg(top, right, I + 1, J, tr);
      addSeg(left, bottom, I, J + 1, bl);
    }
    return;
  }
  const edges: number[] = [];
  if (tl !== tr) edges.push(top);
  if (tr !== br) edges.push(right);
  if (bl !== br) edges.push(bottom);
  if (tl !== bl) edges.push(left);
  addSeg(edges[0]!, edges[1]!, I, J, tl);
}

/** Follows the segment links from each unused start edge into closed rings (3 points or more). */
function linkRings(starts: number[], next: Int32Array, pointOn: (edge: number) => Point): Point[][] {
  const rings: Point[][] = [];
  const used = new Uint8Array(next.length);
  for (const start of starts) {
    if (used[start]) continue;
    const ring: Point[] = [];
    let e = start;
    while (e >= 0 && !used[e]) {
      used[e] = 1;
      ring.push(pointOn(e));
      e = next[e]!;
    }
    if (ring.length >= 3) rings.push(ring);
  }
  return rings;
}

/** One (¼,½,¼) smoothing pass on a closed ring. */
export function smoothRing(ring: readonly Point[], iterations = 1): Point[] {
  let r = ring.slice();
  for (let k = 0; k < iterations && r.length >= 3; k++) {
    const n = r.length;
    r = r.map((p, i) => {
      const a = r[(i + n - 1) % n]!,
        b = r[(i + 1) % n]!;
      return [0.25 * a[0] + 0.5 * p[0] + 0.25 * b[0], 0.25 * a[1] + 0.5 * p[1] + 0.25 * b[1]] as Point;
    });
  }
  return r;
}

function dpOpen(pts: readonly Point[], tol: number): Point[] {
  if (pts.length <= 2) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [i0, i1] = stack.pop()!;
    const a = pts[i0]!,
      b = pts[i1]!;
    const dx = b[0] - a[0],
      dy = b[1] - a[1];
    const len = Math.hypot(dx, dy);
    let worst = -1,
      wd = tol;
    for (let i = i0 + 1; i < i1; i++) {
      const p = pts[i]!;
      const d =
        len === 0 ? Math.hypot(p[0] - a[0], p[1] - a[1]) : Math.abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / len;
      if (d > wd) {
        wd = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([i0, worst], [worst, i1]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

/** Douglas–Peucker on a closed ring (split at the vertex farthest from the first). */
export function simplifyRing(ring: readonly Point[], tolerance: number): Point[] {
  if (ring.length <= 4) return ring.slice();
  const p0 = ring[0]!;
  let far = 0,
    fd = -1;
  ring.forEach((p, i) => {
    const d = Math.hypot(p[0] - p0[0], p[1] - p0[1]);
    if (d > fd) {
      fd = d;
      far = i;
    }
  });
  const a = dpOpen(ring.slice(0, far + 1), tolerance);
  const b = dpOpen([...ring.slice(far), p0], tolerance);
  const out = a.concat(b.slice(1, -1));
  return out.length >= 3 ? out : ring.slice(0, 3);
}

/** Simplify until the ring has at most `maxPoints` points. */
export function limitPoints(ring: readonly Point[], maxPoints: number, tolerance: number): Point[] {
  let tol = tolerance;
  let r = tol > 0 ? simplifyRing(ring, tol) : ring.slice();
  while (r.length > maxPoints) {
    tol = Math.max(tol * 1.6, 1e-3);
    r = simplifyRing(ring, tol);
  }
  return r;
}

/**
 * Outer boundaries of the regions where `field ≥ threshold`, in output units, largest first,
 * smoothed and simplified to ≤ maxPoints points each.
 */
export function traceContours(field: Field, width: number, height: number, opts: TraceOptions = {}): Polygon[] {
  const sx = opts.scaleX ?? 1,
    sy = opts.scaleY ?? 1;
  const cw = opts.clampWidth ?? width * sx,
    ch = opts.clampHeight ?? height * sy;
  const rings = marchingSquares(field, width, height, opts.threshold ?? 0.5);
  const out: { poly: Polygon; area: number }[] = [];
  for (const ring of rings) {
    const sa = signedArea(ring);
    if (!opts.holes && sa <= 0) continue;
    let r: Point[] = ring.map(([x, y]) => [Math.min(cw, Math.max(0, x * sx)), Math.min(ch, Math.max(0, y * sy))]);
    r = smoothRing(r, opts.smoothIterations ?? 1);
    const area = polygonArea(r);
    if (area < (opts.minArea ?? 0)) continue;
    r = limitPoints(r, opts.maxPoints ?? 512, opts.tolerance ?? 0.25 * Math.max(sx, sy));
    out.push({ poly: r, area });
  }
  out.sort((a, b) => b.area - a.area);
  return out.map((o) => o.poly);
}
