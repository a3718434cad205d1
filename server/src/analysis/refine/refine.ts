/**
 * Focused re-analysis of one region (api.md 10.6): a full-resolution crop around the coarse
 * outline (context ≥ 2 × its diameter), a refined contour, size measurements, the features
 * (notches, spicules) and all 11 fixed signs with the fixed evidence of api.md 9.3.
 * Pure and synchronous; the method is described in docs/analysers.md.
 */
import type { BBox, Measurement, Notch, Point, Polygon, SignAssessment, Spicule } from '../../contract';
import { clockPosition, feretAxes, polygonArea, polygonCentroid, roundPoint } from '../../geometry';
import { segmentMeasurement, type ImageSpacing } from '../../geometry/measurement';
import { areaMeasurement, areaMm2, lengthMeasurement, lengthMm } from '../../geometry/units';
import {
  densityFeatures,
  lobulationFeatures,
  marginFeatures,
  spiculeFeatures,
  type LobulationFeatures,
  type WorkLesion,
} from './features';
import { pleuraFeatures, type PleuraFeatures } from './pleura';
import { cropImage, gaussianBlur, noiseSigma, toFull, toWork, type Crop } from './raster';
import {
  circularSmooth,
  inpaintRegion,
  polarDp,
  polarPoints,
  rayPolygonDistance,
  softTissueLevel,
  type PolarContour,
} from './segment';
import { rasterisePolygon } from './raster';
import { blendBackground, edgeOrientation } from './background';
import { decideSigns, type Quality, type SignInput } from './signs';
import { REFINE } from './thresholds';

export interface RefineInput {
  display: Float32Array; // 0..1, bright = dense (imaging/decode)
  width: number; // of the display frame
  height: number;
  /** Image px per display-frame px: > 1 for a large image stored at bounded size (pipeline.ts). */
  scale?: number;
  contour: Point[]; // coarse outline, full-image px
  spacing: ImageSpacing;
  lungMask?: (p: Point) => boolean; // inside the visible lung
  pleuraPolygons?: Polygon[]; // ipsilateral lung contour(s) = pleural surface
}

export interface RefinementResult {
  contour: Point[];
  center: Point;
  measurements: Measurement[]; // diameter, longAxis, shortAxis, area
  signs: SignAssessment[]; // all 11 fixed sign ids
  features: { notches: Notch[]; spicules: Spicule[] };
  cropBox: BBox;
  quality: { contrast: number; edgeSnr: number };
}

/** Everything the signs and the evaluation need (exported for tests and scripts/eval-refine.ts). */
export interface RefineDetail extends Omit<SignInput, 'spacing' | 'notches' | 'spicules' | 'lesion'> {
  result: RefinementResult;
  passes: { delta1: number; delta2: number; edgeAllowance: number };
  timingMs: number;
}

const LABELS = {
  diameter: { zh: '直径', en: 'Diameter' },
  longAxis: { zh: '长径', en: 'Long axis' },
  shortAxis: { zh: '短径', en: 'Short axis' },
  area: { zh: '面积', en: 'Area' },
  notchDepth: { zh: '切迹深度', en: 'Notch depth' },
  spiculeLength: { zh: '毛刺长度', en: 'Spicule length' },
} as const;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Size measurements of a contour (api.md 12.1). */
export function sizeMeasurements(contour: readonly Point[], spacing: ImageSpacing): Measurement[] {
  const px = feretAxes(contour);
  const mm = spacing.mm ? feretAxes(contour, spacing.mm) : null;
  const areaPx = polygonArea(contour);
  const diaPx = (px.longAxis.length + px.shortAxis.length) / 2;
  const diaMm = mm ? (mm.longAxis.length + mm.shortAxis.length) / 2 : null;
  return [
    lengthMeasurement('diameter', LABELS.diameter, diaPx, diaMm, spacing.source),
    lengthMeasurement('longAxis', LABELS.longAxis, px.longAxis.length, mm ? mm.longAxis.length : null, spacing.source),
    lengthMeasurement(
      'shortAxis',
      LABELS.shortAxis,
      px.shortAxis.length,
      mm ? mm.shortAxis.length : null,
      spacing.source,
    ),
    areaMeasurement('area', LABELS.area, areaPx, spacing.mm ? areaMm2(areaPx, spacing.mm) : null, spacing.source),
  ];
}

export function refineRegion(input: RefineInput): RefinementResult {
  return refineRegionDetailed(input).result;
}

/** The crop around the coarse outline and what the later steps need of the outline (full px). */
interface CropStage {
  s: number; // image px per display-frame px
  coarse: Point[];
  mmPx: number | null;
  cC: Point; // centroid of the coarse outline
  reqC: number; // its equivalent radius
  maxR: number;
  search: number; // spicule search beyond the edge (full px)
  crop: Crop;
  cropBox: BBox;
  f: number;
  cropTooSmall: boolean;
}

/** Crop: context ≥ 2 × diameter, and room for the spicule search. */
function cropStage(input: RefineInput): CropStage {
  const { display, width, height, spacing } = input;
  // a frame stored at 1/s resolution: crop on whole s×s blocks, so the crop is exact (raster.cropImage)
  const s = Math.max(1, Math.round(input.scale ?? 1));
  const coarse = input.contour;
  const mmPx = spacing.mm ? Math.sqrt(spacing.mm[0] * spacing.mm[1]) : null;
  const areaC = coarse.length >= 3 ? polygonArea(coarse) : 0;
  const cC = polygonCentroid(coarse.length ? coarse : [[0, 0]]);
  const reqC = Math.sqrt(Math.max(areaC, 1) / Math.PI);
  let maxR = 0;
  for (const p of coarse) maxR = Math.max(maxR, Math.hypot(p[0] - cC[0], p[1] - cC[1]));
  maxR = Math.max(maxR, reqC);
  const dC = coarse.length >= 3 ? feretAxes(coarse).longAxis.length : 2 * reqC;
  const [sMin, sMax] = REFINE.spiculeSearchMm;
  const search = mmPx ? clamp(1.2 * 2 * reqC, sMin / mmPx, sMax / mmPx) : clamp(1.2 * 2 * reqC, 24, 72);
  const half = Math.max(1.25 * dC, maxR + search + 6, 24);
  const bx0 = Math.max(0, Math.floor((cC[0] - half) / s) * s),
    by0 = Math.max(0, Math.floor((cC[1] - half) / s) * s);
  const bx1 = Math.min(width * s, Math.ceil(cC[0] + half)),
    by1 = Math.min(height * s, Math.ceil(cC[1] + half));
  const f = s * Math.ceil(Math.max(1, Math.ceil(Math.max(bx1 - bx0, by1 - by0) / REFINE.maxWorkSide)) / s);
  const crop = cropImage(display, width, height, bx0, by0, bx1, by1, f, s);
  const cropBox: BBox = [bx0, by0, bx0 + crop.w * f, by0 + crop.h * f];
  const context = Math.min(
    cC[0] - maxR - bx0,
    cC[1] - maxR - by0,
    cropBox[2] - (cC[0] + maxR),
    cropBox[3] - (cC[1] + maxR),
  );
  const cropTooSmall =
    reqC < REFINE.minRadiusPx || context < REFINE.minContextFraction * reqC || crop.w < 8 || crop.h < 8;
  return { s, coarse, mmPx, cC, reqC, maxR, search, crop, cropBox, f, cropTooSmall };
}

/** The smoothed crops and noise level of the work image. */
interface WorkImages {
  w: number;
  h: number;
  I1: Float32Array; // σ 0.8: density
  I05: Float32Array; // σ 0.5: spicule ridges
  I2: Float32Array; // σ ~0.04·R: contour
  noise: number;
  reqW: number; // equivalent radius (work px)
  coarseW: Point[];
  n: number; // ray count
  orient: ReturnType<typeof edgeOrientation>;
}

function workImages(c: CropStage): WorkImages {
  const { crop, f } = c;
  const { w, h } = crop;
  const reqW = c.reqC / f;
  const I2 = gaussianBlur(crop.data, w, h, clamp(0.04 * reqW, 1, 2.5));
  return {
    w,
    h,
    I1: gaussianBlur(crop.data, w, h, 0.8),
    I05: gaussianBlur(crop.data, w, h, 0.5),
    I2,
    noise: Math.max(noiseSigma(crop.data, w, h), 1e-4),
    reqW,
    coarseW: c.coarse.map((p) => toWork(crop, p)),
    n: Math.round(clamp((2 * Math.PI * reqW) / 1.5, 64, 360)),
    // rib-aware background: along the dominant edge direction of the surroundings when it is coherent
    orient: edgeOrientation(I2, w, h, toWork(crop, c.cC), (1.1 * c.maxR) / f, (2.2 * c.maxR) / f + 4),
  };
}

/** Distance from c along θ to the crop border (work px). */
function edgeRoom(w: number, h: number, c: Point, th: number): number {
  const dx = Math.cos(th),
    dy = Math.sin(th);
  const tx = dx > 1e-9 ? (w - 1 - c[0]) / dx : dx < -1e-9 ? -c[0] / dx : Infinity;
  const ty = dy > 1e-9 ? (h - 1 - c[1]) / dy : dy < -1e-9 ? -c[1] / dy : Infinity;
  return Math.min(tx, ty);
}

/** A polygon scaled about c by s, plus `add` px outward. */
function scalePoly(poly: Point[], c: Point, s: number, add = 0): Point[] {
  return poly.map((p) => {
    const dx = p[0] - c[0],
      dy = p[1] - c[1],
      d = Math.hypot(dx, dy) || 1;
    const k = s + add / d;
    return [c[0] + dx * k, c[1] + dy * k] as Point;
  });
}

interface DpPass {
  center: Point;
  exclude: Point[]; // background exclusion
  deltaMask: Point[]; // where Δ is measured
  n: number;
  dr: number;
  img: Float32Array;
  gradientHalf: number;
}

/** One contour pass: background, Δ, the normalised field u and the polar DP on it. */
function runDp(wi: WorkImages, p: DpPass) {
  const { w, h } = wi;
  const bg = inpaintRegion(p.img, w, h, rasterisePolygon(p.exclude, w, h));
  const ex2 = new Float32Array(w * h);
  for (let i = 0; i < ex2.length; i++) ex2[i] = p.img[i]! - bg[i]!;
  const delta = softTissueLevel(ex2, rasterisePolygon(p.deltaMask, w, h));
  const d = Math.max(delta, 0.005);
  const u = new Float32Array(w * h);
  for (let i = 0; i < u.length; i++) {
    const v = ex2[i]! / d;
    u[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  const prior = new Float64Array(p.n),
    rMax = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const th = (2 * Math.PI * i) / p.n;
    const pr = rayPolygonDistance(p.center, th, wi.coarseW) ?? wi.reqW;
    prior[i] = pr;
    rMax[i] = Math.max(2, Math.min(Math.max(1.6 * pr, pr + 6), edgeRoom(w, h, p.center, th) - 2));
  }
  const arc = (2 * Math.PI * wi.reqW) / p.n;
  const pc = polarDp(u, w, h, p.center, p.n, {
    rMin: Math.max(1, 0.25 * wi.reqW),
    rMax,
    prior,
    priorWeight: 0.05,
    scale: Math.max(wi.reqW, 1),
    dr: p.dr,
    maxJump: Math.max(1.5, 2 * arc),
    gradientHalf: p.gradientHalf,
  });
  return { pc, bg, delta };
}

const meanOf = (xs: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  return m / xs.length;
};

/**
 * Edge width of the first contour against a wide background exclusion, so that a blurred edge's
 * tail is not taken for background; the second pass excludes the lesion plus that width.
 */
function edgeAllowance(wi: WorkImages, pc: PolarContour): { allowance: number; smooth1: Point[]; mean1: number } {
  const { w, h } = wi;
  const smooth1 = polarPoints(pc, circularSmooth(pc.radii, 3));
  const mean1 = meanOf(pc.radii);
  const wideBg = inpaintRegion(wi.I2, w, h, rasterisePolygon(scalePoly(smooth1, pc.center, 1.6, 4), w, h));
  const exWide = new Float32Array(w * h);
  for (let i = 0; i < exWide.length; i++) exWide[i] = wi.I2[i]! - wideBg[i]!;
  const m1 = marginFeatures(exWide, w, h, {
    pc,
    points: polarPoints(pc),
    meanR: mean1,
    diameterW: 2 * mean1,
    mmPerWork: null,
  });
  return { allowance: Math.min(0.8 * mean1, m1.edgeWidthW), smooth1, mean1 };
}

/** The two DP passes: a coarse one, then one on an image as smooth as the measured edge is soft. */
function traceContour(c: CropStage, wi: WorkImages) {
  const c0 = toWork(c.crop, c.cC);
  const first = runDp(wi, {
    center: c0,
    exclude: scalePoly(wi.coarseW, c0, 1.08, 2),
    deltaMask: scalePoly(wi.coarseW, c0, 0.75),
    n: Math.max(48, Math.round(wi.n / 2)),
    dr: Math.max(0.5, wi.reqW / 60),
    img: wi.I2,
    gradientHalf: 1.5,
  });
  const pts1 = polarPoints(first.pc);
  const c1 = polygonCentroid(pts1);
  const { allowance, smooth1, mean1 } = edgeAllowance(wi, first.pc);
  // a soft edge is traced on a correspondingly smoother image (sharp rib and vessel edges fade)
  const sigma2 = clamp(0.04 * wi.reqW, 1, 2.5);
  const soft = allowance > Math.max(3 * sigma2, 0.3 * mean1);
  const sigmaB = soft ? Math.min(0.35 * allowance, 0.3 * wi.reqW) : sigma2;
  const I2b = soft ? gaussianBlur(c.crop.data, wi.w, wi.h, sigmaB) : wi.I2;
  const second = runDp(wi, {
    center: c1,
    exclude: scalePoly(smooth1, first.pc.center, 1.12, 3 + allowance),
    deltaMask: scalePoly(pts1, c1, 0.8),
    n: wi.n,
    dr: Math.max(0.5, wi.reqW / 120),
    img: I2b,
    gradientHalf: Math.max(1.5, sigmaB),
  });
  const pc: PolarContour = { ...second.pc, radii: circularSmooth(second.pc.radii, 1) };
  const meanR = meanOf(pc.radii);
  const lesion: WorkLesion = {
    pc,
    points: polarPoints(pc),
    meanR,
    diameterW: 2 * meanR,
    mmPerWork: c.mmPx ? c.mmPx * c.f : null,
  };
  return { first, second, allowance, I2b, lesion };
}

/** Excess over the harmonic background and over the rib-aware background (density step). */
function excessMaps(wi: WorkImages, t: ReturnType<typeof traceContour>) {
  const { w, h, I1, I2 } = wi;
  const [lo, hi] = REFINE.ribCoherence;
  const sp = t.second.pc;
  const bgMask = rasterisePolygon(scalePoly(polarPoints(sp), sp.center, 1.12, 3 + t.allowance), w, h);
  // the harmonic fill of I2 under bgMask is computed once: it is the background when the second pass
  // traced a smoother image, and always the harmonic part of the rib-aware background
  const bgH = t.I2b === I2 ? null : inpaintRegion(I2, w, h, bgMask);
  const bg = bgH ?? t.second.bg;
  const bgRib = blendBackground(bgH ?? inpaintRegion(I2, w, h, bgMask), I2, w, h, bgMask, wi.orient, lo, hi);
  const ex1 = new Float32Array(w * h),
    exRib = new Float32Array(w * h);
  for (let i = 0; i < ex1.length; i++) {
    ex1[i] = I1[i]! - bg[i]!;
    exRib[i] = I1[i]! - bgRib[i]!;
  }
  return { ex1, exRib };
}

/** Margin, lobulation, spiculation and density features of the traced lesion (work px). */
function measureFeatures(c: CropStage, wi: WorkImages, t: ReturnType<typeof traceContour>) {
  const { w, h } = wi;
  const { ex1, exRib } = excessMaps(wi, t);
  const { mmPx, f } = c;
  const delta = t.second.delta;
  const margin = marginFeatures(ex1, w, h, t.lesion);
  const latW = Math.max(2, (mmPx ? REFINE.ridgeLateralMm / mmPx : 3) / f);
  const minLenW = (mmPx ? Math.max(REFINE.spiculeMinMm / mmPx, 3) : REFINE.spiculeMinPx) / f;
  const search = c.search / f;
  return {
    margin,
    lobulation: lobulationFeatures(t.lesion),
    spiculation: spiculeFeatures(wi.I05, w, h, t.lesion, Math.max(delta, 0.005), search, latW, minLenW),
    density: densityFeatures(ex1, w, h, t.lesion, wi.noise * 0.35, margin.rimLevel, exRib), // noise after σ 0.8
    latW,
  };
}

/**
 * A trace that lands on an internal or neighbouring edge shrinks (or swells) the lesion: when the
 * traced outline's size disagrees with the detector's outline beyond what a loose outline
 * explains, keep the detector's outline for the size and weaken the sign calls (signs.ts).
 */
function fullContour(c: CropStage, lesion: WorkLesion) {
  const sizeRatio = (2 * lesion.meanR * c.f) / Math.max(2 * c.reqC, 1e-6);
  const traceDisagrees =
    c.coarse.length >= 3 &&
    !c.cropTooSmall &&
    (sizeRatio < REFINE.traceMinSizeRatio || sizeRatio > REFINE.traceMaxSizeRatio);
  const contour = traceDisagrees
    ? c.coarse.map((p) => roundPoint(p))
    : lesion.points.map((p) => roundPoint(toFull(c.crop, p)));
  return { contour, traceSizeRatio: traceDisagrees ? sizeRatio : null };
}

/** Notches and spicules in full-image coordinates with their measurements (api.md 12.4). */
function fullFeatures(
  c: CropStage,
  center: Point,
  spacing: ImageSpacing,
  lob: LobulationFeatures,
  spic: ReturnType<typeof spiculeFeatures>,
) {
  const { crop, f } = c;
  const notches: Notch[] = lob.notches.map((nt) => {
    const point = roundPoint(toFull(crop, nt.point)),
      foot = toFull(crop, nt.foot);
    const mm = spacing.mm ? lengthMm(foot, point, spacing.mm) : null;
    return {
      clock: clockPosition(center, point),
      point,
      depth: lengthMeasurement('notchDepth', LABELS.notchDepth, nt.depthW * f, mm, spacing.source),
    };
  });
  const spicules: Spicule[] = spic.spicules.map((s) => {
    const base = roundPoint(toFull(crop, s.base)),
      tip = roundPoint(toFull(crop, s.tip));
    return {
      clock: clockPosition(center, tip),
      base,
      tip,
      length: segmentMeasurement('spiculeLength', LABELS.spiculeLength, base, tip, spacing),
    };
  });
  return { notches, spicules };
}

/** Overlap: share of the rim (1.0–1.5 × radius) outside the visible lung, null without a mask. */
function outsideLungShare(input: RefineInput, crop: Crop, pc: PolarContour): number | null {
  if (!input.lungMask) return null;
  let out = 0,
    tot = 0;
  for (let i = 0; i < pc.radii.length; i += 2) {
    for (const s of [1.0, 1.25, 1.5]) {
      const th = pc.angles[i]!,
        r = pc.radii[i]! * s;
      const p = toFull(crop, [pc.center[0] + Math.cos(th) * r, pc.center[1] + Math.sin(th) * r]);
      tot++;
      if (!input.lungMask(p)) out++;
    }
  }
  return tot ? out / tot : 0;
}

function pleuraStage(
  input: RefineInput,
  s: number,
  contour: Point[],
  ridgeThreshold: number,
  latPx: number,
  spicules: Spicule[],
): PleuraFeatures | null {
  if (!input.pleuraPolygons || !input.pleuraPolygons.length) return null;
  return pleuraFeatures(
    input.display,
    input.width,
    input.height,
    contour,
    input.pleuraPolygons,
    input.spacing,
    ridgeThreshold,
    latPx,
    spicules.map((sp) => ({ base: sp.base, tip: sp.tip })),
    { contactMm: REFINE.pleuralContactMm, tailMaxMm: REFINE.pleuralTailMaxMm, tailReachMm: REFINE.tailReachMm },
    s,
  );
}

export function refineRegionDetailed(input: RefineInput): RefineDetail {
  const t0 = performance.now();
  const c = cropStage(input);
  const wi = workImages(c);
  const t = traceContour(c, wi);
  const m = measureFeatures(c, wi, t);
  const full = fullContour(c, t.lesion);
  const center = roundPoint(polygonCentroid(full.contour));
  const { notches, spicules } = fullFeatures(c, center, input.spacing, m.lobulation, m.spiculation);
  const pleura = pleuraStage(input, c.s, full.contour, m.spiculation.ridgeThreshold, m.latW * c.f, spicules);
  const delta = t.second.delta;
  const edgeSnr = m.margin.edgeContrast / wi.noise;
  const quality: Quality = {
    contrast: delta,
    edgeSnr,
    noise: wi.noise,
    cropTooSmall: c.cropTooSmall,
    outsideLung: outsideLungShare(input, c.crop, t.lesion.pc),
    traceSizeRatio: full.traceSizeRatio,
    diameterMm: c.mmPx ? 2 * t.lesion.meanR * c.f * c.mmPx : null,
    diameterPx: 2 * t.lesion.meanR * c.f,
    mmPx: c.mmPx,
    f: c.f,
  };
  const features = { margin: m.margin, lobulation: m.lobulation, spiculation: m.spiculation, density: m.density };
  const signs = decideSigns({
    quality,
    ...features,
    pleura,
    spacing: input.spacing,
    notches,
    spicules,
    lesion: t.lesion,
  });
  const result: RefinementResult = {
    contour: full.contour,
    center,
    measurements: sizeMeasurements(full.contour, input.spacing),
    signs,
    features: { notches, spicules },
    cropBox: c.cropBox,
    quality: { contrast: Math.round(delta * 1000) / 1000, edgeSnr: Math.round(edgeSnr * 10) / 10 },
  };
  return {
    result,
    quality,
    ...features,
    pleura,
    passes: { delta1: t.first.delta, delta2: t.second.delta, edgeAllowance: t.allowance },
    timingMs: performance.now() - t0,
  };
}
