/**
 * Lesion findings from the detector's probability maps (api.md 6).
 *
 * Channel 0 (nodule/mass) is a heatmap whose peaks are lesion centres and whose half-of-peak
 * level traces the lesion outline (that is how the model was trained: 1 at the centre, 0.5 on the
 * boundary). Candidates: 8-neighbour local maxima ≥ threshold, strongest first; each claims the
 * connected pixels ≥ PEAK_REGION_LEVEL × peak not claimed by a stronger one; its contour is the
 * marching-squares iso-line of that region. Channel 1 (airspace opacity): connected components
 * ≥ the opacity threshold. See models/cxr-lesion/MODEL_CARD.md.
 */
import type { BBox, Finding, ImageInfo, Location, Point, Polygon, SpacingSource } from '../../contract';
import { bboxOf, feretAxes, polygonArea, polygonCentroid, roundPoint, traceContours } from '../../geometry';
import { BORDER_THRESHOLDS, classifyShape, edgeSharpness, shapeMetrics } from './shape';
import { describe } from './text';
import { inThoracicRegion, type ThoracicRegion } from './region';

export interface LesionProbs {
  nodule: Float32Array;
  opacity: Float32Array;
  size: number;
}
/**
 * `display` (optional, width×height, 0..1, bright = dense) is used for the border; without it the
 * border is read from the detector map.
 */
export interface LesionImage {
  width: number;
  height: number;
  info: ImageInfo;
  display?: Float32Array;
}
export interface ExtractOptions {
  opacityThreshold?: number; // channel-1 level (default OPACITY_THRESHOLD)
  minOpacityFraction?: number; // smallest opacity component, fraction of the image (default 0.0008)
  maxFindings?: number; // per channel (default 10)
  contourLevel?: number; // nodule outline level as a fraction of the peak (default CONTOUR_LEVEL)
  /** api.md 6.1: only candidates whose peak and centre lie in this region are findings (null/absent = no gate). */
  region?: ThoracicRegion | null;
  /** Out-of-domain images (api.md 4.3): only candidates scoring at least this are reported. */
  minScore?: number;
}

/** Candidates claim the connected pixels ≥ PEAK_REGION_LEVEL × peak (suppresses duplicate peaks). */
export const PEAK_REGION_LEVEL = 0.5;
/**
 * The outline is drawn at CONTOUR_LEVEL × peak inside the claimed region. The training target puts
 * the true boundary at 0.5 × peak; the trained model's blobs are wider than that, so the level was
 * calibrated on the TRAINING nodules (median diameter error; models/train/lesion_eval.py) and is
 * stored in config.pbtxt as "contour_level".
 */
export const CONTOUR_LEVEL = 0.9;
export const OPACITY_THRESHOLD = 0.5;
export const MASS_MIN_MM = 30; // Fleischner: > 30 mm is a mass
export const SCORE_BANDS = [0.75, 0.5, 0.25] as const; // priority bands: [0.75,1], [0.5,0.75), [0.25,0.5), [0,0.25)
const TYPE_RANK: Record<Finding['type'], number> = { mass: 0, nodule: 1, opacity: 2 };

export const scoreBand = (score: number): number => SCORE_BANDS.filter((b) => score < b).length; // 0 = highest

interface Region {
  score: number;
  pixels: number[];
}

/** Peaks and their half-peak regions on an S×S map. */
export function noduleRegions(
  map: Float32Array,
  size: number,
  threshold: number,
  max = 10,
  accept?: (i: number) => boolean,
): Region[] {
  const S = size;
  const peaks: number[] = [];
  for (let i = 0; i < S * S; i++) {
    if (map[i]! >= threshold && isLocalMax(map, S, i) && (!accept || accept(i))) peaks.push(i);
  }
  peaks.sort((a, b) => map[b]! - map[a]! || a - b);
  const claimed = new Uint8Array(S * S);
  const out: Region[] = [];
  for (const pk of peaks) {
    if (claimed[pk]) continue;
    const score = map[pk]!;
    out.push({ score, pixels: floodFill(map, S, pk, PEAK_REGION_LEVEL * score, claimed) });
    if (out.length >= max) break;
  }
  return out;
}

/** No 8-neighbour of pixel i is higher (ties count as maxima). */
export function isLocalMax(map: Float32Array, S: number, i: number): boolean {
  const x = i % S,
    y = (i - x) / S,
    v = map[i]!;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx,
        yy = y + dy;
      if ((!dx && !dy) || xx < 0 || yy < 0 || xx >= S || yy >= S) continue;
      if (map[yy * S + xx]! > v) return false;
    }
  return true;
}

/** 8-connected pixels reachable from `seed` with map ≥ level, not yet `claimed` (marked as they are taken). */
function floodFill(map: Float32Array, S: number, seed: number, level: number, claimed: Uint8Array): number[] {
  const pixels = [seed];
  claimed[seed] = 1;
  for (let h = 0; h < pixels.length; h++) {
    const i = pixels[h]!,
      x = i % S,
      y = (i - x) / S;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx,
          yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= S || yy >= S) continue;
        const j = yy * S + xx;
        if (!claimed[j] && map[j]! >= level) {
          claimed[j] = 1;
          pixels.push(j);
        }
      }
  }
  return pixels;
}

/** Connected components (8-neighbour) of map ≥ threshold, largest score first. */
export function opacityRegions(
  map: Float32Array,
  size: number,
  threshold: number,
  minPixels: number,
  max = 10,
): Region[] {
  const S = size,
    seen = new Uint8Array(S * S),
    out: Region[] = [];
  for (let s = 0; s < S * S; s++) {
    if (seen[s] || !(map[s]! >= threshold)) continue;
    const pixels = floodFill(map, S, s, threshold, seen);
    let score = 0;
    for (const i of pixels) score = Math.max(score, map[i]!);
    if (pixels.length >= minPixels) out.push({ score, pixels });
  }
  out.sort((a, b) => b.score - a.score || b.pixels.length - a.pixels.length);
  return out.slice(0, max);
}

/** Outline of one region in full-image px: the iso-line at `level` of the map restricted to the region. */
export function regionContour(
  map: Float32Array,
  size: number,
  pixels: number[],
  level: number,
  width: number,
  height: number,
): Polygon | null {
  let x0 = size,
    y0 = size,
    x1 = -1,
    y1 = -1;
  for (const i of pixels) {
    const x = i % size,
      y = (i - x) / size;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const w = x1 - x0 + 1,
    h = y1 - y0 + 1;
  const field = new Float32Array(w * h);
  for (const i of pixels) {
    const x = i % size,
      y = (i - x) / size;
    field[(y - y0) * w + (x - x0)] = map[i]!;
  }
  const sx = width / size,
    sy = height / size;
  // Trace just below the level: region samples at the level are then strictly inside (samples equal
  // to the threshold give degenerate marching-squares rings); samples outside the region are 0.
  const t = level > 0 ? level * (1 - 1e-3) : 1e-6;
  const rings = traceContours(field, w, h, {
    threshold: t,
    scaleX: sx,
    scaleY: sy,
    clampWidth: Infinity,
    clampHeight: Infinity,
    maxPoints: 512,
  });
  const ring = rings[0];
  if (!ring || ring.length < 3) return null;
  return ring.map(([x, y]) =>
    roundPoint([Math.min(width, Math.max(0, x + x0 * sx)), Math.min(height, Math.max(0, y + y0 * sy))]),
  );
}

function spacingOf(info: ImageInfo): [number, number] | null {
  const s = info.pixelSpacingMm;
  return info.spacingSource !== 'none' && s && s[0] > 0 && s[1] > 0 ? [s[0], s[1]] : null;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

function border(contour: Polygon, image: LesionImage, map: Float32Array, size: number): Finding['border'] {
  if (image.display && image.display.length === image.width * image.height) {
    return edgeSharpness(contour, image.display, image.width, image.height).sharpFraction >=
      BORDER_THRESHOLDS.sharpFraction
      ? 'well_defined'
      : 'ill_defined';
  }
  const sx = size / image.width,
    sy = size / image.height;
  const c = contour.map(([x, y]) => [x * sx, y * sy] as Point);
  return edgeSharpness(c, map, size, size).sharpFraction >= BORDER_THRESHOLDS.sharpFraction
    ? 'well_defined'
    : 'ill_defined';
}

type Draft = Omit<Finding, 'id' | 'priority'>;

function makeFinding(
  kind: 'nodule' | 'opacity',
  score: number,
  contour: Polygon,
  image: LesionImage,
  map: Float32Array,
  size: number,
  locate: (p: Point) => Location,
): Draft {
  const spacing = spacingOf(image.info);
  const source: SpacingSource = spacing ? image.info.spacingSource : 'none';
  const px = feretAxes(contour);
  const diameterPx = (px.longAxis.length + px.shortAxis.length) / 2;
  let diameterMm: number | null = null;
  if (spacing) {
    const mm = feretAxes(contour, spacing);
    diameterMm = (mm.longAxis.length + mm.shortAxis.length) / 2;
  }
  const type: Finding['type'] =
    kind === 'opacity' ? 'opacity' : diameterMm !== null && diameterMm > MASS_MIN_MM ? 'mass' : 'nodule';
  const center = roundPoint(polygonCentroid(contour));
  const bbox = bboxOf(contour).map(r2) as BBox;
  const location = locate(center);
  const shape = classifyShape(shapeMetrics(contour, spacing));
  const b = border(contour, image, map, size);
  const f = {
    type,
    score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000,
    center,
    bbox,
    contour,
    diameterMm: diameterMm === null ? null : r2(diameterMm),
    diameterPx: r2(diameterPx),
    estimate: true as const,
    spacingSource: source,
    location,
    shape,
    border: b,
    signs: [],
  };
  return { ...f, description: describe(f) };
}

/** Priority order (api.md 6): score band, then mass < nodule < opacity, then score, then diameter. */
export function compareFindings(
  a: Pick<Finding, 'score' | 'type' | 'diameterPx'>,
  b: Pick<Finding, 'score' | 'type' | 'diameterPx'>,
): number {
  return (
    scoreBand(a.score) - scoreBand(b.score) ||
    TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
    b.score - a.score ||
    b.diameterPx - a.diameterPx
  );
}

export function extractFindings(
  probs: LesionProbs,
  image: LesionImage,
  threshold: number,
  locate: (p: Point) => Location,
  opts: ExtractOptions = {},
): Finding[] {
  const S = probs.size;
  if (probs.nodule.length !== S * S || probs.opacity.length !== S * S)
    throw new Error('extractFindings: map size mismatch');
  const claimed = new Uint8Array(S * S);
  const nodules = noduleDrafts(probs, image, Math.max(threshold, opts.minScore ?? 0), locate, opts, claimed);
  const drafts = [...nodules, ...opacityDrafts(probs, image, locate, opts, claimed)];
  drafts.sort(compareFindings);
  return drafts.map((d, k) => ({ id: `F${k + 1}`, priority: k + 1, ...d }));
}

/** Is the full-image point inside the thoracic region (always, without one)? */
const insideRegion = (region: ThoracicRegion | null | undefined) => (p: Point) =>
  !region || inThoracicRegion(region, p);

/** Nodule/mass drafts from channel 0; marks the pixels each one claims in `claimed`. */
function noduleDrafts(
  probs: LesionProbs,
  image: LesionImage,
  threshold: number,
  locate: (p: Point) => Location,
  opts: ExtractOptions,
  claimed: Uint8Array,
): Draft[] {
  const S = probs.size;
  const cl = Math.max(PEAK_REGION_LEVEL, Math.min(0.99, opts.contourLevel ?? CONTOUR_LEVEL));
  const inside = insideRegion(opts.region);
  const peakInside = (i: number) => {
    const x = i % S,
      y = (i - x) / S;
    return inside([((x + 0.5) * image.width) / S, ((y + 0.5) * image.height) / S]);
  };
  const drafts: Draft[] = [];
  for (const r of noduleRegions(
    probs.nodule,
    S,
    threshold,
    opts.maxFindings ?? 10,
    opts.region ? peakInside : undefined,
  )) {
    const contour = regionContour(probs.nodule, S, r.pixels, cl * r.score, image.width, image.height);
    if (!contour || polygonArea(contour) <= 0) continue;
    if (!inside(polygonCentroid(contour))) continue;
    for (const i of r.pixels) claimed[i] = 1;
    drafts.push(makeFinding('nodule', r.score, contour, image, probs.nodule, S, locate));
  }
  return drafts;
}

/** Opacity drafts from channel 1, skipping components mostly `claimed` by a nodule (the same lesion). */
function opacityDrafts(
  probs: LesionProbs,
  image: LesionImage,
  locate: (p: Point) => Location,
  opts: ExtractOptions,
  claimed: Uint8Array,
): Draft[] {
  const S = probs.size;
  const inside = insideRegion(opts.region);
  const othr = opts.opacityThreshold ?? OPACITY_THRESHOLD;
  const minPx = Math.max(4, Math.round((opts.minOpacityFraction ?? 0.0008) * S * S));
  const drafts: Draft[] = [];
  for (const r of opacityRegions(probs.opacity, S, othr, minPx, opts.maxFindings ?? 10)) {
    let inNodule = 0;
    for (const i of r.pixels) inNodule += claimed[i]!;
    if (inNodule > 0.5 * r.pixels.length) continue; // the same lesion, already reported as a nodule/mass
    if (r.score < (opts.minScore ?? 0)) continue;
    const contour = regionContour(probs.opacity, S, r.pixels, othr, image.width, image.height);
    if (!contour || polygonArea(contour) <= 0) continue;
    if (!inside(polygonCentroid(contour))) continue;
    drafts.push(makeFinding('opacity', r.score, contour, image, probs.opacity, S, locate));
  }
  return drafts;
}
