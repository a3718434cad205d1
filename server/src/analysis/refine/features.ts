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

/** Valleys of the radius function between two lobulations, simplified by persistence. */
export function lobulationFeatures(L: WorkLesion): LobulationFeatures {
  const r = L.pc.radii,
    n = r.length;
  const lobulationIndex = harmonicAmplitude(r, 3, 12);
  const hw = Math.max(1, Math.round(n / 90));
  const base = lowPass(r, 2);
  const sm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = -hw; t <= hw; t++) s += r[(i + t + n) % n]! - base[(i + t + n) % n]!;
    sm[i] = s / (2 * hw + 1);
  }
  // alternating extrema on the circle
  type Ext = { i: number; v: number; min: boolean };
  let ext: Ext[] = [];
  for (let i = 0; i < n; i++) {
    const a = sm[(i - 1 + n) % n]!,
      b = sm[i]!,
      c = sm[(i + 1) % n]!;
    if (b <= a && b < c) ext.push({ i, v: b, min: true });
    else if (b >= a && b > c) ext.push({ i, v: b, min: false });
  }
  // enforce alternation (keep the more extreme of equal-kind neighbours)
  const alt: Ext[] = [];
  for (const e of ext) {
    const last = alt[alt.length - 1];
    if (last && last.min === e.min) {
      if ((e.min && e.v < last.v) || (!e.min && e.v > last.v)) alt[alt.length - 1] = e;
    } else alt.push(e);
  }
  if (alt.length >= 2 && alt[0]!.min === alt[alt.length - 1]!.min) {
    const a = alt[0]!,
      b = alt[alt.length - 1]!;
    if ((a.min && b.v < a.v) || (!a.min && b.v > a.v)) alt.shift();
    else alt.pop();
  }
  ext = alt;
  const minProm = Math.max(REFINE.notchMinPx, REFINE.notchProminence * L.meanR);
  // persistence simplification: drop the weakest min–max pair until all steps ≥ minProm
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
  if (ext.length < 4) {
    // at most one valley: a single notch needs both neighbouring lobes
    if (ext.length === 2) {
      const mn = ext.find((e) => e.min)!,
        mx = ext.find((e) => !e.min)!;
      if (mx.v - mn.v < minProm) ext = [];
    } else ext = [];
  }
  const hull = convexHull(L.points);
  const notches: NotchW[] = [];
  for (let k = 0; k < ext.length; k++) {
    const e = ext[k]!;
    if (!e.min) continue;
    const prev = ext[(k - 1 + ext.length) % ext.length]!,
      next = ext[(k + 1) % ext.length]!;
    const prom = Math.min(prev.v - e.v, next.v - e.v);
    if (prom < minProm) continue;
    // deepest contour point near the valley
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
  const { pc } = L;
  const M = Math.max(90, Math.min(900, Math.ceil((2 * Math.PI * (L.meanR + 3)) / 0.7)));
  const step = 0.5;
  const S = Math.max(2, Math.ceil(searchW / step));
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
      const x = pc.center[0] + c * r,
        y = pc.center[1] + s * r;
      const v = sample(img, w, h, x, y);
      // lateral neighbours on the same circle (a tangent offset would leave a convex edge and read as a ridge)
      const da = latW / r,
        ca = Math.cos(th + da),
        sa = Math.sin(th + da),
        cb = Math.cos(th - da),
        sb = Math.sin(th - da);
      const a = sample(img, w, h, pc.center[0] + ca * r, pc.center[1] + sa * r),
        b = sample(img, w, h, pc.center[0] + cb * r, pc.center[1] + sb * r);
      ridge[j * S + k] = v - Math.max(a, b);
    }
  }
  // integrate along the line: a spicule is radial, so average the ridge response over ±1.5 px
  // radially and (1,2,1) across neighbouring angles; texture and noise average out, the line stays
  const hk = Math.max(1, Math.round(REFINE.ridgeRadialHalfPx / step));
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
  // robust spread of the ridge response in the annulus
  const rs: number[] = [];
  for (let q = 0, st = Math.max(3, Math.floor(ridge.length / 5000)); q < ridge.length; q += st) rs.push(ridge[q]!);
  const ridgeMed = median(rs);
  const ridgeSigma = median(rs.map((v) => Math.abs(v - ridgeMed))) / 0.6745;
  const thr = Math.max(REFINE.ridgeFraction * delta, ridgeMed + REFINE.ridgeNoiseK * ridgeSigma);
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
      } else if (started) {
        if (++gap > maxGap) break;
      }
    }
    len[j] = started ? 1 + last * step : 0;
  }
  // group neighbouring angles into one spicule (the longest ray of each run)
  const spicules: SpiculeW[] = [];
  const keepW = L.mmPerWork ? Math.max(minLenW, REFINE.spiculeKeepMm / L.mmPerWork) : 1.5 * minLenW;
  const on = (j: number) => len[(j + M) % M]! >= minLenW;
  let startJ = 0;
  while (startJ < M && on(startJ)) startJ++;
  if (startJ === M) return { spicules, ridgeSigma, ridgeThreshold: thr }; // everything "on": not thin lines
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
    if (arc > Math.max(6 * latW, 0.6 * L.meanR)) continue; // a broad opacity, not a thin line
    const th = (2 * Math.PI * best) / M,
      c = Math.cos(th),
      s = Math.sin(th);
    const rb = edge[best]!,
      rt = rb + len[best]!;
    // a vessel marking near the lesion is mostly short and faint at the edge; a spicule is fed by
    // the lesion, so its ridge over the first third of its run is strong
    const kEnd = Math.round((len[best]! - 1) / step),
      third = Math.max(1, Math.round(kEnd / 3));
    let baseSum = 0;
    for (let k = 0; k < third; k++) baseSum += ridge[best * S + k]!;
    const baseRidge = baseSum / third / thr;
    if (len[best]! < keepW || baseRidge < REFINE.spiculeBaseRidge) continue;
    spicules.push({
      angle: th,
      lengthW: len[best]!,
      baseRidge,
      base: [pc.center[0] + c * rb, pc.center[1] + s * rb],
      tip: [pc.center[0] + c * rt, pc.center[1] + s * rt],
    });
  }
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
export function densityFeatures(
  excess: Float32Array,
  w: number,
  h: number,
  L: WorkLesion,
  noise: number,
  rimLevel: number,
  ribExcess: Float32Array = excess,
): DensityFeatures {
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
  const vals = core.map((i) => excess[i]!);
  const m = Math.max(vals.length >= 4 ? histogramMode(vals, 0.003) : 0, rimLevel);
  let mean = 0;
  for (const v of vals) mean += v;
  mean /= Math.max(1, vals.length);
  let varr = 0;
  for (const v of vals) varr += (v - mean) ** 2;
  const std = Math.sqrt(varr / Math.max(1, vals.length));
  const densityCv = mean > 1e-6 ? std / mean : 9.99;
  const { p90Rel, p98Rel } = upperPercentiles(vals, m);

  // calcium: markedly denser than the soft tissue, inside the eroded contour
  const calcThr = m + Math.max(REFINE.calcExcess * Math.max(m, 0), REFINE.calcNoiseK * noise);
  const calc = new Uint8Array(w * h);
  for (const i of core) if (Math.min(excess[i]!, ribExcess[i]!) >= calcThr) calc[i] = 1;
  const minComp = Math.max(3, Math.round(0.0015 * area));
  // a rib edge left by the in-painting is a long straight band, not a calcification
  const calcComps = components(calc, w, h).filter((c) => c.area >= minComp && !bandLike(c, w, L.meanR));
  let calcArea = 0,
    calcC = 0;
  for (const c of calcComps) {
    calcArea += c.area;
    for (const p of c.pixels) calcC += (excess[p]! - m) / Math.max(m, 1e-3);
  }
  const calcifiedFraction = area ? calcArea / area : 0;
  const calcContrast = calcArea ? calcC / calcArea : 0;
  const calcificationPattern = calcPattern(calcComps, calcArea, area, L, w);

  // lucencies: near-background excess inside the contour, not open to the outside
  const lucThr = Math.min(REFINE.lucentLevel * m, m - REFINE.lucentNoiseK * noise);
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
  let lucArea = 0;
  for (const c of closed) lucArea += c.comp.area;
  const lucentFraction = area ? lucArea / area : 0;

  const cavityMinW = L.mmPerWork ? REFINE.cavityMinMm / L.mmPerWork : REFINE.cavityMinRel * L.diameterW;
  let cavity: DensityFeatures['cavity'] = null;
  const big = closed[0];
  if (big && big.diameterW >= cavityMinW) {
    const inC = new Uint8Array(w * h);
    for (const p of big.comp.pixels) inC[p] = 1;
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
    cavity = { diameterW: big.diameterW, wallMaxW: wallMax };
  }
  // tubular lucencies (air bronchogram): elongated lucent branches, open or closed
  let tubularCount = 0;
  for (const c of lucComps) {
    if (c.area < minLuc || (cavity && c === big?.comp)) continue;
    let mx = 0;
    const pts = c.pixels.map((p) => [p % w, Math.floor(p / w)] as Point);
    const hull = convexHull(pts);
    for (let a = 0; a < hull.length; a++)
      for (let b = a + 1; b < hull.length; b++)
        mx = Math.max(mx, Math.hypot(hull[a]![0] - hull[b]![0], hull[a]![1] - hull[b]![1]));
    const length = mx + 1,
      width = c.area / length;
    if (length >= REFINE.tubularAspect * width && length >= REFINE.tubularMinRel * L.diameterW) tubularCount++;
  }
  return {
    softLevel: m,
    densityCv,
    calcifiedFraction,
    calcContrast,
    p90Rel,
    p98Rel,
    calcificationPattern,
    lucentFraction,
    lucencies: closed,
    cavity,
    tubularCount,
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
