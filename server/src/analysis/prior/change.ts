/**
 * Size change of one lesion between a prior and the current film (issue 17): both sizes, change in
 * mm and %, the measurement error of the change, a volume doubling time only where the change exceeds
 * that error, and "stable for over 2 years" (never called benign here). Pure arithmetic.
 */
import { PRIOR } from './thresholds';
import { round1 } from '../../geometry';

export interface LesionSize {
  longMm: number | null;
  shortMm: number | null;
  /** Mean of long and short axis (api.md 12.1), the one size per lesion. */
  diameterMm: number | null;
  diameterPx: number;
}

export type Trend = 'larger' | 'smaller' | 'stable' | 'indeterminate';

export interface SizeChange {
  priorMm: number | null;
  currentMm: number | null;
  changeMm: number | null;
  /** Change relative to the prior size, percent. */
  changePercent: number | null;
  /** 95 % measurement error of the change, mm. */
  errorMm: number | null;
  trend: Trend;
  /** Volume doubling time (sphere, from the diameters), days; only for real growth. */
  doublingDays: number | null;
  intervalDays: number | null;
  stableOverTwoYears: boolean;
}

/** 1 SD of one diameter measurement (thresholds.ts). */
export function sizeSdMm(diameterMm: number): number {
  return Math.hypot(PRIOR.sizeSdMm, PRIOR.sizeSdFraction * diameterMm);
}

/** 95 % error of the difference of two independent diameter measurements. */
export function changeErrorMm(priorMm: number, currentMm: number): number {
  return 1.96 * Math.hypot(sizeSdMm(priorMm), sizeSdMm(currentMm));
}

/** Volume doubling time from two diameters `days` apart: t·ln2 / (3·ln(D₂/D₁)); null unless growing. */
export function doublingTimeDays(priorMm: number, currentMm: number, days: number): number | null {
  if (!(currentMm > priorMm) || !(priorMm > 0) || !(days > 0)) return null;
  return (days * Math.LN2) / (3 * Math.log(currentMm / priorMm));
}

export function sizeChange(prior: LesionSize, current: LesionSize, intervalDays: number | null): SizeChange {
  const p = prior.diameterMm,
    c = current.diameterMm;
  if (p === null || c === null || !(p > 0)) {
    return {
      priorMm: p,
      currentMm: c,
      changeMm: null,
      changePercent: null,
      errorMm: null,
      trend: 'indeterminate',
      doublingDays: null,
      intervalDays,
      stableOverTwoYears: false,
    };
  }
  const change = c - p;
  const error = changeErrorMm(p, c);
  const trend: Trend = Math.abs(change) <= error ? 'stable' : change > 0 ? 'larger' : 'smaller';
  const vdt = trend === 'larger' && intervalDays !== null ? doublingTimeDays(p, c, intervalDays) : null;
  return {
    priorMm: round1(p),
    currentMm: round1(c),
    changeMm: round1(change),
    changePercent: Math.round((100 * change) / p),
    errorMm: round1(error),
    trend,
    doublingDays: vdt === null ? null : Math.round(vdt),
    intervalDays,
    stableOverTwoYears: trend === 'stable' && intervalDays !== null && intervalDays >= PRIOR.stableDays,
  };
}
