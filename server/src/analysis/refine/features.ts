/**
 * Measured features of a refined lesion (work coordinates): edge profile (margin), radius-function
 * harmonics and hull notches (lobulation), radial ridge runs (spiculation), and the excess-density
 * map inside the contour (density). Pure functions of the crop; signs are decided in signs.ts.
 */
import type { Point } from '../../contract';
import { convexHull, nearestPointOnPolygon } from '../../geometry';
import { components, histogramMode, insideDistance, median, rasterisePolygon, sample, type Component } from './raster';
import { polarPoints, type PolarContour } from './segment';
import { REFINE } from './thresholds';

export interface WorkLesion {
  pc: PolarContour; // refined polar contour (work px)
  points: Point[]; // its points (work px)
  meanR: number; // mean radius (work px)
  diameterW: number; // 2·meanR
  mmPerWork: number | null; // mm per work px (mean of both axes), null without spacing
}

// ---------------------------------------------------------------------------------------------
// Margin
export interface MarginFeatures {
  boundarySharpness: number;
  edgeWidthW: number; // 10–90 % rise, work px
  edgeContrast: number; // Δ of the mean edge profile (display units)
  rimLevel: number; // excess just inside the edge (0.1–0.3 R) over the outside
  contourRoughness: number;
  profile: number[]; // mean edge profile (for tests and the report)
}

/** Mean edge profile across the refined contour, aligned at each ray's edge. */
export function marginFeatures(excess: Float32Array, w: number, h: number, L: WorkLesion): MarginFeatures {
  const { pc } = L;
  const n = pc.radii.length;
  const T = Math.max(4, 0.6 * L.meanR);
  const step = 0.5;
  const K = Math.round(T / step);
  const prof = new Float64Array(2 * K + 1);
  for (let i = 0; i < n; i++) {
    const th = pc.angles[i]!,
      c = Math.cos(th),
      s = Math.sin(th),
      r = pc.radii[i]!;
    for (let k = -K; k <= K; k++) {
      const rr = Math.max(0, r + k * step);
      prof[k + K]! += sample(excess, w, h, pc.center[0] + c * rr, pc.center[1] + s * rr);
    }
  }
  for (let k = 0; k < prof.length; k++) prof[k]! /= n;
  let inner = -Infinity,
    ik = 0;
  for (let k = 0; k <= K; k++)
    if (prof[k]! > inner) {
      inner = prof[k]!;
      ik = k;
    }
  let outer = 0,
    no = 0;
  for (let k = K + Math.ceil(K / 2); k <= 2 * K; k++) {
    outer += prof[k]!;
    no++;
  }
  outer /= Math.max(1, no);
  // the edge's own top: just inside the edge (0.1–0.3 R), not a denser core or ring further in
  const ins: number[] = [];
  for (let k = K - Math.round((0.3 * L.meanR) / step); k <= K - Math.max(1, Math.round((0.1 * L.meanR) / step)); k++)
    if (k >= 0) ins.push(prof[k]!);
  const rimTop = ins.length ? median(ins) : inner;
  const rimLevel = rimTop - outer;
  const top = Math.min(inner, outer + 1.25 * Math.max(rimLevel, 0));
  const delta = top - outer;
  let t90 = ik,
    t10 = 2 * K;
  for (let k = ik; k <= 2 * K; k++) if (prof[k]! >= outer + 0.9 * delta) t90 = k;
  for (let k = t90; k <= 2 * K; k++)
    if (prof[k]! <= outer + 0.1 * delta) {
      t10 = k;
      break;
    }
  const edgeWidthW = Math.max(step, (t10 - t90) * step);
  let maxSlope = 0;
  const g = Math.max(1, Math.round(1 / step));
  for (let k = Math.max(g, K - Math.round(K / 2)); k <= Math.min(2 * K - g, K + Math.round(K / 2)); k++) {
    maxSlope = Math.max(maxSlope, (prof[k - g]! - prof[k + g]!) / (2 * g * step));
  }
  const kRef = Math.max(2, REFINE.sharpnessRef * L.diameterW);
  const boundarySharpness = delta > 1e-6 ? Math.min(1, Math.max(0, (maxSlope * kRef) / delta)) : 0;
  return {
    boundarySharpness,
    edgeWidthW,
    edgeContrast: delta,
    rimLevel,
    contourRoughness: harmonicAmplitude(pc.radii, 3, Math.floor(n / 2)) / Math.sqrt(2),
    profile: Array.from(prof),
  };
}

/** Amplitude-equivalent of harmonics kLo..kHi of a circular series, relative to its mean: sqrt(2·Σ|c_k|²)/c₀. */
export function harmonicAmplitude(r: ArrayLike<number>, kLo: number, kHi: number): number {
  const n = r.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i]!;
  mean /= n;
  if (mean <= 0) return 0;
  let power = 0;
  for (let k = kLo; k <= Math.min(kHi, Math.floor(n / 2)); k++) {
    let re = 0,
      im = 0;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * k * i) / n;
      re += r[i]! * Math.cos(a);
      im -= r[i]! * Math.sin(a);
    }
    re /= n;
    im /= n;
    power += re * re + im * im;
  }
  return Math.sqrt(2 * power) / mean;
}

/** Harmonics 1..kMax of a circular series (the mean excluded): the ellipse-like trend. */
export function lowPass(r: ArrayLike<number>, kMax: number): Float64Array {
  const n = r.length,
    out = new Float64Array(n);
  for (let k = 1; k <= kMax; k++) {
    let re = 0,
      im = 0;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * k * i) / n;
      re += r[i]! * Math.cos(a);
      im += r[i]! * Math.sin(a);
    }
    re *= 2 / n;
    im *= 2 / n;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * k * i) / n;
      out[i]! += re * Math.cos(a) + im * Math.sin(a);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lobulation
export interface NotchW {
  ray: number;
  point: Point;
  foot: Point;
  depthW: number;
  prominenceW: number;
}
export interface LobulationFeatures {
  lobulationIndex: number;
  notches: NotchW[];
}

type Ext = { i: number; v: number; min: boolean };

/** The radius function without harmonics 1–2, averaged ±hw rays. */
function detrendedRadius(r: ArrayLike<number>, hw: number): Float64Array {
  const n = r.length;
  const base = lowPass(r, 2);
  const sm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = -hw; t <= hw; t++) s += r[(i + t + n) % n]! - base[(i + t + n) % n]!;
    sm[i] = s / (2 * hw + 1);
  }
  return sm;
}

/** Alternating extrema on the circle (of equal-kind neighbours the more extreme is kept). */
function alternatingExtrema(sm: Float64Array): Ext[] {
  const n = sm.length;
  const alt: Ext[] = [];
  const push = (e: Ext) => {
    const last = alt[alt.length - 1];
    if (!last || last.min !== e.min) alt.push(e);
    else if ((e.min && e.v < last.v) || (!e.min && e.v > last.v)) alt[alt.length - 1] = e;
  };
  for (let i = 0; i < n; i++) {
    const a = sm[(i - 1 + n) % n]!,
      b = sm[i]!,
      c = sm[(i + 1) % n]!;
    if (b <= a && b < c) push({ i, v: b, min: true });
    else if (b >= a && b > c) push({ i, v: b, min: false });
  }
  if (alt.length >= 2 && alt[0]!.min === alt[alt.length - 1]!.min) {
    const a = alt[0]!,
      b = alt[alt.length - 1]!;
    if ((a.min && b.v < a.v) || (!a.min && b.v > a.v)) alt.shift();
    else alt.pop();
  }
  return alt;
}

/** Persistence simplification: drop the weakest min–max pair until all steps are ≥ minProm. */
function simplifyExtrema(ext: Ext[], minProm: number): Ext[] {
  while (ext.length >= 4) {
    let wi = -1,
      wv = Infinity;
    for (let k = 0; k < ext.length; k++) {
      const d = Math.abs(ext[k]!.v - ext[(k + 1) % ext.length]!.v);
      if (d < wv) {
        wv = d;
        wi = k;
      }
    }
    if (wv >= minProm) break;
    const a = wi,
      b = (wi + 1) % ext.length;
    ext = ext.filter((_, k) => k !== a && k !== b);
  }
  if (ext.length >= 4) return ext;
  // at most one valley: a single notch needs both neighbouring lobes
  if (ext.length !== 2) return [];
  const mn = ext.find((e) => e.min)!,
    mx = ext.find((e) => !e.min)!;
  return mx.v - mn.v < minProm ? [] : ext;
}

/** The contour point nearest valley e (±2hw rays) that lies deepest below the convex hull. */
function deepestNear(L: WorkLesion, hull: Point[], e: Ext, hw: number) {
  const n = L.points.length;
  let bi = e.i,
    bd = -1;
  let foot: Point = L.points[e.i]!;
  for (let t = -2 * hw; t <= 2 * hw; t++) {
    const i = (e.i + t + n) % n;
    const q = nearestPointOnPolygon(L.points[i]!, hull);
    if (q.distance > bd) {
      bd = q.distance;
      bi = i;
      foot = q.point;
    }
  }
  return { bi, bd, foot };
}

/** Valleys of the radius function between two lobulations, simplified by persistence. */
export function lobulationFeatures(L: WorkLesion): LobulationFeatures {
  const r = L.pc.radii,
    n = r.length;
  const lobulationIndex = harmonicAmplitude(r, 3, 12);
  const hw = Math.max(1, Math.round(n / 90));
  const minProm = Math.max(REFINE.notchMinPx, REFINE.notchProminence * L.meanR);
  const ext = simplifyExtrema(alternatingExtrema(detrendedRadius(r, hw)), minProm);
  const hull = convexHull(L.points);
  const notches: NotchW[] = [];
  for (let k = 0; k < ext.length; k++) {
    const e = ext[k]!;
    if (!e.min) continue;
    const prev = ext[(k - 1 + ext.length) % ext.length]!,
      next = ext[(k + 1) % ext.length]!;
    const prom = Math.min(prev.v - e.v, next.v - e.v);
    if (prom < minProm) continue;
    const { bi, bd, foot } = deepestNear(L, hull, e, hw);
    if (bd < REFINE.notchMinHullPx) continue; // a valley of a convex outline is no concavity
    notches.push({ ray: bi, point: L.points[bi]!, foot, depthW: Math.max(0, bd), prominenceW: prom });
  }
  return { lobulationIndex, notches };
}

// ---------------------------------------------------------------------------------------------
// Spiculation
export interface SpiculeW {
  angle: number;
  base: Point;
  tip: Point;
  lengthW: number;
  baseRidge: number;
}

/** Radius of the polar contour at any angle (linear between rays). */
export function radiusAt(pc: PolarContour, theta: number): number {
  const n = pc.radii.length;
  let a = theta % (2 * Math.PI);
  if (a < 0) a += 2 * Math.PI;
  const x = (a / (2 * Math.PI)) * n;
  const i = Math.floor(x) % n,
    t = x - Math.floor(x);
  return pc.radii[i]! * (1 - t) + pc.radii[(i + 1) % n]! * t;
}

/** The ridge response on M rays × S radial steps just outside the contour, and the edge radii. */
interface RidgeField {
  M: number;
  S: number;
  step: number;
  ridge: Float32Array;
  edge: Float64Array;
}

function ridgeField(img: Float32Array, w: number, h: number, pc: PolarContour, M: number, S: number, latW: number) {
  const step = 0.5;
  const ridge = new Float32Array(M * S);
  const edge = new Float64Array(M);
  for (let j = 0; j < M; j++) {
    const th = (2 * Math.PI * j) / M,
      c = Math.cos(th),
      s = Math.sin(th);
    const re = radiusAt(pc, th);
    edge[j] = re;
    for (let k = 0; k < S; k++) {
      const r = re + 1 + k * step;
      const v = sample(img, w, h, pc.center[0] + c * r, pc.center[1] + s * r);
      // lateral neighbours on the same circle (a tangent offset would leave a convex edge and read as a ridge)
      const da = latW / r;
      const a = sample(img, w, h, pc.center[0] + Math.cos(th + da) * r, pc.center[1] + Math.sin(th + da) * r),
        b = sample(img, w, h, pc.center[0] + Math.cos(th - da) * r, pc.center[1] + Math.sin(th - da) * r);
      ridge[j * S + k] = v - Math.max(a, b);
    }
  }
  return { M, S, step, ridge, edge };
}

/**
 * Integrate along the line: a spicule is radial, so average the ridge response over ±1.5 px
 * radially and (1,2,1) across neighbouring angles; texture and noise average out, the line stays.
 */
function smoothRidge(f: RidgeField): void {
  const { M, S, ridge } = f;
  const hk = Math.max(1, Math.round(REFINE.ridgeRadialHalfPx / f.step));
  const rad = new Float32Array(M * S);
  for (let j = 0; j < M; j++) {
    for (let k = 0; k < S; k++) {
      let sum = 0,
        c = 0;
      for (let t = Math.max(0, k - hk); t <= Math.min(S - 1, k + hk); t++) {
        sum += ridge[j * S + t]!;
        c++;
      }
      rad[j * S + k] = sum / c;
    }
  }
  for (let j = 0; j < M; j++) {
    const a = ((j - 1 + M) % M) * S,
      b = j * S,
      c = ((j + 1) % M) * S;
    for (let k = 0; k < S; k++) ridge[b + k] = 0.25 * rad[a + k]! + 0.5 * rad[b + k]! + 0.25 * rad[c + k]!;
  }
}

/** Length of the above-threshold run on each ray (it must start near the edge; short gaps allowed). */
function runLengths(f: RidgeField, thr: number): Float64Array {
  const { M, S, step, ridge } = f;
  const len = new Float64Array(M);
  const maxGap = Math.max(2, Math.round(1.5 / step));
  const startWithin = Math.round(2 / step);
  for (let j = 0; j < M; j++) {
    let last = -1,
      gap = 0,
      started = false;
    for (let k = 0; k < S; k++) {
      if (ridge[j * S + k]! >= thr) {
        if (!started && k > startWithin) break;
        started = true;
        last = k;
        gap = 0;
      } else if (started && ++gap > maxGap) break;
    }
    len[j] = started ? 1 + last * step : 0;
  }
  return len;
}

/**
 * A vessel marking near the lesion is mostly short and faint at the edge; a spicule is fed by the
 * lesion, so its ridge over the first third of its run is strong. Mean ridge there ÷ threshold.
 */
function baseRidgeOf(f: RidgeField, j: number, lenW: number, thr: number): number {
  const kEnd = Math.round((lenW - 1) / f.step),
    third = Math.max(1, Math.round(kEnd / 3));
  let baseSum = 0;
  for (let k = 0; k < third; k++) baseSum += f.ridge[j * f.S + k]!;
  return baseSum / third / thr;
}

/** Group neighbouring angles into one spicule (the longest ray of each run); keep the strong ones. */
function groupSpicules(
  f: RidgeField,
  len: Float64Array,
  L: WorkLesion,
  o: { thr: number; latW: number; minLenW: number },
): SpiculeW[] {
  const { M } = f;
  const { pc } = L;
  const spicules: SpiculeW[] = [];
  const keepW = L.mmPerWork ? Math.max(o.minLenW, REFINE.spiculeKeepMm / L.mmPerWork) : 1.5 * o.minLenW;
  const on = (j: number) => len[(j + M) % M]! >= o.minLenW;
  let startJ = 0;
  while (startJ < M && on(startJ)) startJ++;
  if (startJ === M) return spicules; // everything "on": not thin lines
  for (let q = 0; q < M; q++) {
    const j0 = (startJ + q) % M;
    if (!on(j0) || on(j0 - 1)) continue;
    let j1 = j0,
      best = j0;
    while (on(j1 + 1) && (j1 + 1 - j0 + M) % M < M - 1) {
      j1 = (j1 + 1) % M;
      if (len[j1]! > len[best]!) best = j1;
    }
    const arc = (((j1 - j0 + M) % M) + 1) * ((2 * Math.PI) / M) * L.meanR;
    if (arc > Math.max(6 * o.latW, 0.6 * L.meanR)) continue; // a broad opacity, not a thin line
    const baseRidge = baseRidgeOf(f, best, len[best]!, o.thr);
    if (len[best]! < keepW || baseRidge < REFINE.spiculeBaseRidge) continue;
    const th = (2 * Math.PI * best) / M,
      c = Math.cos(th),
      s = Math.sin(th);
    const rb = f.edge[best]!,
      rt = rb + len[best]!;
    spicules.push({
      angle: th,
      lengthW: len[best]!,
      baseRidge,
      base: [pc.center[0] + c * rb, pc.center[1] + s * rb],
      tip: [pc.center[0] + c * rt, pc.center[1] + s * rt],
    });
  }
  return spicules;
}

/**
 * Thin bright lines leaving the edge radially: on rays just outside the contour, the ridge response
 * img(p) − max(img(p ± d·n̂)) (n̂ tangential) must stay above threshold from the edge outwards.
 */
export function spiculeFeatures(
  img: Float32Array,
  w: number,
  h: number,
  L: WorkLesion,
  delta: number,
  searchW: number,
  latW: number,
  minLenW: number,
): { spicules: SpiculeW[]; ridgeSigma: number; ridgeThreshold: number } {
  const M = Math.max(90, Math.min(900, Math.ceil((2 * Math.PI * (L.meanR + 3)) / 0.7)));
  const S = Math.max(2, Math.ceil(searchW / 0.5));
  const f = ridgeField(img, w, h, L.pc, M, S, latW);
  smoothRidge(f);
  // robust spread of the ridge response in the annulus
  const rs: number[] = [];
  for (let q = 0, st = Math.max(3, Math.floor(f.ridge.length / 5000)); q < f.ridge.length; q += st)
    rs.push(f.ridge[q]!);
  const ridgeMed = median(rs);
  const ridgeSigma = median(rs.map((v) => Math.abs(v - ridgeMed))) / 0.6745;
  const thr = Math.max(REFINE.ridgeFraction * delta, ridgeMed + REFINE.ridgeNoiseK * ridgeSigma);
  const spicules = groupSpicules(f, runLengths(f, thr), L, { thr, latW, minLenW });
  return { spicules, ridgeSigma, ridgeThreshold: thr };
}

// ---------------------------------------------------------------------------------------------
// Density
export type CalcPattern =
  'central' | 'diffuse' | 'laminated' | 'popcorn' | 'dendriform' | 'eccentric' | 'punctate' | 'none';

export interface DensityFeatures {
  softLevel: number; // m: soft-tissue excess (display units)
  densityCv: number;
  calcifiedFraction: number;
  calcContrast: number; // mean (excess − m)/m over calcified pixels
  /** 90th and 98th percentile of the core excess ÷ m: a nodule denser than its soft-tissue level (learned signs). */
  p90Rel: number;
  p98Rel: number;
  calcificationPattern: CalcPattern;
  lucentFraction: number;
  lucencies: { diameterW: number; comp: Component }[]; // closed lucencies, largest first
  cavity: { diameterW: number; wallMaxW: number } | null;
  tubularCount: number;
  lesionAreaW: number;
}

/**
 * `ribExcess` (optional) is the excess over the rib-aware background (background.ts): calcium must
 * stand out over both backgrounds, and lucencies are read from the rib-aware one.
 */
/** The lesion mask, its area and the core (eroded) pixel indices. */
function lesionCore(L: WorkLesion, w: number, h: number) {
  const mask = rasterisePolygon(L.points, w, h);
  const dist = insideDistance(mask, w, h);
  const erode = Math.max(1.5, 0.12 * L.meanR);
  const core: number[] = [];
  let area = 0;
  for (let i = 0; i < mask.length; i++)
    if (mask[i]) {
      area++;
      if (dist[i]! >= erode) core.push(i);
    }
  return { core, area };
}

/** Coefficient of variation of the core excess (9.99 when the mean is ~0). */
function coefficientOfVariation(vals: number[]): number {
  let mean = 0;
  for (const v of vals) mean += v;
  mean /= Math.max(1, vals.length);
  let varr = 0;
  for (const v of vals) varr += (v - mean) ** 2;
  const std = Math.sqrt(varr / Math.max(1, vals.length));
  return mean > 1e-6 ? std / mean : 9.99;
}

interface DensityInput {
  excess: Float32Array;
  ribExcess: Float32Array;
  w: number;
  h: number;
  L: WorkLesion;
  noise: number;
  m: number; // soft-tissue level
  core: number[];
  area: number;
}

/** Calcium: markedly denser than the soft tissue, inside the eroded contour, over both backgrounds. */
function calciumFeatures(d: DensityInput) {
  const { excess, ribExcess, w, h, L, m, area } = d;
  const calcThr = m + Math.max(REFINE.calcExcess * Math.max(m, 0), REFINE.calcNoiseK * d.noise);
  const calc = new Uint8Array(w * h);
  for (const i of d.core) if (Math.min(excess[i]!, ribExcess[i]!) >= calcThr) calc[i] = 1;
  const minComp = Math.max(3, Math.round(0.0015 * area));
  // a rib edge left by the in-painting is a long straight band, not a calcification
  const calcComps = components(calc, w, h).filter((c) => c.area >= minComp && !bandLike(c, w, L.meanR));
  let calcArea = 0,
    calcC = 0;
  for (const c of calcComps) {
    calcArea += c.area;
    for (const p of c.pixels) calcC += (excess[p]! - m) / Math.max(m, 1e-3);
  }
  return {
    calcifiedFraction: area ? calcArea / area : 0,
    calcContrast: calcArea ? calcC / calcArea : 0,
    calcificationPattern: calcPattern(calcComps, calcArea, area, L, w),
  };
}

/** Lucent components (near-background excess) inside the convex hull, and the closed ones. */
function lucentComponents(d: DensityInput) {
  const { ribExcess, w, h, L, m } = d;
  const lucThr = Math.min(REFINE.lucentLevel * m, m - REFINE.lucentNoiseK * d.noise);
  // closedness is judged against the convex hull, so a traced outline that dips into a cavity
  // somewhere does not open it to the outside
  const hullMask = rasterisePolygon(convexHull(L.points), w, h);
  const hullDist = insideDistance(hullMask, w, h);
  const luc = new Uint8Array(w * h),
    border = new Uint8Array(w * h);
  for (let i = 0; i < hullMask.length; i++) {
    if (!hullMask[i]) continue;
    if (hullDist[i]! < 1.5) border[i] = 1;
    if (ribExcess[i]! <= lucThr) luc[i] = 1;
  }
  const lucComps = components(luc, w, h, border);
  const minLuc = L.mmPerWork ? Math.max(2, Math.PI * (REFINE.vacuoleMinMm / L.mmPerWork / 2) ** 2) : 2;
  // closed: at most a short stretch of its outline (≤ 25 % of an equal-area circle's) reaches the edge ramp
  const closed = lucComps
    .filter(
      (c) => c.area >= minLuc && c.borderCount <= 0.25 * 2 * Math.sqrt(Math.PI * c.area) && !bandLike(c, w, L.meanR),
    )
    .map((comp) => ({ comp, diameterW: 2 * Math.sqrt(comp.area / Math.PI) }))
    .sort((a, b) => b.diameterW - a.diameterW);
  return { lucComps, closed, minLuc };
}

/** The thickest wall along the rays from the contour inwards to the cavity component. */
function wallThickness(L: WorkLesion, comp: Component, w: number, h: number): number {
  const inC = new Uint8Array(w * h);
  for (const p of comp.pixels) inC[p] = 1;
  let wallMax = 0;
  const { pc } = L;
  for (let i = 0; i < pc.radii.length; i++) {
    const c = Math.cos(pc.angles[i]!),
      s = Math.sin(pc.angles[i]!);
    for (let r = pc.radii[i]!; r >= 0; r -= 0.5) {
      const x = Math.round(pc.center[0] + c * r),
        y = Math.round(pc.center[1] + s * r);
      if (x >= 0 && y >= 0 && x < w && y < h && inC[y * w + x]) {
        wallMax = Math.max(wallMax, pc.radii[i]! - r);
        break;
      }
    }
  }
  return wallMax;
}

/** Tubular lucencies (air bronchogram): elongated lucent branches, open or closed. */
function countTubular(lucComps: Component[], skip: Component | null, minLuc: number, L: WorkLesion, w: number) {
  let tubularCount = 0;
  for (const c of lucComps) {
    if (c.area < minLuc || c === skip) continue;
    let mx = 0;
    const hull = convexHull(c.pixels.map((p) => [p % w, Math.floor(p / w)] as Point));
    for (let a = 0; a < hull.length; a++)
      for (let b = a + 1; b < hull.length; b++)
        mx = Math.max(mx, Math.hypot(hull[a]![0] - hull[b]![0], hull[a]![1] - hull[b]![1]));
    const length = mx + 1,
      width = c.area / length;
    if (length >= REFINE.tubularAspect * width && length >= REFINE.tubularMinRel * L.diameterW) tubularCount++;
  }
  return tubularCount;
}

export function densityFeatures(
  excess: Float32Array,
  w: number,
  h: number,
  L: WorkLesion,
  noise: number,
  rimLevel: number,
  ribExcess: Float32Array = excess,
): DensityFeatures {
  const { core, area } = lesionCore(L, w, h);
  const vals = core.map((i) => excess[i]!);
  const m = Math.max(vals.length >= 4 ? histogramMode(vals, 0.003) : 0, rimLevel);
  const d: DensityInput = { excess, ribExcess, w, h, L, noise, m, core, area };
  const calcium = calciumFeatures(d);
  const { lucComps, closed, minLuc } = lucentComponents(d);
  let lucArea = 0;
  for (const c of closed) lucArea += c.comp.area;
  const cavityMinW = L.mmPerWork ? REFINE.cavityMinMm / L.mmPerWork : REFINE.cavityMinRel * L.diameterW;
  const big = closed[0];
  const cavity: DensityFeatures['cavity'] =
    big && big.diameterW >= cavityMinW
      ? { diameterW: big.diameterW, wallMaxW: wallThickness(L, big.comp, w, h) }
      : null;
  return {
    softLevel: m,
    densityCv: coefficientOfVariation(vals),
    ...calcium,
    ...upperPercentiles(vals, m),
    lucentFraction: area ? lucArea / area : 0,
    lucencies: closed,
    cavity,
    tubularCount: countTubular(lucComps, cavity ? big!.comp : null, minLuc, L, w),
    lesionAreaW: area,
  };
}

/** Upper percentiles of the core excess relative to the soft-tissue level m (0 when empty). */
function upperPercentiles(vals: number[], m: number): { p90Rel: number; p98Rel: number } {
  if (!vals.length) return { p90Rel: 0, p98Rel: 0 };
  const sorted = Float64Array.from(vals).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const d = Math.max(m, 1e-3);
  return { p90Rel: at(0.9) / d, p98Rel: at(0.98) / d };
}

/** Elongation (√ of the PCA eigenvalue ratio) and major length of a component. */
export function shapeOf(c: Component, w: number): { elong: number; length: number } {
  let sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  for (const p of c.pixels) {
    const x = p % w,
      y = (p - x) / w;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const n = c.pixels.length,
    mx = sx / n,
    my = sy / n;
  const a = sxx / n - mx * mx + 1 / 12,
    b = syy / n - my * my + 1 / 12,
    d = sxy / n - mx * my;
  const t = (a + b) / 2,
    q = Math.sqrt(Math.max(0, ((a - b) / 2) ** 2 + d * d));
  return { elong: Math.sqrt((t + q) / Math.max(t - q, 1e-6)), length: Math.sqrt(12 * (t + q)) };
}

/** A long straight band (a rib edge or intercostal gap left by the in-painting). */
function bandLike(c: Component, w: number, R: number): boolean {
  const s = shapeOf(c, w);
  return s.elong >= REFINE.bandElongation && s.length >= REFINE.bandMinRel * R;
}

function calcPattern(comps: Component[], calcArea: number, area: number, L: WorkLesion, w: number): CalcPattern {
  if (!comps.length || area === 0 || calcArea / area < 0.005) return 'none';
  const frac = calcArea / area;
  const R = L.meanR,
    c = L.pc.center;
  if (frac >= 0.55) return 'diffuse';
  // radial and angular distribution of calcified pixels
  let sumR = 0,
    n = 0,
    inner = 0;
  const sectors = new Uint8Array(12);
  let sx = 0,
    sy = 0;
  for (const comp of comps)
    for (const p of comp.pixels) {
      const x = p % w,
        y = (p - x) / w;
      const d = Math.hypot(x - c[0], y - c[1]) / R;
      sumR += d;
      n++;
      sx += x;
      sy += y;
      if (d < 0.25) inner++;
      const a = Math.atan2(y - c[1], x - c[0]);
      sectors[Math.min(11, Math.floor(((a + Math.PI) / (2 * Math.PI)) * 12))] = 1;
    }
  const meanR = sumR / n;
  let cover = 0;
  for (const v of sectors) cover += v;
  const off = Math.hypot(sx / n - c[0], sy / n - c[1]) / R;
  const big = comps.filter((k) => k.area >= 0.01 * area);
  if (meanR >= 0.35 && cover >= 8 && inner / n < 0.25 && big.length <= 3) return 'laminated';
  if (big.length >= 3) return 'popcorn';
  if (comps.length >= 3 && big.length < 3) return 'punctate';
  if (off <= 0.3) return 'central';
  return 'eccentric';
}

/** Points of the polar contour, optionally lightly smoothed. */
export { polarPoints };
