/**
 * Modality LUT, VOI LUT and MONOCHROME1 inversion (after VOI), applied through one lookup table
 * indexed by stored value, so the per-pixel work is a single table read.
 */
import type { ImageInfo } from '../contract';
import type { Lut } from './parse';
import type { Samples } from './pixels';

export interface GreyscaleInput {
  values: Samples;
  bitsStored: number;
  signed: boolean;
  invert: boolean; // MONOCHROME1
  slope: number;
  intercept: number; // used when modalityLut is null
  modalityLut: Lut | null;
  window: { center: number; width: number; fn: string | null } | null;
  voiLut: Lut | null;
  /** Window used when neither a window nor a VOI LUT applies; default: 0.5–99.5 percentile. */
  fallback?: 'percentile' | 'fullRange';
}

export type Voi = ImageInfo['voi'];

type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export function toDisplay(input: GreyscaleInput): { display: Float32Array; voi: Voi } {
  const { values, bitsStored, signed } = input;
  const size = 1 << bitsStored;
  const lo = signed ? -(size >> 1) : 0;

  // modality value of every possible stored value
  const modality = new Float64Array(size);
  if (input.modalityLut) {
    const { firstMapped, data } = input.modalityLut;
    const last = data.length - 1;
    for (let k = 0; k < size; k++) {
      const idx = k + lo - firstMapped;
      modality[k] = data[idx < 0 ? 0 : idx > last ? last : idx];
    }
  } else {
    for (let k = 0; k < size; k++) modality[k] = (k + lo) * input.slope + input.intercept;
  }

  const lut = new Float32Array(size);
  let voi: Voi;
  const w = validWindow(input.window);
  if (w) {
    fillWindow(lut, modality, w.center, w.width, w.fn);
    voi = {
      windowCenter: w.center,
      windowWidth: w.width,
      function: w.fn,
      lutSequence: input.voiLut !== null,
      used: 'window',
    };
  } else if (input.voiLut && input.voiLut.data.length > 0) {
    fillVoiLut(lut, modality, input.voiLut);
    voi = { windowCenter: null, windowWidth: null, function: null, lutSequence: true, used: 'lut' };
  } else {
    const [a, b] =
      input.fallback === 'fullRange' ? [modality[0], modality[size - 1]] : percentileRange(values, size, lo, modality);
    const low = Math.min(a, b),
      high = Math.max(a, b);
    const width = high > low ? high - low : 1;
    const center = high > low ? (low + high) / 2 : low;
    fillWindow(lut, modality, center, width, 'LINEAR_EXACT');
    voi = {
      windowCenter: round2(center),
      windowWidth: round2(width),
      function: 'LINEAR_EXACT',
      lutSequence: false,
      used: 'auto',
    };
  }
  if (input.invert) for (let k = 0; k < size; k++) lut[k] = 1 - lut[k];

  const n = values.length;
  const display = new Float32Array(n);
  if (lo === 0) {
    for (let i = 0; i < n; i++) display[i] = lut[values[i]];
  } else {
    for (let i = 0; i < n; i++) display[i] = lut[values[i] - lo];
  }
  return { display, voi };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function validWindow(w: GreyscaleInput['window']): { center: number; width: number; fn: VoiFunction } | null {
  if (!w || !Number.isFinite(w.center) || !Number.isFinite(w.width)) return null;
  const fn: VoiFunction = w.fn === 'LINEAR_EXACT' || w.fn === 'SIGMOID' ? w.fn : 'LINEAR';
  if (fn === 'LINEAR' ? w.width < 1 : w.width <= 0) return null;
  return { center: w.center, width: w.width, fn };
}

/** PS3.3 C.11.2.1.2 window functions, output 0..1. */
function fillWindow(lut: Float32Array, x: Float64Array, c: number, w: number, fn: VoiFunction): void {
  const n = lut.length;
  if (fn === 'SIGMOID') {
    for (let k = 0; k < n; k++) lut[k] = 1 / (1 + Math.exp((-4 * (x[k] - c)) / w));
  } else if (fn === 'LINEAR_EXACT') {
    for (let k = 0; k < n; k++) {
      const v = (x[k] - c) / w + 0.5;
      lut[k] = v <= 0 ? 0 : v >= 1 ? 1 : v;
    }
  } else {
    const c0 = c - 0.5,
      w1 = w - 1;
    for (let k = 0; k < n; k++) {
      const xv = x[k];
      lut[k] = xv <= c0 - w1 / 2 ? 0 : xv > c0 + w1 / 2 ? 1 : w1 === 0 ? 1 : (xv - c0) / w1 + 0.5;
    }
  }
}

/** VOI LUT Sequence: output normalised to the LUT data's own range. */
function fillVoiLut(lut: Float32Array, x: Float64Array, voi: Lut): void {
  const { firstMapped, data } = voi;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  const range = max > min ? max - min : 1;
  const last = data.length - 1;
  for (let k = 0; k < lut.length; k++) {
    const idx = Math.round(x[k]) - firstMapped;
    lut[k] = (data[idx < 0 ? 0 : idx > last ? last : idx] - min) / range;
  }
}

/** Modality values at the 0.5th and 99.5th percentiles of the stored values. */
function percentileRange(values: Samples, size: number, lo: number, modality: Float64Array): [number, number] {
  const hist = new Uint32Array(size);
  const n = values.length;
  if (lo === 0) for (let i = 0; i < n; i++) hist[values[i]]++;
  else for (let i = 0; i < n; i++) hist[values[i] - lo]++;
  const lowCount = n * 0.005,
    highCount = n * 0.995;
  let acc = 0,
    kLow = 0,
    kHigh = size - 1;
  let foundLow = false;
  for (let k = 0; k < size; k++) {
    acc += hist[k];
    if (!foundLow && acc > lowCount) {
      kLow = k;
      foundLow = true;
    }
    if (acc >= highCount) {
      kHigh = k;
      break;
    }
  }
  return [modality[kLow], modality[kHigh]];
}
