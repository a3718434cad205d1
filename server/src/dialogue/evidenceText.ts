import type { Evidence, Lang, SignAssessment } from '../contract';
import { formatLength } from '../geometry/units';
import { SIGN_GLOSS } from '../report/phrases';

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
  hilumDistanceMm: { zh: '距肺门', en: 'distance from the hilum' },
  shape: { zh: '外形', en: 'shape' },
  band: { zh: '位于', en: 'in the' },
  zone: { zh: '位于', en: 'in the' },
  lobe: { zh: '投影于', en: 'projects over the' },
  side: { zh: '侧别', en: 'side' },
  diameterMm: { zh: '平均直径', en: 'mean diameter' },
  longAxisMm: { zh: '长径', en: 'long axis' },
  shortAxisMm: { zh: '短径', en: 'short axis' },
  centerDistanceMm: { zh: '中心距离', en: 'centre distance' },
  edgeGapMm: { zh: '边缘间距', en: 'edge gap' },
  cardiothoracicRatio: { zh: '心胸比', en: 'cardiothoracic ratio' },
  score: { zh: '检测置信度', en: 'detector score' },
  landmarkConfidence: { zh: '定位置信度', en: 'landmark confidence' },
};

/** Words for the enumerated string values evidence carries (never a program token in a sentence). */
const VALUES: Record<string, Record<string, { zh: string; en: string }>> = {
  shape: {
    round: { zh: '圆形', en: 'round' },
    oval: { zh: '椭圆形', en: 'oval' },
    irregular: { zh: '不规则形', en: 'irregular' },
    linear: { zh: '线状', en: 'linear' },
    streaky: { zh: '条索状', en: 'streaky' },
  },
  band: {
    inner: { zh: '内带', en: 'inner band' },
    middle: { zh: '中带', en: 'middle band' },
    outer: { zh: '外带', en: 'outer band' },
  },
  zone: {
    upper: { zh: '上肺野', en: 'upper zone' },
    middle: { zh: '中肺野', en: 'mid zone' },
    lower: { zh: '下肺野', en: 'lower zone' },
  },
  side: { right: { zh: '右侧', en: 'right' }, left: { zh: '左侧', en: 'left' } },
  lobe: {
    RUL: { zh: '右肺上叶', en: 'right upper lobe' },
    RML: { zh: '右肺中叶', en: 'right middle lobe' },
    RLL: { zh: '右肺下叶', en: 'right lower lobe' },
    LUL: { zh: '左肺上叶', en: 'left upper lobe' },
    lingula: { zh: '左肺舌段', en: 'lingula' },
    LLL: { zh: '左肺下叶', en: 'left lower lobe' },
  },
  calcificationPattern: {
    none: { zh: '未见', en: 'none seen' },
    central: { zh: '中心性', en: 'central' },
    diffuse: { zh: '弥漫性', en: 'diffuse' },
    laminated: { zh: '层状', en: 'laminated' },
    popcorn: { zh: '爆米花样', en: 'popcorn' },
    dendriform: { zh: '树枝状', en: 'dendriform' },
    eccentric: { zh: '偏心性', en: 'eccentric' },
    punctate: { zh: '点状', en: 'punctate' },
  },
};

const isClock = (name: string): boolean => /Clocks$/.test(name);

/** The value of one evidence item as words: yes/no, a length, px, clock hours, a number or an enumerated value. */
export function evidenceValue(e: Evidence, lang: Lang): string {
  if (typeof e.value === 'boolean') return lang === 'zh' ? (e.value ? '是' : '否') : e.value ? 'yes' : 'no';
  if (e.unit === 'mm' && typeof e.value === 'number')
    return formatLength(e.value, e.spacingSource ?? 'PixelSpacing', lang);
  if (e.unit === 'px' && typeof e.value === 'number') return `${Math.round(e.value)} px`;
  if (isClock(e.name)) {
    const hours = String(e.value).split(',');
    return lang === 'zh' ? `${hours.join('、')}点` : `${hours.join(', ')} o'clock`;
  }
  if (typeof e.value === 'number') return e.unit === 'count' ? String(e.value) : e.value.toFixed(2);
  return VALUES[e.name]?.[String(e.value)]?.[lang] ?? String(e.value).replace(/_/g, ' ');
}

/** "切迹 2" / "notches 2", lengths with the display rule, clocks as "2、7点" / "2 and 7 o'clock". */
export function evidencePhrase(e: Evidence, lang: Lang): string {
  if (isClock(e.name) && !String(e.value)) return '';
  const name = NAMES[e.name]?.[lang] ?? e.name;
  const v = evidenceValue(e, lang);
  // Enumerated place/shape values read as words on their own: "中带", "round outline".
  if (e.name === 'shape') return lang === 'zh' ? `${v}外形` : `${v} outline`;
  if (['band', 'zone', 'lobe', 'side'].includes(e.name))
    return lang === 'zh' ? `${NAMES[e.name]!.zh}${v}` : `${NAMES[e.name]!.en} ${v}`;
  return lang === 'zh' ? `${name}${isClock(e.name) ? '' : ' '}${v}` : `${name} ${v}`;
}

/** English gloss of the Chinese-school sign names, so an English reader knows what is meant. */
export const signGloss = (signId: string): string => SIGN_GLOSS[signId] ?? '';

type Words = { zh: string; en: string };
/** Signs a radiograph shows unreliably: why "not seen" is undecided. */
const INSENSITIVE: Record<string, Words> = {
  calcification: {
    zh: 'X线对钙化的检出远不如CT,未见钙化不能排除',
    en: 'a radiograph shows calcium far less reliably than CT; not seeing it does not exclude it',
  },
  vacuole_sign: {
    zh: 'X线对1–5 mm小透亮影不敏感,未见不能排除',
    en: '1–5 mm lucencies are below what a radiograph reliably resolves; not seeing them does not exclude them',
  },
  air_bronchogram: {
    zh: 'X线难以显示结节内支气管充气,需CT证实',
    en: 'an air bronchogram inside a nodule is hard to see on a radiograph; confirm on CT',
  },
};
/** The refinement's indeterminate reasons (its `method` text) in words, tried in order. */
const REASONS_BEFORE: [RegExp, Words][] = [
  [/low contrast/, { zh: '病灶边缘对比度低,无法可靠勾画', en: 'edge contrast too low to trace reliably' }],
  [
    /not traceable/,
    {
      zh: '病灶边缘无法可靠勾画(勾画轮廓与检测轮廓大小相差过大)',
      en: 'the edge could not be traced reliably (the traced outline and the detector outline differ too much in size)',
    },
  ],
  [/crop too small/, { zh: '病灶过小或贴近图像边缘', en: 'the region is too small or at the image border' }],
  [
    /overlap/,
    {
      zh: '病灶边缘大部分与心影、纵隔或膈肌重叠',
      en: 'most of the edge overlaps the heart, mediastinum or diaphragm',
    },
  ],
  [
    /spacing none/,
    { zh: '图像无像素间距,无法按毫米阈值判断', en: 'the image has no pixel spacing for the mm threshold' },
  ],
];
/** Reasons that come after the radiograph-insensitive signs. */
const REASONS_AFTER: [RegExp, Words][] = [
  [
    /deep notch/,
    {
      zh: '有较深切迹,但轮廓无分叶,可能为血管或肋骨边缘',
      en: 'a deep notch, but the contour is not lobulated (possibly a vessel or rib edge)',
    },
  ],
  [/pleural surface/, { zh: '未能确定胸膜位置', en: 'the pleural surface could not be located' }],
  [
    /homogeneous/,
    { zh: '密度变化介于均匀与不均匀之间', en: 'density variation between homogeneous and heterogeneous' },
  ],
  [/cavity/, { zh: '可见透亮区,但不足以判断为空洞', en: 'a lucent area, but not enough for a cavity' }],
];

/** Why a sign is undecided, in the answer's language (radiograph-insensitive signs first). */
export function indeterminateReason(s: SignAssessment, lang: Lang): string {
  const why = /\(indeterminate: (.+)\)$/.exec(s.method)?.[1] ?? '';
  const before = REASONS_BEFORE.find(([re]) => re.test(why));
  if (before) return before[1][lang];
  if (INSENSITIVE[s.signId]) return INSENSITIVE[s.signId]![lang];
  return REASONS_AFTER.find(([re]) => re.test(why))?.[1][lang] ?? '';
}

export function statusWord(status: SignAssessment['status'], lang: Lang): string {
  const w = {
    present: { zh: '阳性', en: 'present' },
    absent: { zh: '阴性', en: 'absent' },
    indeterminate: { zh: '无法判断', en: 'indeterminate' },
  };
  return w[status][lang];
}

/** A one-line summary of a sign's evidence: "切迹 2,2、7点,最深 约1.1 mm". */
export function evidenceSummary(evidence: Evidence[], lang: Lang): string {
  // Lengths of nothing ("longest 0.0 mm" beside "spicules 0") say nothing: left out.
  return evidence
    .filter((e) => !(e.unit === 'mm' && e.value === 0))
    .map((e) => evidencePhrase(e, lang))
    .filter(Boolean)
    .join(lang === 'zh' ? ',' : ', ');
}
