/** Report frameworks (api.md 14.1): which families of findings this report is about. */
import type { Analysis, Report } from '../contract';
import { gradeCtr } from './ctr';

export type Framework = Report['frameworks'][number];

/** An enlarged heart by CTR: reliable (PA) and graded "enlarged" (> 0.55, api.md 5.5). */
export function cardiomegalyByCtr(analysis: Analysis): boolean {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  return !!ctr && gradeCtr(ctr.value, ctr.reliable) === 'enlarged';
}

/** A reliable CTR above 0.50 (borderline or enlarged): the cardiac framework of api.md 14.1 applies. */
function ctrAboveNormal(analysis: Analysis): boolean {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  return !!ctr && ctr.reliable && ctr.value > 0.5;
}

/**
 * nodule_mass if any nodule or mass; airspace_opacity if any opacity; cardiac_mediastinal when
 * the CTR is reliable and > 0.50; normal only when nothing else applies. `pleural` and
 * `interstitial` have no v1 finding type, so they never apply yet.
 */
export function reportFrameworks(analysis: Analysis): Framework[] {
  const out: Framework[] = [];
  if (analysis.findings.some((f) => f.type === 'nodule' || f.type === 'mass')) out.push('nodule_mass');
  if (analysis.findings.some((f) => f.type === 'opacity')) out.push('airspace_opacity');
  if (ctrAboveNormal(analysis)) out.push('cardiac_mediastinal');
  if (out.length === 0) out.push('normal');
  return out;
}
