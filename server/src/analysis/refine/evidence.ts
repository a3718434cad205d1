/** Evidence and sign builders (api.md 9.1, 9.3): fixed names, units, rounding. */
import type { Evidence, SignAssessment, SpacingSource } from '../../contract';

const r2 = (v: number) => Math.round(v * 100) / 100;
const r1 = (v: number) => Math.round(v * 10) / 10;

export const evCount = (name: string, v: number): Evidence => ({ name, value: Math.round(v), unit: 'count' });
export const evRatio = (name: string, v: number): Evidence => ({ name, value: r2(v), unit: 'ratio' });
export const evFraction = (name: string, v: number): Evidence => ({
  name,
  value: r2(Math.min(1, Math.max(0, v))),
  unit: 'fraction',
});
export const evString = (name: string, v: string): Evidence => ({ name, value: v, unit: null });
export const evBool = (name: string, v: boolean): Evidence => ({ name, value: v, unit: null });
/** A length in mm; omitted (empty list) when the image has no calibration (api.md 1.5: …Mm is null). */
export function evMm(name: string, mm: number | null, source: SpacingSource): Evidence[] {
  if (mm === null || source === 'none' || !Number.isFinite(mm)) return [];
  return [{ name, value: r1(mm), unit: 'mm', estimate: true, spacingSource: source }];
}

export type Status = SignAssessment['status'];

export function sign(
  signId: string,
  status: Status,
  confidence: number,
  evidence: Evidence[],
  method: string,
): SignAssessment {
  return { signId, status, confidence: r2(Math.min(0.99, Math.max(0.05, confidence))), evidence, method };
}

/** 0.5 at the threshold, rising linearly to 0.95 one `scale` away from it. */
export const confFrom = (distance: number, scale: number): number =>
  0.5 + 0.45 * Math.min(1, Math.max(0, distance / Math.max(scale, 1e-9)));

export const SIGN_IDS = [
  'margin_smooth',
  'margin_lobulated',
  'margin_spiculated',
  'margin_ill_defined',
  'notch_sign',
  'calcification',
  'cavitation',
  'vacuole_sign',
  'air_bronchogram',
  'homogeneous_density',
  'pleural_indentation',
] as const;
export type FixedSignId = (typeof SIGN_IDS)[number];
