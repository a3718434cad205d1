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
import { densityFeatures, lobulationFeatures, marginFeatures, spiculeFeatures, type WorkLesion } from './features';
import { pleuraFeatures, type PleuraFeatures } from './pleura';
import { cropImage, gaussianBlur, noiseSigma, toFull, toWork } from './raster';
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

export function refineRegionDetailed(input: RefineInput): RefineDetail {
  const t0 = performance.now();
  const { display, width, height, spacing } = input;
  // a frame stored at 1/s resolution: crop on whole s×s blocks, so the crop is exact (raster.cropImage)
  const s = Math.max(1, Math.round(input.scale ?? 1));
  const imageW = width * s,
    imageH = height * s;
  const coarse = input.contour;
  const mmPx = spacing.mm ? Math.sqrt(spacing.mm[0] * spacing.mm[1]) : null;
  const areaC = coarse.length >= 3 ? polygonArea(coarse) : 0;
  const cC = polygonCentroid(coarse.length ? coarse : [[0, 0]]);
  const reqC = Math.sqrt(Math.max(areaC, 1) / Math.PI);
  let maxR = 0;
  for (const p of coarse) maxR = Math.max(maxR, Math.hypot(p[0] - cC[0], p[1] - cC[1]));
  maxR = Math.max(maxR, reqC);
  const dC = coarse.length >= 3 ? feretAxes(coarse).longAxis.length : 2 * reqC;

  // crop: context ≥ 2 × diameter, and room for the spicule search
  const [sMin, sMax] = REFINE.spiculeSearchMm;
  const search = mmPx ? clamp(1.2 * 2 * reqC, sMin / mmPx, sMax / mmPx) : clamp(1.2 * 2 * reqC, 24, 72);
  const half = Math.max(1.25 * dC, maxR + search + 6, 24);
  const bx0 = Math.max(0, Math.floor((cC[0] - half) / s) * s),
    by0 = Math.max(0, Math.floor((cC[1] - half) / s) * s);
  const bx1 = Math.min(imageW, Math.ceil(cC[0] + half)),
    by1 = Math.min(imageH, Math.ceil(cC[1] + half));
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

  const { w, h } = crop;
  const I1 = gaussianBlur(crop.data, w, h, 0.8);
  const I05 = gaussianBlur(crop.data, w, h, 0.5);
  const reqW = reqC / f;
  const I2 = gaussianBlur(crop.data, w, h, clamp(0.04 * reqW, 1, 2.5));
  const noise = Math.max(noiseSigma(crop.data, w, h), 1e-4);
  const noise1 = noise * 0.35; // after the σ 0.8 blur

  const coarseW = coarse.map((p) => toWork(crop, p));
  const n = Math.round(clamp((2 * Math.PI * reqW) / 1.5, 64, 360));
  const edgeRoom = (c: Point, th: number) => {
    const dx = Math.cos(th),
      dy = Math.sin(th);
    const tx = dx > 1e-9 ? (w - 1 - c[0]) / dx : dx < -1e-9 ? -c[0] / dx : Infinity;
    const ty = dy > 1e-9 ? (h - 1 - c[1]) / dy : dy < -1e-9 ? -c[1] / dy : Infinity;
    return Math.min(tx, ty);
  };

  // rib-aware background: along the dominant edge direction of the surroundings when it is coherent
  const orient = edgeOrientation(I2, w, h, toWork(crop, cC), (1.1 * maxR) / f, (2.2 * maxR) / f + 4);
  const inpaint = (img: Float32Array, mask: Uint8Array) =>
    blendBackground(
      inpaintRegion(img, w, h, mask),
      img,
      w,
      h,
      mask,
      orient,
      REFINE.ribCoherence[0],
      REFINE.ribCoherence[1],
    );

  const runDp = (
    center: Point,
    exclude: Point[],
    deltaMaskPoly: Point[],
    n: number,
    dr: number,
    img: Float32Array = I2,
    gradientHalf = 1.5,
  ) => {
    const bg = inpaintRegion(img, w, h, rasterisePolygon(exclude, w, h));
    const ex2 = new Float32Array(w * h);
    for (let i = 0; i < ex2.length; i++) ex2[i] = img[i]! - bg[i]!;
    const delta = softTissueLevel(ex2, rasterisePolygon(deltaMaskPoly, w, h));
    const d = Math.max(delta, 0.005);
    const u = new Float32Array(w * h);
    for (let i = 0; i < u.length; i++) {
      const v = ex2[i]! / d;
      u[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    const prior = new Float64Array(n),
      rMax = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const th = (2 * Math.PI * i) / n;
      const pr = rayPolygonDistance(center, th, coarseW) ?? reqW;
      prior[i] = pr;
      rMax[i] = Math.max(2, Math.min(Math.max(1.6 * pr, pr + 6), edgeRoom(center, th) - 2));
    }
    const arc = (2 * Math.PI * reqW) / n;
    const pc = polarDp(u, w, h, center, n, {
      rMin: Math.max(1, 0.25 * reqW),
      rMax,
      prior,
      priorWeight: 0.05,
      scale: Math.max(reqW, 1),
      dr,
      maxJump: Math.max(1.5, 2 * arc),
      gradientHalf,
    });
    return { pc, bg, delta };
  };

  const scalePoly = (poly: Point[], c: Point, s: number, add = 0) =>
    poly.map((p) => {
      const dx = p[0] - c[0],
        dy = p[1] - c[1],
        d = Math.hypot(dx, dy) || 1;
      const k = s + add / d;
      return [c[0] + dx * k, c[1] + dy * k] as Point;
    });
  const c0 = toWork(crop, cC);
  const first = runDp(
    c0,
    scalePoly(coarseW, c0, 1.08, 2),
    scalePoly(coarseW, c0, 0.75),
    Math.max(48, Math.round(n / 2)),
    Math.max(0.5, reqW / 60),
  );
  const pts1 = polarPoints(first.pc);
  const c1 = polygonCentroid(pts1);
  // edge width of the first contour against a wide background exclusion, so that a blurred edge's
  // tail is not taken for background; the second pass excludes the lesion plus that width
  const smooth1 = polarPoints(first.pc, circularSmooth(first.pc.radii, 3));
  let mean1 = 0;
  for (const r of first.pc.radii) mean1 += r;
  mean1 /= first.pc.radii.length;
  const wideBg = inpaintRegion(I2, w, h, rasterisePolygon(scalePoly(smooth1, first.pc.center, 1.6, 4), w, h));
  const exWide = new Float32Array(w * h);
  for (let i = 0; i < exWide.length; i++) exWide[i] = I2[i]! - wideBg[i]!;
  const m1 = marginFeatures(exWide, w, h, {
    pc: first.pc,
    points: pts1,
    meanR: mean1,
    diameterW: 2 * mean1,
    mmPerWork: null,
  });
  const allowance = Math.min(0.8 * mean1, m1.edgeWidthW);
  // a soft edge is traced on a correspondingly smoother image (sharp rib and vessel edges fade)
  const sigma2 = clamp(0.04 * reqW, 1, 2.5);
  const soft = allowance > Math.max(3 * sigma2, 0.3 * mean1);
  const sigmaB = soft ? Math.min(0.35 * allowance, 0.3 * reqW) : sigma2;
  const I2b = soft ? gaussianBlur(crop.data, w, h, sigmaB) : I2;
  const second = runDp(
    c1,
    scalePoly(smooth1, first.pc.center, 1.12, 3 + allowance),
    scalePoly(pts1, c1, 0.8),
    n,
    Math.max(0.5, reqW / 120),
    I2b,
    Math.max(1.5, sigmaB),
  );
  const pc: PolarContour = { ...second.pc, radii: circularSmooth(second.pc.radii, 1) };
  const points = polarPoints(pc);
  let meanR = 0;
  for (const r of pc.radii) meanR += r;
  meanR /= pc.radii.length;
  const lesion: WorkLesion = { pc, points, meanR, diameterW: 2 * meanR, mmPerWork: mmPx ? mmPx * f : null };

  const bgMask = rasterisePolygon(scalePoly(polarPoints(second.pc), second.pc.center, 1.12, 3 + allowance), w, h);
  // the harmonic fill of I2 under bgMask is computed once: it is the background when the second pass
  // traced a smoother image, and always the harmonic part of the rib-aware background
  const bgH = I2b === I2 ? null : inpaintRegion(I2, w, h, bgMask);
  const bg = bgH ?? second.bg;
  const bgRib = bgH
    ? blendBackground(bgH, I2, w, h, bgMask, orient, REFINE.ribCoherence[0], REFINE.ribCoherence[1])
    : inpaint(I2, bgMask);
  const ex1 = new Float32Array(w * h),
    exRib = new Float32Array(w * h);
  for (let i = 0; i < ex1.length; i++) {
    ex1[i] = I1[i]! - bg[i]!;
    exRib[i] = I1[i]! - bgRib[i]!;
  }
  const delta = second.delta;

  const margin = marginFeatures(ex1, w, h, lesion);
  const lobulation = lobulationFeatures(lesion);
  const latW = Math.max(2, (mmPx ? REFINE.ridgeLateralMm / mmPx : 3) / f);
  const minLenW = (mmPx ? Math.max(REFINE.spiculeMinMm / mmPx, 3) : REFINE.spiculeMinPx) / f;
  const spiculation = spiculeFeatures(I05, w, h, lesion, Math.max(delta, 0.005), search / f, latW, minLenW);
  const density = densityFeatures(ex1, w, h, lesion, noise1, margin.rimLevel, exRib);

  // full-image contour and features
  let contourFull = points.map((p) => roundPoint(toFull(crop, p)));
  // A trace that lands on an internal or neighbouring edge shrinks (or swells) the lesion: when the
  // traced outline's size disagrees with the detector's outline beyond what a loose outline
  // explains, keep the detector's outline for the size and weaken the sign calls (signs.ts).
  const sizeRatio = (2 * meanR * f) / Math.max(2 * reqC, 1e-6);
  const traceDisagrees =
    coarse.length >= 3 &&
    !cropTooSmall &&
    (sizeRatio < REFINE.traceMinSizeRatio || sizeRatio > REFINE.traceMaxSizeRatio);
  if (traceDisagrees) contourFull = coarse.map((p) => roundPoint(p));
  const center = roundPoint(polygonCentroid(contourFull));
  const measurements = sizeMeasurements(contourFull, spacing);
  const notches: Notch[] = lobulation.notches.map((nt) => {
    const point = roundPoint(toFull(crop, nt.point)),
      foot = toFull(crop, nt.foot);
    return {
      clock: clockPosition(center, point),
      point,
      depth: lengthMeasurement(
        'notchDepth',
        LABELS.notchDepth,
        nt.depthW * f,
        spacing.mm ? lengthMm(foot, point, spacing.mm) : null,
        spacing.source,
      ),
    };
  });
  const spicules: Spicule[] = spiculation.spicules.map((s) => {
    const base = roundPoint(toFull(crop, s.base)),
      tip = roundPoint(toFull(crop, s.tip));
    return {
      clock: clockPosition(center, tip),
      base,
      tip,
      length: segmentMeasurement('spiculeLength', LABELS.spiculeLength, base, tip, spacing),
    };
  });

  // overlap: share of the rim (1.0–1.5 × radius) outside the visible lung
  let outsideLung: number | null = null;
  if (input.lungMask) {
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
    outsideLung = tot ? out / tot : 0;
  }
  const pleura =
    input.pleuraPolygons && input.pleuraPolygons.length
      ? pleuraFeatures(
          display,
          width,
          height,
          contourFull,
          input.pleuraPolygons,
          spacing,
          spiculation.ridgeThreshold,
          latW * f,
          spicules.map((s) => ({ base: s.base, tip: s.tip })),
          { contactMm: REFINE.pleuralContactMm, tailMaxMm: REFINE.pleuralTailMaxMm, tailReachMm: REFINE.tailReachMm },
          s,
        )
      : null;

  const edgeSnr = margin.edgeContrast / noise;
  const quality: Quality = {
    contrast: delta,
    edgeSnr,
    noise,
    cropTooSmall,
    outsideLung,
    traceSizeRatio: traceDisagrees ? sizeRatio : null,
    diameterMm: mmPx ? 2 * meanR * f * mmPx : null,
    diameterPx: 2 * meanR * f,
    mmPx,
    f,
  };
  const signs = decideSigns({
    quality,
    margin,
    lobulation,
    spiculation,
    density,
    pleura,
    spacing,
    notches,
    spicules,
    lesion,
  });
  const result: RefinementResult = {
    contour: contourFull,
    center,
    measurements,
    signs,
    features: { notches, spicules },
    cropBox,
    quality: { contrast: Math.round(delta * 1000) / 1000, edgeSnr: Math.round(edgeSnr * 10) / 10 },
  };
  return {
    result,
    quality,
    margin,
    lobulation,
    spiculation,
    density,
    pleura,
    passes: { delta1: first.delta, delta2: second.delta, edgeAllowance: allowance },
    timingMs: performance.now() - t0,
  };
}
