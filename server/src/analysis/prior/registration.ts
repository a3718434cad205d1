/**
 * Registration of a prior chest radiograph onto the current one through the two anatomy maps
 * (issue 17): matching landmarks (hila, carina, apices, costophrenic and cardiophrenic angles,
 * diaphragm domes) give a weighted least-squares similarity, refined by a trimmed ICP on the lung
 * mask contours (each lung on itself). The fit's residual, in mm of the current image, says how far
 * to trust it. Pure geometry, no I/O.
 */
import type { Anatomy, LandmarkId, Point, Polygon } from '../../contract';
import { LANDMARK_IDS } from '../anatomy/labels';
import { applyAffine, fitSimilarity, median, residuals, rms, scaleAndRotation, type Affine } from './transform';

/**
 * Landmarks that move with the thorax as a whole. Heart borders and the aortic knob are left out:
 * they change with heart size and disease, which is what a comparison looks for.
 */
const MOVES_WITH_THE_HEART = new Set<LandmarkId>(['heart_border_right', 'heart_border_left', 'aortic_knob', 'midline']);
export const REGISTRATION_LANDMARKS: LandmarkId[] = LANDMARK_IDS.filter((id) => !MOVES_WITH_THE_HEART.has(id));

/** Limits beyond which two films are not compared (same patient, same projection expected). */
export const REGISTRATION_LIMITS = {
  minLandmarks: 4,
  /** RMS landmark residual after the fit, mm. */
  maxResidualMm: 12,
  /** Median lung-contour distance after the fit, mm. */
  maxContourMm: 8,
  /** Scale (current px per prior px, after correcting for pixel spacing) outside this → refuse. */
  scaleRange: [0.8, 1.25] as [number, number],
  maxRotationDeg: 15,
  icpIterations: 8,
  contourSamples: 48,
  /** Fraction of contour pairs kept per ICP iteration (the rest are the worst, e.g. a changed effusion). */
  trimKeep: 0.8,
  /** A landmark this far (mm) beyond 3 × the median residual is left out of the fit. */
  outlierMm: 8,
  /** Weight of one landmark relative to one contour point. */
  landmarkWeight: 4,
};

export type RegistrationFailure = 'too_few_landmarks' | 'poor_fit' | 'implausible_pose';

export interface Registration {
  ok: boolean;
  failure: RegistrationFailure | null;
  /** prior image px → current image px. */
  transform: Affine | null;
  landmarkCount: number;
  /** RMS landmark residual after the fit (current image mm, or px when `mmPerPx` was null). */
  residualMm: number | null;
  residualPx: number;
  /** Median distance of the registered prior lung contours to the current ones. */
  contourMm: number | null;
  scale: number;
  rotationDeg: number;
}

interface LandmarkPairs {
  src: Point[];
  dst: Point[];
  w: number[];
}

function landmarkPairs(prior: Anatomy, current: Anatomy): LandmarkPairs {
  const out: LandmarkPairs = { src: [], dst: [], w: [] };
  for (const id of REGISTRATION_LANDMARKS) {
    const p = prior.landmarks.find((l) => l.id === id);
    const c = current.landmarks.find((l) => l.id === id);
    if (!p || !c) continue;
    const w = Math.min(p.confidence, c.confidence);
    if (!(w > 0)) continue;
    out.src.push(p.point);
    out.dst.push(c.point);
    out.w.push(w);
  }
  return out;
}

/** `n` points equally spaced along a closed polygon's perimeter. */
export function resampleClosed(poly: Polygon, n: number): Point[] {
  if (poly.length < 2) return [...poly];
  const seg: number[] = [];
  let total = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!,
      b = poly[(i + 1) % poly.length]!;
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    seg.push(l);
    total += l;
  }
  const out: Point[] = [];
  let i = 0,
    acc = 0;
  for (let k = 0; k < n; k++) {
    const target = (k * total) / n;
    while (i < poly.length - 1 && acc + seg[i]! < target) acc += seg[i++]!;
    const a = poly[i]!,
      b = poly[(i + 1) % poly.length]!;
    const t = seg[i]! > 0 ? (target - acc) / seg[i]! : 0;
    out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
  }
  return out;
}

function nearest(p: Point, pts: readonly Point[]): { q: Point; d: number } {
  let best = pts[0]!,
    bd = Infinity;
  for (const q of pts) {
    const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2;
    if (d < bd) {
      bd = d;
      best = q;
    }
  }
  return { q: best, d: Math.sqrt(bd) };
}

interface LungContours {
  prior: Point[];
  current: Point[];
}

function lungContours(prior: Anatomy, current: Anatomy): LungContours[] {
  const out: LungContours[] = [];
  for (const id of ['lung_right', 'lung_left'] as const) {
    const p = prior.structures.find((s) => s.id === id)?.contours[0];
    const c = current.structures.find((s) => s.id === id)?.contours[0];
    if (!p || !c || p.length < 3 || c.length < 3) continue;
    out.push({
      prior: resampleClosed(p, REGISTRATION_LIMITS.contourSamples),
      current: resampleClosed(c, REGISTRATION_LIMITS.contourSamples * 4),
    });
  }
  return out;
}

/** Closest-point pairs of the registered prior contours, the worst (1 − trimKeep) dropped. */
function contourPairs(t: Affine, lungs: LungContours[]): { src: Point[]; dst: Point[]; dist: number[] } {
  const all: { s: Point; q: Point; d: number }[] = [];
  for (const l of lungs)
    for (const s of l.prior) {
      const n = nearest(applyAffine(t, s), l.current);
      all.push({ s, q: n.q, d: n.d });
    }
  all.sort((a, b) => a.d - b.d);
  const kept = all.slice(0, Math.max(3, Math.round(all.length * REGISTRATION_LIMITS.trimKeep)));
  return { src: kept.map((x) => x.s), dst: kept.map((x) => x.q), dist: all.map((x) => x.d) };
}

/** Trimmed ICP on the lung contours, the landmarks kept in every fit. */
function refineOnContours(start: Affine, lm: LandmarkPairs, lungs: LungContours[]): Affine {
  let t = start;
  for (let it = 0; it < REGISTRATION_LIMITS.icpIterations; it++) {
    const cp = contourPairs(t, lungs);
    const w = [...lm.w.map((x) => x * REGISTRATION_LIMITS.landmarkWeight), ...cp.src.map(() => 1)];
    const next = fitSimilarity([...lm.src, ...cp.src], [...lm.dst, ...cp.dst], w);
    if (!next) break;
    t = next;
  }
  return t;
}

/** Landmarks whose residual is within max(3 × median, outlierMm) of the fit. */
function keepConsistent(t: Affine, lm: LandmarkPairs, mmPerPx: number | null): LandmarkPairs {
  const res = residuals(t, lm.src, lm.dst);
  const limit = Math.max(3 * median(res), REGISTRATION_LIMITS.outlierMm / (mmPerPx ?? 1));
  const keep = res.map((r) => r <= limit);
  return {
    src: lm.src.filter((_, i) => keep[i]),
    dst: lm.dst.filter((_, i) => keep[i]),
    w: lm.w.filter((_, i) => keep[i]),
  };
}

function failed(failure: RegistrationFailure, landmarkCount: number, t: Affine | null = null): Registration {
  const sr = t ? scaleAndRotation(t) : { scale: 1, rotationDeg: 0 };
  return {
    ok: false,
    failure,
    transform: t,
    landmarkCount,
    residualMm: null,
    residualPx: NaN,
    contourMm: null,
    ...sr,
  };
}

/**
 * Registers the prior anatomy onto the current. `mmPerPx` is the current image's pixel size (null
 * without spacing: residuals stay in px); `spacingRatio` = prior mm/px ÷ current mm/px, so that a
 * film digitised at another resolution is not taken for an implausible pose.
 */
export function registerAnatomy(
  prior: Anatomy,
  current: Anatomy,
  mmPerPx: number | null,
  spacingRatio = 1,
): Registration {
  const L = REGISTRATION_LIMITS;
  const lm = landmarkPairs(prior, current);
  if (lm.src.length < L.minLandmarks) return failed('too_few_landmarks', lm.src.length);
  const start = fitSimilarity(lm.src, lm.dst, lm.w);
  if (!start) return failed('too_few_landmarks', lm.src.length);
  const lungs = lungContours(prior, current);
  const first = lungs.length ? refineOnContours(start, lm, lungs) : start;
  // A landmark far off the consensus (a misplaced costophrenic angle, a changed diaphragm) is dropped
  // and the fit repeated, as long as enough landmarks remain.
  const kept = keepConsistent(first, lm, mmPerPx);
  if (kept.src.length < L.minLandmarks) return failed('poor_fit', kept.src.length, first);
  const t = kept.src.length === lm.src.length ? first : lungs.length ? refineOnContours(first, kept, lungs) : first;
  lm.src = kept.src;
  lm.dst = kept.dst;
  lm.w = kept.w;
  const resPx = rms(residuals(t, lm.src, lm.dst));
  const contourPx = lungs.length ? median(contourPairs(t, lungs).dist) : null;
  const sr = scaleAndRotation(t);
  const toMm = (px: number) => (mmPerPx ? px * mmPerPx : px);
  const reg: Registration = {
    ok: true,
    failure: null,
    transform: t,
    landmarkCount: lm.src.length,
    residualMm: mmPerPx ? resPx * mmPerPx : null,
    residualPx: resPx,
    contourMm: contourPx === null ? null : toMm(contourPx),
    ...sr,
  };
  const poseScale = sr.scale / spacingRatio;
  if (poseScale < L.scaleRange[0] || poseScale > L.scaleRange[1] || Math.abs(sr.rotationDeg) > L.maxRotationDeg)
    return { ...reg, ok: false, failure: 'implausible_pose' };
  if (toMm(resPx) > L.maxResidualMm || (contourPx !== null && toMm(contourPx) > L.maxContourMm))
    return { ...reg, ok: false, failure: 'poor_fit' };
  return reg;
}
