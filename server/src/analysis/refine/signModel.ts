/**
 * Learned sign models (issue 13): a fixed feature vector from the measured refine features, and
 * inference of small logistic models (margin class: multinomial; calcification, cavitation:
 * binary) whose coefficients are plain JSON data (models/refine-signs/signs.json, trained by
 * models/train/sign_fit.py). No model code at runtime beyond a dot product and a softmax.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SignInput } from './signs';

/** Names of the feature vector, in order (the JSON model's `features` must equal this list). */
export const SIGN_FEATURES = [
  'sharpness',
  'edgeWidthRel',
  'roughness',
  'lobulationIndex',
  'notchCount',
  'notchDepthRel',
  'spiculeCount',
  'spiculeLenMaxRel',
  'spiculeLenSumRel',
  'densityCv',
  'calcifiedFraction',
  'calcContrast',
  'p90Rel',
  'p98Rel',
  'lucentFraction',
  'cavity',
  'lucencyMaxRel',
  'lucencyCount',
  'tubularCount',
  'logContrast',
  'logEdgeSnr',
  'logDiameterMm',
  'logContrastPerMm',
  'rimRel',
  'tailOut',
  'shoulderIn',
] as const;

/** Assumed mm per px when the image has no spacing (the model's size features need a scale). */
const DEFAULT_MM_PX = 0.35;

/** What the feature vector reads (a RefineDetail plus its notches and spicules also fits). */
export type FeatureInput = Pick<SignInput, 'quality' | 'margin' | 'lobulation' | 'density' | 'notches' | 'spicules'>;

const safeLog = (v: number) => Math.log(Math.max(v, 1e-4));

/** Edge profile shape: level 0.3 R outside the edge and 0.3 R inside, relative to the edge contrast. */
function profileShape(s: FeatureInput): { tailOut: number; shoulderIn: number } {
  const prof = s.margin.profile;
  const K = (prof.length - 1) / 2;
  const step = 0.5;
  const meanRW = s.quality.diameterPx / (2 * s.quality.f);
  const off = Math.max(1, Math.round((0.3 * meanRW) / step));
  const outer = prof[prof.length - 1] ?? 0;
  const d = Math.max(s.margin.edgeContrast, 1e-6);
  const at = (k: number) => prof[Math.min(prof.length - 1, Math.max(0, k))] ?? 0;
  return { tailOut: (at(K + off) - outer) / d, shoulderIn: (at(K - off) - outer) / d };
}

/** Lengths of the features that depend on the lesion's diameter, relative to it. */
function relativeSizes(s: FeatureInput): Record<string, number> {
  const D = Math.max(s.quality.diameterPx, 1e-6);
  const f = s.quality.f;
  const depths = s.notches.map((n) => n.depth.valuePx ?? 0);
  const lens = s.spicules.map((sp) => sp.length.valuePx ?? 0);
  const luc = s.density.lucencies[0];
  return {
    edgeWidthRel: (s.margin.edgeWidthW * f) / D,
    notchDepthRel: depths.length ? Math.max(...depths) / D : 0,
    spiculeLenMaxRel: lens.length ? Math.max(...lens) / D : 0,
    spiculeLenSumRel: lens.reduce((a, b) => a + b, 0) / D,
    lucencyMaxRel: luc ? (luc.diameterW * f) / D : 0,
  };
}

/** The feature vector of one refined lesion, in SIGN_FEATURES order. */
export function signFeatureVector(s: FeatureInput): number[] {
  const q = s.quality;
  const dMm = Math.max(q.diameterMm ?? q.diameterPx * DEFAULT_MM_PX, 0.5);
  const rel = relativeSizes(s);
  const shape = profileShape(s);
  const d = s.density;
  const named: Record<(typeof SIGN_FEATURES)[number], number> = {
    sharpness: s.margin.boundarySharpness,
    edgeWidthRel: rel.edgeWidthRel!,
    roughness: s.margin.contourRoughness,
    lobulationIndex: s.lobulation.lobulationIndex,
    notchCount: s.notches.length,
    notchDepthRel: rel.notchDepthRel!,
    spiculeCount: s.spicules.length,
    spiculeLenMaxRel: rel.spiculeLenMaxRel!,
    spiculeLenSumRel: rel.spiculeLenSumRel!,
    densityCv: Math.min(d.densityCv, 3),
    calcifiedFraction: d.calcifiedFraction,
    calcContrast: d.calcContrast,
    p90Rel: Math.min(d.p90Rel, 10),
    p98Rel: Math.min(d.p98Rel, 10),
    lucentFraction: d.lucentFraction,
    cavity: d.cavity ? 1 : 0,
    lucencyMaxRel: rel.lucencyMaxRel!,
    lucencyCount: d.lucencies.length,
    tubularCount: d.tubularCount,
    logContrast: safeLog(q.contrast),
    logEdgeSnr: safeLog(q.edgeSnr),
    logDiameterMm: Math.log(dMm),
    logContrastPerMm: safeLog(q.contrast / dMm),
    rimRel: s.margin.rimLevel / Math.max(q.contrast, 1e-4),
    tailOut: shape.tailOut,
    shoulderIn: shape.shoulderIn,
  };
  return SIGN_FEATURES.map((k) => (Number.isFinite(named[k]) ? named[k] : 0));
}

// ---------------------------------------------------------------------------------------------
// Inference

export interface LinearModel {
  classes: string[]; // softmax over these (a binary model has 2: [negative, positive])
  /** Optional tanh hidden layer (units × features); the output layer then reads the units. */
  hidden?: { weights: number[][]; bias: number[] };
  weights: number[][]; // classes × inputs (features, or hidden units)
  bias: number[];
  temperature: number; // calibration on the tuning split (logits ÷ T)
}

/**
 * A two-class model: "present" is decided on the raw p (threshold chosen on TUNE); the confidence
 * reported is the Platt-calibrated p (fitted on TUNE; absorbs the prior shift of class-balanced
 * training, so a stated 0.6 is right about 60 % of the time on data like TUNE).
 */
export interface BinaryModel extends LinearModel {
  presentAt: number;
  platt?: { a: number; b: number };
}

/** The calibrated probability of the positive class for a raw p. */
export function calibrated(m: BinaryModel, p: number): number {
  if (!m.platt) return p;
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return 1 / (1 + Math.exp(-(m.platt.a * Math.log(q / (1 - q)) + m.platt.b)));
}

export interface SignModelFile {
  version: string;
  /** Which learned calls replace the hand thresholds (only those that beat them on the held-out site). */
  wired: { margin: boolean; calcification: boolean; cavitation: boolean };
  features: string[];
  transform: { mu: number[]; sd: number[]; clip: number };
  margin: LinearModel;
  calcification: BinaryModel;
  cavitation: BinaryModel & { absentBelow: number };
}

/** Standardised, clipped features (the training transform). */
export function standardise(x: readonly number[], t: SignModelFile['transform']): number[] {
  return x.map((v, i) => Math.max(-t.clip, Math.min(t.clip, (v - t.mu[i]!) / (t.sd[i]! || 1))));
}

/** Class probabilities of a (calibrated) linear softmax model. */
export function predict(m: LinearModel, z: readonly number[]): number[] {
  const dense = (W: number[][], b: number[], x: readonly number[]) =>
    W.map((w, c) => {
      let a = b[c]!;
      for (let i = 0; i < w.length; i++) a += w[i]! * x[i]!;
      return a;
    });
  const input = m.hidden ? dense(m.hidden.weights, m.hidden.bias, z).map(Math.tanh) : z;
  const logits = dense(m.weights, m.bias, input).map((a) => a / m.temperature);
  const mx = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - mx));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Where the shipped model lies (repository models/, trained by models/train/sign_fit.py). */
export const DEFAULT_SIGN_MODEL_PATH = path.resolve(__dirname, '../../../../models/refine-signs/signs.json');

let cached: { file: string; model: SignModelFile | null } | null = null;

/**
 * The learned sign model, read once; null when the file is missing or does not match this code's
 * feature list (the hand thresholds then decide every sign).
 */
export function loadSignModel(
  file: string = process.env.CXR_SIGN_MODEL ?? DEFAULT_SIGN_MODEL_PATH,
): SignModelFile | null {
  if (file === 'none') return null; // CXR_SIGN_MODEL=none: the hand thresholds only (evaluation)
  if (cached && cached.file === file) return cached.model;
  let model: SignModelFile | null = null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as SignModelFile;
    model = modelMatches(m) ? m : null;
  } catch {
    model = null;
  }
  cached = { file, model };
  return model;
}

/** Checks that a model file matches this code's feature list (a stale model must not be used). */
export function modelMatches(file: SignModelFile): boolean {
  return (
    file.features.length === SIGN_FEATURES.length &&
    file.features.every((f, i) => f === SIGN_FEATURES[i]) &&
    file.transform.mu.length === SIGN_FEATURES.length
  );
}
