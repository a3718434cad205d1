/** Landmarks from the structure outlines (api.md 5.2). All geometry, no training data marks them. */
import type { Landmark, LandmarkId, Point, Polygon } from '../../contract';
import { columnExtent, roundPoint, roundPolygon, rowExtent } from '../../geometry';
import { LANDMARK_LABELS } from './labels';
import { medialLateral, type LungFrame } from './lungFrame';

type Method = Landmark['method'];
const mk = (
  id: LandmarkId,
  point: Point,
  confidence: number,
  method: Method,
  methodNote: string,
  polyline: Point[] | null = null,
  region: Polygon | null = null,
): Landmark => ({
  id,
  label: LANDMARK_LABELS[id],
  point: roundPoint(point),
  polyline: polyline ? roundPolygon(polyline) : null,
  region: region ? roundPolygon(region) : null,
  confidence: Math.round(confidence * 100) / 100,
  method,
  methodNote,
});

const largest = (f: LungFrame): Polygon => f.polygons[0]!;

/** Highest point of the lung outline. */
export function apex(f: LungFrame): Point {
  const pts = largest(f);
  const yMin = Math.min(...pts.map((p) => p[1]));
  const top = pts.filter((p) => p[1] <= yMin + 0.5);
  return [top.reduce((a, p) => a + p[0], 0) / top.length, yMin];
}

/** Outline point maximising depth plus `lateralWeight` × lateral (or medial when negative) offset. */
function tip(f: LungFrame, lateralWeight: number): Point {
  const h = f.yBase - f.yApex,
    w = f.xMax - f.xMin,
    xc = (f.xMin + f.xMax) / 2;
  let best: Point = largest(f)[0]!,
    bs = -Infinity;
  for (const p of largest(f)) {
    const sc = (p[1] - f.yApex) / h + (lateralWeight * f.lateralSign * (p[0] - xc)) / w;
    if (sc > bs) {
      bs = sc;
      best = p;
    }
  }
  return best;
}

export const costophrenicAngle = (f: LungFrame): Point => tip(f, 0.5);
export const cardiophrenicAngle = (f: LungFrame): Point => tip(f, -0.5);

/** Diaphragmatic contour from the cardiophrenic to the costophrenic angle, and its dome (highest point). */
export function hemidiaphragm(
  f: LungFrame,
  cardiophrenic: Point,
  costophrenic: Point,
): { dome: Point; polyline: Point[] } {
  const n = 32,
    pts: Point[] = [];
  for (let k = 0; k <= n; k++) {
    const x = cardiophrenic[0] + ((costophrenic[0] - cardiophrenic[0]) * k) / n;
    const ce = columnExtent(f.polygons, x);
    if (ce) pts.push([x, ce[1]]);
  }
  if (pts.length < 2) return { dome: cardiophrenic, polyline: [cardiophrenic, costophrenic] };
  pts[0] = cardiophrenic;
  pts[pts.length - 1] = costophrenic;
  let dome = pts[1] ?? pts[0]!;
  for (let k = 1; k < pts.length - 1; k++) if (pts[k]![1] < dome[1]) dome = pts[k]!;
  return { dome, polyline: pts };
}

/** Heart border on one side: the lateral edge row by row, and its most lateral point. */
export function heartBorder(heart: Polygon[], lateralSign: 1 | -1): { point: Point; polyline: Point[] } | null {
  if (!heart.length) return null;
  const ys = heart.flat().map((p) => p[1]);
  const y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  const pts: Point[] = [];
  const n = 48;
  for (let k = 1; k < n; k++) {
    const y = y0 + ((y1 - y0) * k) / n;
    const e = rowExtent(heart, y);
    if (e) pts.push([lateralSign > 0 ? e[1] : e[0], y]);
  }
  if (pts.length < 2) return null;
  let best = pts[0]!;
  for (const p of pts) if ((p[0] - best[0]) * lateralSign > 0) best = p;
  return { point: best, polyline: pts };
}

/**
 * Highest row where the heart outline reaches the lung's medial edge (within `tol` px): the upper
 * end of the heart border on that side, searched between 30 % and 75 % of lung height. Null
 * without contact.
 */
export function heartLungJunction(f: LungFrame, heart: Polygon[], tol: number): Point | null {
  if (!heart.length) return null;
  const ys = heart.flat().map((p) => p[1]);
  // Plausible band only (5th–95th percentiles on SCR masks: s 0.42–0.65), so that a stray heart
  // blob near the apex or base cannot pull the hilum there.
  const H = f.yBase - f.yApex;
  const y0 = Math.max(Math.min(...ys), f.yApex + 0.3 * H),
    y1 = Math.min(Math.max(...ys), f.yApex + 0.75 * H);
  const step = Math.max(0.5, H / 600);
  for (let y = y0; y <= y1; y += step) {
    const he = rowExtent(heart, y);
    const ml = medialLateral(f, y);
    if (!he || !ml) continue;
    const heartEdge = f.lateralSign > 0 ? he[1] : he[0]; // heart edge facing this lung
    const gap = (ml.xMedial - heartEdge) * f.lateralSign; // > 0: lung lies lateral of the heart edge
    if (gap <= tol && rowExtent(f.polygons, y)) return [ml.xMedial, y];
  }
  return null;
}

/** Medial lung contour sampled on rows [y0, y1], lightly smoothed. */
function medialProfile(f: LungFrame, y0: number, y1: number, n: number): { y: number; x: number }[] {
  const raw: { y: number; x: number }[] = [];
  for (let k = 0; k <= n; k++) {
    const y = y0 + ((y1 - y0) * k) / n;
    const ml = medialLateral(f, y);
    if (ml) raw.push({ y, x: ml.xMedial });
  }
  return raw.map((p, i) => {
    const a = raw[Math.max(0, i - 1)]!,
      b = raw[Math.min(raw.length - 1, i + 1)]!;
    return { y: p.y, x: (a.x + 2 * p.x + b.x) / 4 };
  });
}

/**
 * Aortic knob candidate: the most lateral bulge of the left mediastinal contour (the left lung's
 * medial edge) between its upper narrowing and the top of the left heart border; `prominence` =
 * how far it bulges beyond the contour above and below it (px).
 */
export function aorticKnob(left: LungFrame, junction: Point | null): { point: Point; prominence: number } | null {
  const h = left.yBase - left.yApex;
  const y0 = left.yApex + 0.05 * h;
  const y1 = (junction ? junction[1] : left.yApex + 0.5 * h) - 0.04 * h;
  if (y1 <= y0) return null;
  const prof = medialProfile(left, y0, y1, 60);
  if (prof.length < 8) return null;
  const lat = (x: number) => x * left.lateralSign;
  const upper = prof.slice(0, Math.ceil(prof.length / 2));
  let iMin = 0;
  upper.forEach((p, i) => {
    if (lat(p.x) < lat(upper[iMin]!.x)) iMin = i;
  });
  let iMax = iMin;
  for (let i = iMin; i < prof.length; i++) if (lat(prof[i]!.x) > lat(prof[iMax]!.x)) iMax = i;
  let below = Infinity;
  for (let i = iMax; i < prof.length; i++) below = Math.min(below, lat(prof[i]!.x));
  const prominence = iMax === iMin ? 0 : Math.min(lat(prof[iMax]!.x) - lat(prof[iMin]!.x), lat(prof[iMax]!.x) - below);
  return { point: [prof[iMax]!.x, prof[iMax]!.y], prominence };
}

/** Hilar shadow polygon: from the medial contour out to 22 % of the lung width, ±7 % of lung height. */
function hilarRegion(f: LungFrame, y: number): Polygon {
  const h = 0.07 * (f.yBase - f.yApex);
  const med: Point[] = [],
    lat: Point[] = [];
  const n = 8;
  for (let k = 0; k <= n; k++) {
    const yy = y - h + (2 * h * k) / n;
    const ml = medialLateral(f, yy);
    if (!ml) continue;
    const w = Math.abs(ml.xLateral - ml.xMedial);
    const u = (yy - y) / h;
    const reach = 0.22 * w * Math.sqrt(Math.max(0.05, 1 - u * u));
    med.push([ml.xMedial, yy]);
    lat.push([ml.xMedial + f.lateralSign * reach, yy]);
  }
  return med.concat(lat.reverse());
}

export const HILUM_METHOD = {
  right:
    'level where the upper end of the right heart border meets the right lung ' +
    '(junction with the upper heart border); point 10% of the lung width lateral to the medial lung contour',
  left:
    'deepest concavity of the left medial lung contour between the aortic knob and the top of the left heart border; ' +
    'point 10% of the lung width lateral to the medial lung contour',
  fallback: 'no heart-lung contact found: population position at 45-50% of lung height on the medial lung contour',
};

/** Hilar point and shadow of one lung (see HILUM_METHOD). */
export function hilum(
  f: LungFrame,
  junction: Point | null,
  knob: Point | null,
): { point: Point; region: Polygon; confidence: number; method: Method; note: string } {
  const H = f.yBase - f.yApex;
  let y: number,
    confidence: number,
    method: Method = 'geometry',
    note: string;
  if (junction && f.side === 'right') {
    y = junction[1];
    confidence = 0.6;
    note = HILUM_METHOD.right;
  } else if (junction && f.side === 'left') {
    const y0 = Math.max(knob ? knob[1] : 0, f.yApex + 0.25 * H);
    const prof = medialProfile(f, y0, junction[1], 40);
    y = junction[1];
    if (prof.length >= 3) {
      const a = prof[0]!,
        b = prof[prof.length - 1]!;
      let best = -Infinity;
      for (const p of prof) {
        const chord = a.x + ((b.x - a.x) * (p.y - a.y)) / Math.max(1e-6, b.y - a.y);
        const depth = (chord - p.x) * f.lateralSign; // > 0: contour lies medial of the chord (concave lung edge)
        if (depth > best) {
          best = depth;
          y = p.y;
        }
      }
    }
    confidence = knob ? 0.6 : 0.45;
    note = HILUM_METHOD.left;
  } else {
    y = f.yApex + (f.side === 'right' ? 0.5 : 0.45) * H;
    confidence = 0.3;
    method = 'regression';
    note = HILUM_METHOD.fallback;
  }
  const ml = medialLateral(f, y);
  const x = ml ? ml.xMedial + 0.1 * (ml.xLateral - ml.xMedial) : (f.xMin + f.xMax) / 2;
  return { point: [x, y], region: hilarRegion(f, y), confidence, method, note };
}

/** Carina from the trachea field (model grid): the first row where the air column splits in two. */
export function carinaFromTrachea(
  field: Float32Array,
  w: number,
  h: number,
  sx: number,
  sy: number,
): { point: Point; split: boolean } | null {
  let seenSingle = false,
    lastRow = -1,
    lastMid = 0;
  for (let y = 0; y < h; y++) {
    const runs: [number, number][] = [];
    let start = -1;
    for (let x = 0; x <= w; x++) {
      const on = x < w && field[y * w + x]! >= 0.5;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        runs.push([start, x]);
        start = -1;
      }
    }
    if (runs.length === 0) {
      if (seenSingle) break;
      continue;
    }
    if (runs.length === 1) {
      seenSingle = true;
      lastRow = y;
      lastMid = (runs[0]![0] + runs[0]![1]) / 2;
      continue;
    }
    if (seenSingle) {
      runs.sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
      const [r1, r2] = runs[0]![0] < runs[1]![0] ? [runs[0]!, runs[1]!] : [runs[1]!, runs[0]!];
      return { point: [((r1[1] + r2[0]) / 2) * sx, y * sy], split: true };
    }
  }
  return lastRow >= 0 ? { point: [lastMid * sx, (lastRow + 1) * sy], split: false } : null;
}

export { mk as makeLandmark };
