/**
 * The thoracic lung region (api.md 6.1): where a lesion finding may lie.
 *
 * The anatomy model segments the *visible* lung (SCR convention: without the lung behind the heart,
 * the mediastinum and the domes of the diaphragm; 9 of 104 JSRT nodules lie there, 8 of them behind
 * the heart and one 15 mm below the dome). The region is the convex hull of the two lung masks
 * together — it spans the retrocardiac and mediastinal part between the lungs — slightly dilated for
 * under-segmented lung edges, clipped above the apices, and below by the diaphragm: under each lung
 * it reaches SUBDIAPHRAGM_FRACTION of the lung height below the lung's lower edge (the posterior
 * sulcus behind the dome), between the cardiophrenic angles the same depth below the lower of
 * the two. Everything else (neck, the upper abdomen with the stomach bubble and bowel gas, soft tissue
 * beyond the ribs, the image border) is outside: candidates there are dropped, never described.
 */
import type { Point } from '../../contract';
import { convexHull } from '../../geometry';

// The hull is geometry's; re-exported where the region's tests have always imported it from.
export { convexHull };

export interface ThoracicRegion {
  /** Grid of the mask (the anatomy model's output grid). */
  gridWidth: number;
  gridHeight: number;
  /** Full-image size the grid maps to. */
  columns: number;
  rows: number;
  /** 1 inside the region, row-major gridWidth × gridHeight. */
  mask: Uint8Array;
  /** Lung pixels (both sides) on the grid and the region's pixel count, for diagnostics. */
  lungPixels: number;
  regionPixels: number;
}

export interface RegionInput {
  gridWidth: number;
  gridHeight: number;
  columns: number;
  rows: number;
  /** Lung probability fields on the grid (≥ 0.5 = lung); either may be missing. */
  lungRight: Float32Array | null | undefined;
  lungLeft: Float32Array | null | undefined;
}

/** Dilation of the hull, as a fraction of the lungs' combined width (grid px, at least 1). */
export const REGION_MARGIN_FRACTION = 0.02;
/** How far below the diaphragm (lung's lower edge) the region reaches, as a fraction of the lung height. */
export const SUBDIAPHRAGM_FRACTION = 0.09;
/** Smallest lung (both sides, fraction of the grid) for which a region is built at all. */
export const MIN_LUNG_FRACTION = 0.02;

type P = [number, number];

/** Per-row extent of the mask pixels of a field ≥ 0.5 (corner points of each run's pixels). */
function rowRunPoints(
  f: Float32Array,
  w: number,
  h: number,
  out: P[],
): { n: number; top: number; bottom: number; x0: number; x1: number } {
  let n = 0,
    top = h,
    bottom = -1,
    x0 = w,
    x1 = -1;
  for (let y = 0; y < h; y++) {
    let first = -1,
      last = -1;
    for (let x = 0; x < w; x++)
      if (f[y * w + x]! >= 0.5) {
        if (first < 0) first = x;
        last = x;
        n++;
      }
    if (first < 0) continue;
    out.push([first, y], [last + 1, y], [first, y + 1], [last + 1, y + 1]);
    if (y < top) top = y;
    bottom = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  return { n, top, bottom, x0, x1 };
}

/** Fills a convex polygon (grid coordinates, pixel corners) into `mask`: a pixel is in when its centre is. */
function fillConvex(hull: P[], w: number, h: number, mask: Uint8Array): void {
  if (hull.length < 3) return;
  for (let y = 0; y < h; y++) {
    const yc = y + 0.5;
    let lo = Infinity,
      hi = -Infinity;
    for (let k = 0; k < hull.length; k++) {
      const a = hull[k]!,
        b = hull[(k + 1) % hull.length]!;
      if ((a[1] <= yc && b[1] >= yc) || (b[1] <= yc && a[1] >= yc)) {
        if (a[1] === b[1]) {
          lo = Math.min(lo, a[0], b[0]);
          hi = Math.max(hi, a[0], b[0]);
          continue;
        }
        const x = a[0] + ((yc - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    if (!(hi >= lo)) continue;
    const xs = Math.max(0, Math.ceil(lo - 0.5)),
      xe = Math.min(w - 1, Math.floor(hi - 0.5));
    for (let x = xs; x <= xe; x++) mask[y * w + x] = 1;
  }
}

/** Square dilation by r pixels (separable max). */
function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return mask;
  const tmp = new Uint8Array(w * h),
    out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = -r; d <= r && !v; d++) {
        const xx = x + d;
        if (xx >= 0 && xx < w && mask[y * w + xx]) v = 1;
      }
      tmp[y * w + x] = v;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let d = -r; d <= r && !v; d++) {
        const yy = y + d;
        if (yy >= 0 && yy < h && tmp[yy * w + x]) v = 1;
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

/**
 * Builds the region from the lung fields; null when no lung is found (then nothing in the image is
 * known to be lung, and the caller reports no nodule: see domain.ts).
 */
export function thoracicRegion(input: RegionInput): ThoracicRegion | null {
  const w = input.gridWidth,
    h = input.gridHeight;
  const pts: P[] = [];
  let lungPixels = 0,
    top = h,
    bottom = -1,
    x0 = w,
    x1 = -1;
  const bottoms: number[] = [];
  for (const f of [input.lungRight, input.lungLeft]) {
    if (!f || f.length !== w * h) continue;
    const e = rowRunPoints(f, w, h, pts);
    if (e.n === 0) continue;
    lungPixels += e.n;
    top = Math.min(top, e.top);
    bottom = Math.max(bottom, e.bottom);
    x0 = Math.min(x0, e.x0);
    x1 = Math.max(x1, e.x1);
    bottoms.push(e.bottom);
  }
  if (lungPixels < MIN_LUNG_FRACTION * w * h || pts.length < 3) return null;
  const hullMask = new Uint8Array(w * h);
  fillConvex(convexHull(pts), w, h, hullMask);
  const r = Math.max(1, Math.round(REGION_MARGIN_FRACTION * (x1 - x0 + 1)));
  const mask = dilate(hullMask, w, h, r);
  // clip: nothing above the apices (the neck), nothing deeper than `depth` under the diaphragm line
  const depth = Math.max(r, Math.round(SUBDIAPHRAGM_FRACTION * (bottom - top + 1)));
  const floor = diaphragmFloor(input, w, h);
  const yTop = Math.max(0, top - r);
  let regionPixels = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (y < yTop || y > floor[x]! + depth) mask[i] = 0;
      regionPixels += mask[i]!;
    }
  }
  return { gridWidth: w, gridHeight: h, columns: input.columns, rows: input.rows, mask, lungPixels, regionPixels };
}

/**
 * Per column, the row of the diaphragm line: under each lung, the lung's lowest pixel in the columns
 * from its cardiophrenic angle (lowest medial point) outwards; between the two cardiophrenic angles,
 * the lower of the two; outside the lungs' columns, the nearest lung column's value.
 */
function diaphragmFloor(input: RegionInput, w: number, h: number): Float64Array {
  const floor = new Float64Array(w).fill(NaN);
  const sides = [input.lungRight, input.lungLeft]
    .map((f) => (f && f.length === w * h ? lowerEdge(f, w, h) : null))
    .filter((e): e is LowerEdge => e !== null);
  if (!sides.length) return floor.fill(h - 1);
  // medial = towards the other lung (or the image centre with one lung)
  const centre = sides.length === 2 ? (sides[0]!.cx + sides[1]!.cx) / 2 : w / 2;
  const angles = sides.map((s) => {
    const medialSign = centre > s.cx ? 1 : -1; // +1: medial is +x
    const bx = cardiophrenicColumn(s, medialSign, h);
    // lateral of the cardiophrenic angle: the lung's lower edge
    for (let x = s.x0; x <= s.x1; x++) {
      if ((x - bx) * medialSign > 0 || s.low[x]! < 0) continue;
      floor[x] = Math.max(Number.isNaN(floor[x]!) ? -1 : floor[x]!, s.low[x]!);
    }
    return [bx, s.low[bx]!] as [number, number];
  });
  if (angles.length === 2) {
    const [a, b] = angles[0]![0] <= angles[1]![0] ? [angles[0]!, angles[1]!] : [angles[1]!, angles[0]!];
    // the heart rests on the diaphragm: behind it the lung reaches the lower of the two angles
    const v = Math.max(a[1], b[1]);
    for (let x = a[0] + 1; x < b[0]; x++) floor[x] = Number.isNaN(floor[x]!) ? v : Math.max(floor[x]!, v);
  }
  return fillFromNearest(floor);
}

interface LowerEdge {
  /** Per column, the lowest lung row (-1: no lung in that column). */
  low: Int32Array;
  x0: number;
  x1: number;
  /** Mean column of the lung pixels. */
  cx: number;
}

/** The lower edge of one lung field (≥ 0.5) on the grid, or null when it is empty. */
export function lowerEdge(f: Float32Array, w: number, h: number): LowerEdge | null {
  const low = new Int32Array(w).fill(-1);
  let x0 = w,
    x1 = -1,
    sx = 0,
    n = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (f[y * w + x]! >= 0.5) {
        low[x] = y;
        n++;
        sx += x;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
      }
  return n ? { low, x0, x1, cx: sx / n } : null;
}

/** Column of the cardiophrenic angle: the lower edge's point maximising depth plus half the medial offset. */
export function cardiophrenicColumn(s: LowerEdge, medialSign: number, h: number): number {
  const width = s.x1 - s.x0 + 1;
  let best = -Infinity,
    bx = s.x0;
  for (let x = s.x0; x <= s.x1; x++) {
    if (s.low[x]! < 0) continue;
    const sc = s.low[x]! / h + (0.5 * medialSign * (x - s.cx)) / width;
    if (sc > best) {
      best = sc;
      bx = x;
    }
  }
  return bx;
}

/** Fills NaN entries from the nearest defined entry (left neighbour first, then right); in place. */
export function fillFromNearest(v: Float64Array): Float64Array {
  let last = NaN;
  for (let x = 0; x < v.length; x++) {
    if (!Number.isNaN(v[x]!)) last = v[x]!;
    else if (!Number.isNaN(last)) v[x] = last;
  }
  last = NaN;
  for (let x = v.length - 1; x >= 0; x--) {
    if (!Number.isNaN(v[x]!)) last = v[x]!;
    else if (!Number.isNaN(last)) v[x] = last;
  }
  return v;
}

/** Is the full-image point p inside the region? */
export function inThoracicRegion(region: ThoracicRegion, p: Point): boolean {
  const gx = Math.floor((p[0] / region.columns) * region.gridWidth);
  const gy = Math.floor((p[1] / region.rows) * region.gridHeight);
  if (gx < 0 || gy < 0 || gx >= region.gridWidth || gy >= region.gridHeight) return false;
  return region.mask[gy * region.gridWidth + gx] === 1;
}
