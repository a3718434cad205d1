import type { Anatomy, ImageInfo, Point, Polygon } from '../../contract';
import { lungFrames } from '../../analysis/anatomy/locate';
import { lungCoords, xAtT, type LungFrame } from '../../analysis/anatomy/lungFrame';
import { isStandardOrientation } from '../../analysis/anatomy/state';
import { bboxOf, rowCrossings } from '../../geometry/polygon';
import type { AnalysisPixels } from '../../store/types';

export interface RegionStats {
  mean: number;
  sd: number;
  cv: number;
  n: number;
}

/** The display frame; callers pass image coordinates, the frame holds image px / `scale` (a bounded stored frame). */
type Pixels = Pick<AnalysisPixels, 'display' | 'width' | 'height' | 'scale'>;
const toFrame = (px: Pixels, p: Point): Point => {
  const s = px.scale ?? 1;
  return s === 1 ? p : [p[0] / s, p[1] / s];
};
const lengthToFrame = (px: Pixels, r: number): number => r / (px.scale ?? 1);

/**
 * Mean grey value (0..1, bright = dense), SD and coefficient of variation inside a polygon, by
 * scanlines (even–odd crossings per sampled row), sampling at most ~64 rows and columns.
 */
export function regionStats(px: Pixels, imagePoly: Polygon): RegionStats {
  const poly = imagePoly.map((p) => toFrame(px, p));
  const [x0, y0, x1, y1] = bboxOf(poly);
  const step = Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / 64));
  let n = 0,
    sum = 0,
    sum2 = 0;
  for (let y = Math.max(0, Math.floor(y0)); y <= Math.min(px.height - 1, Math.ceil(y1)); y += step) {
    const xs = rowCrossings([poly], y + 0.5);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const to = Math.min(px.width - 1, Math.floor(xs[k + 1]! - 0.5));
      // Sample on a global grid so the counts do not depend on where a run starts.
      for (let x = from + ((step - (from % step)) % step); x <= to; x += step) {
        const v = px.display[y * px.width + x]!;
        n++;
        sum += v;
        sum2 += v * v;
      }
    }
  }
  if (!n) return { mean: 0, sd: 0, cv: 0, n: 0 };
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  return { mean, sd, cv: mean > 0 ? sd / mean : 0, n };
}

/** Mean grey value in a disc (image coordinates). */
export function discMean(px: Pixels, imageCentre: Point, imageRadius: number): number {
  const c = toFrame(px, imageCentre);
  let n = 0,
    sum = 0;
  const rr = Math.max(1, lengthToFrame(px, imageRadius));
  for (let y = Math.max(0, Math.floor(c[1] - rr)); y <= Math.min(px.height - 1, Math.ceil(c[1] + rr)); y++) {
    for (let x = Math.max(0, Math.floor(c[0] - rr)); x <= Math.min(px.width - 1, Math.ceil(c[0] + rr)); x++) {
      if ((x - c[0]) ** 2 + (y - c[1]) ** 2 > rr * rr) continue;
      n++;
      sum += px.display[y * px.width + x]!;
    }
  }
  return n ? sum / n : 0;
}

/** Mean grey value in the ring r1..r2 around a point (the local background). */
export function ringMean(px: Pixels, imageCentre: Point, imageR1: number, imageR2: number): number {
  const c = toFrame(px, imageCentre),
    r1 = lengthToFrame(px, imageR1),
    r2 = lengthToFrame(px, imageR2);
  let n = 0,
    sum = 0;
  for (let y = Math.max(0, Math.floor(c[1] - r2)); y <= Math.min(px.height - 1, Math.ceil(c[1] + r2)); y++) {
    for (let x = Math.max(0, Math.floor(c[0] - r2)); x <= Math.min(px.width - 1, Math.ceil(c[0] + r2)); x++) {
      const d2 = (x - c[0]) ** 2 + (y - c[1]) ** 2;
      if (d2 < r1 * r1 || d2 > r2 * r2) continue;
      n++;
      sum += px.display[y * px.width + x]!;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Maps image points to the same place of the other lung: each point's lung-frame coordinates
 * (s = height fraction from apex to base, t = fraction from the medial to the lateral edge on its
 * row; api.md 5.3) are carried over to the other lung's frame. Without lung anatomy the image is
 * mirrored about its vertical centre line. `method` says which was used.
 */
export function mirrorPoints(
  points: Point[],
  side: 'right' | 'left' | null,
  anatomy: Anatomy,
  image: Pick<ImageInfo, 'columns' | 'patientOrientation'>,
): { points: Point[]; method: 'lung_frame' | 'image_centre'; toSide: 'right' | 'left' | null } {
  const frames = anatomy.available ? lungFrames(anatomy, isStandardOrientation(image)) : { right: null, left: null };
  const c = points.reduce((a, p) => [a[0] + p[0] / points.length, a[1] + p[1] / points.length], [0, 0]) as Point;
  const from: LungFrame | null =
    side === 'right'
      ? frames.right
      : side === 'left'
        ? frames.left
        : frames.right && frames.left
          ? Math.abs(c[0] - (frames.right.xMin + frames.right.xMax) / 2) <
            Math.abs(c[0] - (frames.left.xMin + frames.left.xMax) / 2)
            ? frames.right
            : frames.left
          : null;
  const to = from ? (from.side === 'right' ? frames.left : frames.right) : null;
  if (from && to) {
    const out: Point[] = [];
    for (const p of points) {
      const q = lungCoords(from, p);
      if (!q) {
        out.length = 0;
        break;
      }
      const y = to.yApex + q.sRaw * (to.yBase - to.yApex);
      const x = xAtT(to, y, q.tRaw);
      if (x === null) {
        out.length = 0;
        break;
      }
      out.push([x, y]);
    }
    if (out.length === points.length) return { points: out, method: 'lung_frame', toSide: to.side };
  }
  const w = image.columns;
  return {
    points: points.map(([x, y]) => [w - x, y] as Point),
    method: 'image_centre',
    toSide: side === 'right' ? 'left' : side === 'left' ? 'right' : null,
  };
}
