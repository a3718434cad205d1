/** Words the report sentences are built from (radiologist style, zh and en). */
import type { Bilingual, Finding, Lang, Measurement, SpacingSource } from '../contract';
import { formatLength } from '../geometry/units';
import { getOntology } from '../ontology';

/** How a finding is described: 结节影 / nodule (ontology/findings.json `noun`). */
export const findingNoun = (type: Finding['type']): Bilingual => getOntology().findingWords.types[type].noun;

/** Shape word and noun of a description: 圆形 + 结节影, or 斑片状 + 高密度影 for an opacity (`withShape`). */
export function shapeAndNoun(f: Pick<Finding, 'type' | 'shape'>): { shape: Bilingual; noun: Bilingual } {
  const words = getOntology().findingWords;
  const own = words.types[f.type];
  if (!own.withShape) return { shape: words.shapes[f.shape], noun: own.noun };
  return { shape: f.shape === 'streaky' ? words.shapes.streaky : own.withShape.shape, noun: own.withShape.noun };
}

/**
 * Signs that are descriptors rather than things "seen": they read as they are when present and
 * have their own wording when absent.
 */
export const DESCRIPTOR_SIGNS: Record<string, { present: Bilingual; absent: Bilingual }> = {
  margin_smooth: {
    present: { zh: '边缘光整', en: 'a smooth margin' },
    absent: { zh: '边缘欠光整', en: 'a margin that is not smooth' },
  },
  margin_ill_defined: {
    present: { zh: '边缘模糊', en: 'an ill-defined margin' },
    absent: { zh: '边缘清晰', en: 'a well-defined margin' },
  },
  homogeneous_density: {
    present: { zh: '密度均匀', en: 'homogeneous density' },
    absent: { zh: '密度不均匀', en: 'heterogeneous density' },
  },
};

/** English gloss of the Chinese-school sign names ("notch sign (脐凹征: …)"), for English readers. */
export const SIGN_GLOSS: Record<string, string> = {
  notch_sign: '脐凹征: a focal notch in the contour, often where a vessel enters',
  vacuole_sign: '空泡征: small bubble-like lucencies inside the nodule',
  pleural_indentation: '胸膜凹陷征: a strand pulling the pleura towards the lesion',
  margin_lobulated: '分叶征: an undulating contour of several arcs',
  margin_spiculated: '毛刺征: fine linear strands radiating from the edge',
};

/**
 * A length for report prose: "约1.2 cm" / "an estimated 1.2 cm"; pixels when uncalibrated.
 * `mm` is null when spacing is "none"; then `px` is used.
 */
function lengthText(mm: number | null, px: number, source: SpacingSource, lang: Lang): string {
  if (source === 'none' || mm === null) return `${Math.round(px)} px`;
  const t = formatLength(mm, source, lang);
  return lang === 'zh' ? t : `an estimated ${t}`;
}

/** Text of a Measurement's size in report prose. */
export function measurementText(m: Measurement, lang: Lang): string {
  return lengthText(m.valueMm, m.valuePx ?? 0, m.spacingSource ?? 'none', lang);
}

/** "a、b和c" / "a, b and c". */
export function joinList(items: string[], lang: Lang, conj?: Bilingual): string {
  if (items.length <= 1) return items[0] ?? '';
  const and = conj ? conj[lang] : lang === 'zh' ? '及' : ' and ';
  const sep = lang === 'zh' ? '、' : ', ';
  return items.slice(0, -1).join(sep) + and + items[items.length - 1];
}

/** Capitalises the first letter (English sentences). */
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** English article for a following word. */
export const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'An' : 'A');

/** The text of the turn's or report's language: the one bilingual choice (dialogue re-exports it). */
export const tr = (lang: Lang, zh: string, en: string): string => (lang === 'zh' ? zh : en);

/** Sentence end for the language. */
export const stop = (lang: Lang): string => (lang === 'zh' ? '。' : '.');
