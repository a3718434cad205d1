/**
 * One story per lesion (api.md 6.1): one size, one place and one margin description, shared by
 * the overview, the answers, the report and the SR.
 * - Size: the refined outline's long × short axis once a refinement exists, else the detector's
 *   diameter — never both.
 * - Place in an impression: the lobe only when its probability is ≥ 0.7, else the zone (右中肺野 /
 *   right mid zone) with the candidate lobes.
 * - Margin: the lead margin class of the (refined) sign calls when any margin sign is decided,
 *   else the detector's border.
 */
import type {
  Anchor,
  Bilingual,
  Evidence,
  Finding,
  Lang,
  Location,
  Lobe,
  Measurement,
  Session,
  SignAssessment,
  SpacingSource,
} from '../contract';
import { LOBE_NAMES } from '../analysis/anatomy/labels';
import { leadMarginClass } from '../analysis/refine/signs';
import { BORDER_WORDS } from '../analysis/lesions/text';
import { compact, lengthEvidence } from './draft';
import { anatomyName } from '../ontology';

const LOBE_NAMING_MIN_PROBABILITY = 0.7;

/** The refinement anchor of a lineage root in this session, if any. */
export function refinementOf(session: Session, root: Anchor): Anchor | null {
  const byId = new Map(session.anchors.map((a) => [a.id, a]));
  return (
    (root.refinedBy && byId.get(root.refinedBy)) ||
    session.anchors.find((a) => a.kind === 'refinement' && a.parentId === root.id) ||
    null
  );
}

const mm = (m: Measurement | undefined): number | null =>
  m && m.valueMm !== null && m.valueMm !== undefined ? m.valueMm : null;

/** "约1.9 × 1.5 cm" / "1.9 × 1.5 cm": both axes in one unit (cm from 10 mm up). */
function axesText(longMm: number, shortMm: number, lang: Lang): string {
  const cm = longMm >= 10;
  const f = (v: number) => (cm ? (v / 10).toFixed(1) : v.toFixed(1));
  const t = `${f(longMm)} × ${f(shortMm)} ${cm ? 'cm' : 'mm'}`;
  return lang === 'zh' ? `约${t}` : t;
}

export interface LesionSize {
  /** "约1.9 × 1.5 cm" (refined) or "约2.1 cm" (detector diameter); px without spacing. */
  text: Bilingual;
  /** The size in mm that rules use (refined mean diameter or the detector's), null without spacing. */
  diameterMm: number | null;
  evidence: Evidence[];
  refined: boolean;
}

function lengthWords(v: number): Bilingual {
  const cm = v >= 10;
  const t = `${cm ? (v / 10).toFixed(1) : v.toFixed(1)} ${cm ? 'cm' : 'mm'}`;
  return { zh: `约${t}`, en: t };
}

/** The one size of a lesion: the refinement's long × short axis when present, else the finding's diameter. */
export function lesionSize(root: Anchor, refined: Anchor | null, f?: Finding): LesionSize {
  const src = (refined ?? root).measurements.find((m) => m.spacingSource)?.spacingSource ?? f?.spacingSource ?? 'none';
  // The refinement's axes — or the root's, once the overview adopted the refined size for it.
  const axesFrom = refined ?? (root.measurements.some((m) => m.name === 'longAxis') ? root : null);
  return (axesFrom && axesSize(axesFrom, src)) ?? diameterSize(root, src, f);
}

/** Long × short axis of a (refined) outline: in mm with spacing, else in px; null without both axes. */
function axesSize(a: Anchor, src: SpacingSource): LesionSize | null {
  const long = a.measurements.find((m) => m.name === 'longAxis');
  const short = a.measurements.find((m) => m.name === 'shortAxis');
  const dia = a.measurements.find((m) => m.name === 'diameter');
  const longMm = mm(long),
    shortMm = mm(short);
  if (longMm !== null && shortMm !== null && src !== 'none') {
    return {
      text: { zh: axesText(longMm, shortMm, 'zh'), en: axesText(longMm, shortMm, 'en') },
      diameterMm: mm(dia) ?? (longMm + shortMm) / 2,
      evidence: compact([
        lengthEvidence('longAxis', longMm, null, src),
        lengthEvidence('shortAxis', shortMm, null, src),
      ]),
      refined: true,
    };
  }
  if (!long?.valuePx || !short?.valuePx) return null;
  const t = `${Math.round(long.valuePx)} × ${Math.round(short.valuePx)} px`;
  return {
    text: { zh: t, en: t },
    diameterMm: null,
    evidence: [
      { name: 'longAxisPx', value: Math.round(long.valuePx), unit: 'px' },
      { name: 'shortAxisPx', value: Math.round(short.valuePx), unit: 'px' },
    ],
    refined: true,
  };
}

/** The detector's diameter: in mm with spacing, else in px. */
function diameterSize(root: Anchor, src: SpacingSource, f?: Finding): LesionSize {
  const d = root.measurements.find((m) => m.name === 'diameter');
  const dMm = mm(d) ?? f?.diameterMm ?? null;
  if (dMm !== null && src !== 'none') {
    return {
      text: lengthWords(dMm),
      diameterMm: dMm,
      evidence: compact([lengthEvidence('diameter', dMm, null, src)]),
      refined: false,
    };
  }
  const px = d?.valuePx ?? f?.diameterPx ?? 0;
  return {
    text: { zh: `${Math.round(px)} px`, en: `${Math.round(px)} px` },
    diameterMm: null,
    evidence: [{ name: 'diameterPx', value: Math.round(px), unit: 'px' }],
    refined: false,
  };
}

/** Candidate lobes of a location, most probable first (probability ≥ 0.2, at most two). */
function candidateLobes(loc: Location): Lobe[] {
  const p = loc.lobeProbabilities;
  if (!p) return loc.lobe ? [loc.lobe] : [];
  return (Object.entries(p) as [Lobe, number][])
    .filter(([, v]) => v >= 0.2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k]) => k);
}

/**
 * The place an impression names: "右肺中叶" when the lobe's probability is ≥ 0.7, else
 * "右中肺野(右肺中叶或下叶)" / "right mid zone (right middle or lower lobe)".
 */
export function impressionPlace(loc: Location | null): Bilingual {
  if (!loc) return { zh: '', en: '' };
  if (loc.lobe && (loc.lobeConfidence ?? 0) >= LOBE_NAMING_MIN_PROBABILITY)
    return { zh: LOBE_NAMES[loc.lobe].zh, en: LOBE_NAMES[loc.lobe].en };
  const side = loc.side === 'right' || loc.side === 'left' ? loc.side : null;
  if (!side) return { zh: '', en: '' };
  // The lexicon's names: 右中肺野 / right mid zone, else 右肺 / right lung.
  const head = anatomyName(loc.zone ? `zone_${side}_${loc.zone}` : `lung_${side}`) ?? anatomyName(`lung_${side}`)!;
  const lobes = candidateLobes(loc);
  if (!lobes.length) return head;
  const zh = lobes.map((l, i) => (i === 0 ? LOBE_NAMES[l].zh : LOBE_NAMES[l].zhShort)).join('或');
  const en =
    lobes.length === 2
      ? `${LOBE_NAMES[lobes[0]!].en.replace(/ lobe$/, '')} or ${LOBE_NAMES[lobes[1]!].en.replace(/^(right|left) /, '')}`
      : LOBE_NAMES[lobes[0]!].en;
  return { zh: `${head.zh}(${zh})`, en: `${head.en} (${en})` };
}

const MARGIN_WORDS: Record<'smooth' | 'lobulated' | 'spiculated' | 'ill_defined', Bilingual> = {
  smooth: { zh: '边缘光整', en: 'smooth margin' },
  lobulated: { zh: '边缘分叶', en: 'lobulated margin' },
  spiculated: { zh: '边缘毛刺', en: 'spiculated margin' },
  ill_defined: { zh: '边缘模糊', en: 'ill-defined margin' },
};

const MARGIN_IDS = new Set(['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined']);

/**
 * The one margin description: from the sign calls when any margin sign is decided (the answer's
 * lead class; "margin not clearly characterised" when all decided ones are absent), else from the
 * detector's border; null when nothing is known.
 */
export function marginWords(signs: readonly SignAssessment[], f?: Finding): Bilingual | null {
  const decided = signs.filter((s) => MARGIN_IDS.has(s.signId) && s.status !== 'indeterminate');
  if (decided.length) {
    const lead = leadMarginClass(signs);
    return lead ? MARGIN_WORDS[lead] : null;
  }
  if (signs.some((s) => MARGIN_IDS.has(s.signId))) return null; // assessed but indeterminate: say nothing here
  return f ? BORDER_WORDS[f.border] : null;
}
