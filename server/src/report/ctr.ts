/**
 * The cardiothoracic ratio's grade (api.md 5.5): < 0.50 normal, 0.50–0.55 borderline, > 0.55
 * enlarged — on a PA film only; AP, supine or an unknown projection: not assessable. One wording
 * for the overview, the report and the SR, so the heart has one story per session.
 */
import type { Analysis, Bilingual, Evidence } from '../contract';

export type CtrGrade = 'normal' | 'borderline' | 'enlarged' | 'not_assessable';

const CTR_NORMAL_BELOW = 0.5;
const CTR_ENLARGED_ABOVE = 0.55;

/** The grade of a CTR value on a film whose CTR is `reliable` (PA), else not assessable. */
export function gradeCtr(value: number, reliable: boolean): CtrGrade {
  if (!reliable) return 'not_assessable';
  const v = Math.round(value * 100) / 100; // graded on the 2-decimal value that is quoted
  if (v < CTR_NORMAL_BELOW) return 'normal';
  if (v <= CTR_ENLARGED_ABOVE) return 'borderline';
  return 'enlarged';
}

export interface CtrStatement {
  grade: CtrGrade;
  value: number;
  text: Bilingual;
  evidence: Evidence[];
}

/** The CTR sentence with its grade, or null when the CTR was not measured. */
export function ctrStatement(analysis: Analysis): CtrStatement | null {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  if (!ctr) return null;
  const grade = gradeCtr(ctr.value, ctr.reliable);
  const v = ctr.value.toFixed(2);
  const vp = analysis.image.viewPosition;
  const view = { zh: vp ? `${vp}位` : '体位未注明', en: vp ?? 'projection not stated' };
  let text: Bilingual;
  switch (grade) {
    case 'normal':
      text = {
        zh: `心胸比约${v}(${view.zh}),小于0.50,心影大小在正常范围内。`,
        en: `Cardiothoracic ratio ${v} (${view.en}), below 0.50: heart size within normal limits.`,
      };
      break;
    case 'borderline':
      text = {
        zh: `心胸比约${v}(${view.zh}),处于临界范围(0.50–0.55),心影大小临界。`,
        en: `Cardiothoracic ratio ${v} (${view.en}), borderline (0.50–0.55): heart size at the upper limit of normal.`,
      };
      break;
    case 'enlarged':
      text = {
        zh: `心胸比约${v}(${view.zh}),大于0.55,心影增大。`,
        en: `Cardiothoracic ratio ${v} (${view.en}), above 0.55: the cardiac silhouette is enlarged.`,
      };
      break;
    default: {
      const note = ctr.note ?? {
        zh: '非PA位片心影被放大,心胸比不可靠',
        en: 'a non-PA film magnifies the heart, so the ratio is unreliable',
      };
      text = {
        zh: `心胸比约${v}(${view.zh}),${note.zh.replace(/[。.]$/, '')},心脏大小无法评估。`,
        en: `Cardiothoracic ratio ${v} (${view.en}); ${note.en.replace(/[。.]$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}, so heart size is not assessable.`,
      };
    }
  }
  return {
    grade,
    value: ctr.value,
    text,
    evidence: [{ name: 'cardiothoracicRatio', value: ctr.value, unit: 'ratio' }],
  };
}
