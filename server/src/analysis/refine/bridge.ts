/**
 * Soft-tissue bridge along a gap line (api.md 12.2 `connected`): the corridor around the gap line
 * (± bridgeHalfWidthMm) compared with the aerated lung on both flanks (5–9 mm either side).
 * `connected` is true when, along ≥ 90 % of the gap, the corridor is denser than its flanks by at
 * least 0.35 × the subject's own soft-tissue excess; null when the gap is 0 (contact).
 */
import type { Evidence, Point, Polygon } from '../../contract';
import { bboxOf, pointInPolygon, polygonMembership } from '../../geometry';
import type { ImageSpacing } from '../../geometry/measurement';
import { lengthPx } from '../../geometry/units';
import { confFrom, evBool, evMm, evRatio } from './evidence';
import { median, quantile } from './raster';
import { sampleSmooth } from './pleura';
import { REFINE } from './thresholds';

export interface RelationBridgeInput {
  display: Float32Array;
  width: number; // of the display frame
  height: number;
  /** Image px per display-frame px (a bounded stored frame, pipeline.ts); 1 when absent. */
  scale?: number;
  from: Point[]; // subject contour
  to: Polygon; // target extent (hilar region, lung contour …)
  gapLine: [Point, Point]; // nearest edge points, subject → target
  spacing: ImageSpacing;
}

export interface RelationBridgeResult {
  connected: boolean | null;
  confidence: number;
  evidence: Evidence[];
}

/** Soft-tissue excess of a region over its surroundings (median inside − median of a ring). */
function regionExcess(
  display: Float32Array,
  width: number,
  height: number,
  poly: readonly Point[],
  scale: number,
): number {
  const [x0, y0, x1, y1] = bboxOf(poly);
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const step = Math.max(1, Math.max(x1 - x0, y1 - y0) / 24);
  const inside: number[] = [],
    ring: number[] = [];
  const rx = (x1 - x0) / 2,
    ry = (y1 - y0) / 2;
  for (let y = cy - 2 * ry; y <= cy + 2 * ry; y += step) {
    for (let x = cx - 2 * rx; x <= cx + 2 * rx; x += step) {
      if (x < 0 || y < 0 || x >= width * scale || y >= height * scale) continue;
      const v = sampleSmooth(display, width, height, [x, y], scale);
      if (pointInPolygon([x, y], poly)) inside.push(v);
      else if (Math.hypot((x - cx) / Math.max(rx, 1), (y - cy) / Math.max(ry, 1)) >= 1.3) ring.push(v);
    }
  }
  if (!inside.length || !ring.length) return 0;
  return quantile(inside, 0.5) - quantile(ring, 0.5);
}

/** The sampling frame of a gap line: its direction, normal and the corridor / flank offsets (px). */
interface Frame {
  at: (p: Point) => number;
  W: number;
  H: number;
  normal: [number, number];
  hw: number; // corridor half width
  f0: number; // flank offsets
  f1: number;
  blocked: (p: Point) => boolean;
}

/** Median of the aerated-lung flanks either side of point c, or null when too few are free. */
function flankLevel(fr: Frame, c: Point): number | null {
  const [nx, ny] = fr.normal;
  const fl: number[] = [];
  for (let o = fr.f0; o <= fr.f1; o += 1) {
    for (const sg of [-1, 1]) {
      const p: Point = [c[0] + nx * o * sg, c[1] + ny * o * sg];
      if (p[0] < 0 || p[1] < 0 || p[0] >= fr.W || p[1] >= fr.H || fr.blocked(p)) continue;
      fl.push(fr.at(p));
    }
  }
  return fl.length < 3 ? null : median(fl);
}

/** Full width at half excess around the brightest offset `bo` across the line at c. */
function halfWidth(fr: Frame, c: Point, bo: number, flank: number, ex: number): number {
  const [nx, ny] = fr.normal;
  const above = (o: number) => fr.at([c[0] + nx * o, c[1] + ny * o]) - flank >= 0.5 * ex;
  let wl = 0,
    wr = 0;
  for (let o = bo; o >= bo - fr.f0 && above(o); o -= 0.5) wl = bo - o;
  for (let o = bo; o <= bo + fr.f0 && above(o); o += 0.5) wr = o - bo;
  return wl + wr + 0.5;
}

/** One cross-section of the gap line: corridor excess over the flanks, the line value, width. */
function crossSection(fr: Frame, c: Point): { ex: number; flank: number; line: number; width: number } | null {
  const flank = flankLevel(fr, c);
  if (flank === null) return null;
  const [nx, ny] = fr.normal;
  let best = -Infinity,
    bo = 0;
  for (let o = -fr.hw; o <= fr.hw; o += 1) {
    const v = fr.at([c[0] + nx * o, c[1] + ny * o]);
    if (v > best) {
      best = v;
      bo = o;
    }
  }
  const ex = best - flank;
  return { ex, flank, line: fr.at(c), width: halfWidth(fr, c, bo, flank, ex) };
}

const NO_BRIDGE: RelationBridgeResult = { connected: null, confidence: 0, evidence: [] };
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

export function relationBridge(input: RelationBridgeInput): RelationBridgeResult {
  const { display, width, height, from, to, gapLine, spacing } = input;
  const scale = input.scale ?? 1;
  const [a, b] = gapLine;
  const gap = lengthPx(a, b);
  if (!(gap >= 0.5)) return NO_BRIDGE;
  const mmPx = spacing.mm ? Math.sqrt(spacing.mm[0] * spacing.mm[1]) : null;
  const px = (mm: number, fallback: number) => (mmPx ? mm / mmPx : fallback);
  const ux = (b[0] - a[0]) / gap,
    uy = (b[1] - a[1]) / gap;
  // The flank scan tests thousands of points against two fixed outlines: test by cached scanlines.
  const inFrom = polygonMembership([from]),
    inTo = polygonMembership([to]);
  const fr: Frame = {
    at: (p: Point) => sampleSmooth(display, width, height, p, scale),
    W: width * scale,
    H: height * scale,
    normal: [-uy, ux],
    hw: Math.max(2, px(REFINE.bridgeHalfWidthMm, 7)),
    f0: px(REFINE.bridgeFlankMm[0], 14),
    f1: px(REFINE.bridgeFlankMm[1], 26),
    blocked: (p: Point) => inFrom(p) || inTo(p),
  };
  const steps = Math.max(3, Math.min(400, Math.round(gap)));
  const excessRef = Math.max(0.01, regionExcess(display, width, height, from, scale));
  const thr = Math.max(REFINE.bridgeExcess * excessRef, 0.006);
  const cuts = [];
  for (let s = 1; s < steps; s++) {
    const t = (s / steps) * gap;
    const cut = crossSection(fr, [a[0] + ux * t, a[1] + uy * t]);
    if (cut) cuts.push(cut);
  }
  if (cuts.length < 2) return NO_BRIDGE;
  const q = quantile(
    cuts.map((x) => x.ex / thr),
    1 - REFINE.bridgeMinFraction,
  ); // 10th percentile of corridor excess / threshold
  const connected = q >= 1;
  const meanFlank = mean(cuts.map((x) => x.flank));
  const ratio = meanFlank > 1e-6 ? mean(cuts.map((x) => x.line)) / meanFlank : 1;
  const widthPx = connected ? median(cuts.map((x) => x.width)) : 2 * fr.hw;
  const confidence = confFrom(Math.abs(q - 1), 1);
  return {
    connected,
    confidence: Math.round(confidence * 100) / 100,
    evidence: [
      evBool('bridgePresent', connected),
      evRatio('corridorOpacityRatio', ratio),
      ...evMm('corridorWidthMm', mmPx ? widthPx * mmPx : null, spacing.source),
    ],
  };
}
