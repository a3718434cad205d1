/** Lung-normalised coordinates (api.md 5.3): s down from the apex, t out from the medial edge. */
import type { Point, Polygon } from '../../contract';
import { bboxOfPolygons, rowExtent } from '../../geometry';

export interface LungFrame {
  side: 'right' | 'left';
  polygons: Polygon[];
  yApex: number;
  yBase: number;
  xMin: number;
  xMax: number;
  /** +1 when lateral is +x (the left lung on a standard film), −1 otherwise. */
  lateralSign: 1 | -1;
}

export function lungFrame(side: 'right' | 'left', polygons: Polygon[], standardOrientation: boolean): LungFrame | null {
  if (!polygons.length) return null;
  const [xMin, yApex, xMax, yBase] = bboxOfPolygons(polygons);
  if (!(yBase > yApex)) return null;
  const rightOnImageLeft = standardOrientation;
  const lateralSign = (side === 'right') === rightOnImageLeft ? -1 : 1;
  return { side, polygons, yApex, yBase, xMin, xMax, lateralSign };
}

/** Medial and lateral edge x of the lung on row y (nearest row with lung when y misses it). */
export function medialLateral(f: LungFrame, y: number): { xMedial: number; xLateral: number } | null {
  const h = f.yBase - f.yApex;
  const yc = Math.min(f.yBase - 1e-3 * h, Math.max(f.yApex + 1e-3 * h, y));
  let ext = rowExtent(f.polygons, yc);
  for (let k = 1; !ext && k <= 40; k++) {
    const d = (k * h) / 400;
    ext = rowExtent(f.polygons, Math.min(f.yBase, yc + d)) ?? rowExtent(f.polygons, Math.max(f.yApex, yc - d));
  }
  if (!ext) return null;
  return f.lateralSign > 0 ? { xMedial: ext[0], xLateral: ext[1] } : { xMedial: ext[1], xLateral: ext[0] };
}

/**
 * s and t of api.md 5.3 for an image point. `s`, `t` are clamped to [0, 1] (a point medial to the
 * lung gets t = 0); `sRaw`, `tRaw` are unclamped. `row` = the row's medial/lateral edges when
 * already known.
 */
export function lungCoords(
  f: LungFrame,
  p: Point,
  row: { xMedial: number; xLateral: number } | null = medialLateral(f, p[1]),
): { s: number; t: number; sRaw: number; tRaw: number } | null {
  const ml = row;
  if (!ml) return null;
  const sRaw = (p[1] - f.yApex) / (f.yBase - f.yApex);
  const w = Math.abs(ml.xLateral - ml.xMedial);
  const off = (p[0] - ml.xMedial) * f.lateralSign; // > 0 lateral of the medial edge
  const tRaw = w > 0 ? off / w : 0;
  const clamp = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
  return { s: clamp(sRaw), t: clamp(tRaw), sRaw, tRaw };
}

/** Image x at lung fraction t on row y. */
export function xAtT(f: LungFrame, y: number, t: number): number | null {
  const ml = medialLateral(f, y);
  return ml ? ml.xMedial + t * (ml.xLateral - ml.xMedial) : null;
}
