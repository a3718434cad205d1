import type { Evidence, Lang, SignAssessment } from '../contract';
import { formatLength } from '../geometry/units';

/** Words for evidence values in answers: one place for the zh/en phrasing. */
const NAMES: Record<string, { zh: string; en: string }> = {
  boundarySharpness: { zh: '边缘锐利度', en: 'edge sharpness' },
  edgeWidthMm: { zh: '边缘过渡宽度', en: 'edge width' },
  contourRoughness: { zh: '轮廓粗糙度', en: 'contour roughness' },
  notchCount: { zh: '切迹', en: 'notches' },
  notchClocks: { zh: '方向', en: 'at' },
  lobulationIndex: { zh: '分叶指数', en: 'lobulation index' },
  maxNotchDepthMm: { zh: '最深', en: 'deepest' },
  spiculeCount: { zh: '毛刺', en: 'spicules' },
  spiculeLengthMaxMm: { zh: '最长', en: 'longest' },
  spiculeLengthMeanMm: { zh: '平均长', en: 'mean length' },
  spiculeClocks: { zh: '方向', en: 'at' },
  densityCv: { zh: '密度变异系数', en: 'density CV' },
  calcifiedFraction: { zh: '钙化比例', en: 'calcified fraction' },
  calcificationPattern: { zh: '钙化形态', en: 'calcification pattern' },
  lucentFraction: { zh: '透亮区比例', en: 'lucent fraction' },
  lucencyCount: { zh: '小透亮影', en: 'small lucencies' },
  lucencyMaxDiameterMm: { zh: '最大透亮影', en: 'largest lucency' },
  wallThicknessMaxMm: { zh: '最大壁厚', en: 'maximum wall thickness' },
  tubularLucencyCount: { zh: '管状透亮影', en: 'tubular lucencies' },
  pleuralDistanceMm: { zh: '距胸膜', en: 'distance to pleura' },
  pleuralContact: { zh: '接触胸膜', en: 'pleural contact' },
  tailPresent: { zh: '胸膜尾征', en: 'pleural tail' },
  tailLengthMm: { zh: '尾征长度', en: 'tail length' },
  bridgePresent: { zh: '软组织桥接', en: 'soft-tissue bridge' },
  corridorOpacityRatio: { zh: '通道密度比', en: 'corridor density ratio' },
  corridorWidthMm: { zh: '通道宽度', en: 'corridor width' },
};

/** "切迹 2" / "notches 2", lengths with the display rule, clocks as "2、7点" / "2 and 7 o'clock". */
export function evidencePhrase(e: Evidence, lang: Lang): string {
  const name = NAMES[e.name]?.[lang] ?? e.name;
  let v: string;
  if (typeof e.value === 'boolean') v = lang === 'zh' ? (e.value ? '是' : '否') : e.value ? 'yes' : 'no';
  else if (e.unit === 'mm' && typeof e.value === 'number') v = formatLength(e.value, e.spacingSource ?? 'PixelSpacing', lang);
  else if (e.unit === 'px' && typeof e.value === 'number') v = `${Math.round(e.value)} px`;
  else if (/Clocks$/.test(e.name)) v = lang === 'zh' ? `${String(e.value).split(',').join('、')}点` : `${String(e.value).split(',').join(', ')} o'clock`;
  else if (typeof e.value === 'number') v = e.unit === 'count' ? String(e.value) : e.value.toFixed(2);
  else v = String(e.value);
  if (/Clocks$/.test(e.name) && !String(e.value)) return '';
  return lang === 'zh' ? `${name}${/Clocks$/.test(e.name) ? '' : ' '}${v}` : `${name} ${v}`;
}

export function statusWord(status: SignAssessment['status'], lang: Lang): string {
  const w = { present: { zh: '阳性', en: 'present' }, absent: { zh: '阴性', en: 'absent' }, indeterminate: { zh: '无法判断', en: 'indeterminate' } };
  return w[status][lang];
}

/** A one-line summary of a sign's evidence: "切迹 2,2、7点,最深 约1.1 mm". */
export function evidenceSummary(evidence: Evidence[], lang: Lang): string {
  return evidence.map((e) => evidencePhrase(e, lang)).filter(Boolean).join(lang === 'zh' ? ',' : ', ');
}
