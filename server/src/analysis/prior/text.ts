/**
 * zh/en sentences of a prior comparison (issue 17), shared by the compare_prior answer and the
 * report's comparison section. The prior is named only by the interval ("约2年前" / "about 2 years
 * earlier"), never by a date. "Stable for over 2 years" is stated as a fact about size, never as benign.
 */
import type { Bilingual, Evidence, SpacingSource } from '../../contract';
import type { LesionComparison, PriorComparison, PriorLesion, PriorOnly } from './compare';
import type { SizeChange } from './change';

const fmt = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const signed = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmt(Math.abs(v))}`;

/** "about 2 years" / "约2年": the interval in words (days under 2 months, months under 2 years, else years). */
export function intervalWords(days: number | null): Bilingual {
  if (days === null) return { zh: '时间不详', en: 'an unknown time' };
  if (days < 60) return { zh: `${days}天`, en: `${days} days` };
  if (days < 700) {
    const m = Math.round(days / 30.44);
    return { zh: `约${m}个月`, en: `about ${m} months` };
  }
  const y = Math.round((days / 365.25) * 2) / 2;
  return { zh: `约${y}年`, en: `about ${y} years` };
}

/** "与约2年前片比较" / "compared with the film from about 2 years earlier". */
export function comparedWith(days: number | null): Bilingual {
  const w = intervalWords(days);
  if (days === null) return { zh: '与前片(日期不详)比较', en: 'compared with the prior film (date unknown)' };
  return { zh: `与${w.zh}前片比较`, en: `compared with the film from ${w.en} earlier` };
}

export const sizeText = (l: PriorLesion['size'] | { longMm: number | null; shortMm: number | null }): string | null =>
  l.longMm !== null && l.shortMm !== null ? `${fmt(l.longMm)} × ${fmt(l.shortMm)} mm` : null;

function changeWords(c: SizeChange): Bilingual {
  if (c.changeMm === null || c.errorMm === null)
    return { zh: '大小变化无法测量', en: 'the size change cannot be measured' };
  const delta = `${signed(c.changeMm)} mm, ${c.changePercent! > 0 ? '+' : ''}${c.changePercent}%`;
  const err = `±${fmt(c.errorMm)} mm`;
  if (c.trend === 'larger') {
    const vdt = c.doublingDays !== null ? `;按球形估计体积倍增时间约${c.doublingDays}天` : '';
    const vdtEn = c.doublingDays !== null ? `; estimated volume doubling time about ${c.doublingDays} days` : '';
    return {
      zh: `增大(${delta},超过测量误差${err})${vdt}`,
      en: `larger (${delta}, beyond the measurement error of ${err})${vdtEn}`,
    };
  }
  if (c.trend === 'smaller')
    return {
      zh: `缩小(${delta},超过测量误差${err})`,
      en: `smaller (${delta}, beyond the measurement error of ${err})`,
    };
  const two = c.stableOverTwoYears
    ? { zh: ';两年以上大小稳定', en: '; size stable for over 2 years' }
    : { zh: '', en: '' };
  return {
    zh: `大小无明确变化(${delta},在测量误差${err}以内)${two.zh}`,
    en: `no definite size change (${delta}, within the measurement error of ${err})${two.en}`,
  };
}

/** One sentence per current lesion. */
export function lesionSentence(c: LesionComparison, days: number | null): Bilingual {
  const id = c.anchorId;
  const when = intervalWords(days);
  if (c.status === 'matched' && c.change && c.prior) {
    const ch = c.change;
    const mean = (v: number | null) => (v !== null ? `${fmt(v)} mm` : '—');
    const was = sizeText(c.prior.size) ?? mean(ch.priorMm);
    const now = sizeText(c.current) ?? mean(ch.currentMm);
    const w = changeWords(ch);
    const zhSizes = `前片 ${was}(平均径 ${mean(ch.priorMm)}),本片 ${now}(平均径 ${mean(ch.currentMm)})`;
    const enSizes = `prior ${was} (mean ${mean(ch.priorMm)}), now ${now} (mean ${mean(ch.currentMm)})`;
    return {
      zh: `${id}:与${when.zh}前片(前片${c.prior.findingId})相比${w.zh};${zhSizes},间隔 ${days ?? '不详'} 天。`,
      en:
        `${id}: compared with the film from ${when.en} earlier (prior ${c.prior.findingId}) it is ${w.en}; ` +
        `${enSizes}, interval ${days ?? 'unknown'} days.`,
    };
  }
  const why = presenceWhy(c);
  if (c.status === 'probably_present_before' && c.change?.changeMm != null) {
    const w = changeWords(c.change);
    const was = c.change.priorMm !== null ? `${fmt(c.change.priorMm)} mm` : '—';
    return {
      zh:
        `${id}:前片未检出对应病灶,但配准后前片同一位置有相似密度影(${why}),可能前片已存在而未被检出;` +
        `按两片配对测量,前片约 ${was},与${when.zh}前相比${w.zh},间隔 ${days ?? '不详'} 天;请在前片上核对。`,
      en:
        `${id}: not detected on the prior, but the registered place on the prior shows a similar density (${why}); ` +
        `it was probably there before. Measured the same way on both films it was about ${was} ${when.en} ` +
        `earlier and is ${w.en}; interval ${days ?? 'unknown'} days — check the prior.`,
    };
  }
  if (c.status === 'probably_present_before')
    return {
      zh: `${id}:前片未检出对应病灶,但配准后前片同一位置有相似密度影(${why}),可能前片已存在而未被检出;请在前片上核对。`,
      en:
        `${id}: no matching finding was detected on the prior, but the registered place on the prior shows a ` +
        `similar density (${why}); it was probably there before and not detected — check the prior.`,
    };
  return {
    zh: `${id}:配准后前片同一位置未见相应病灶(${why}),为新出现的病灶。`,
    en: `${id}: nothing corresponding is seen at the registered place on the prior (${why}); it is new.`,
  };
}

/** "p=0.05, contrast 10%": the prior's lesion probability and relative local contrast at the registered place. */
function presenceWhy(c: LesionComparison): string {
  const ev = c.priorEvidence;
  if (!ev) return '';
  const parts: string[] = [];
  if (ev.probability !== null) parts.push(`p=${ev.probability.toFixed(2)}`);
  if (ev.contrastRatio !== null) parts.push(`contrast ${Math.round(ev.contrastRatio * 100)}%`);
  return parts.join(', ');
}

export function priorOnlySentence(o: PriorOnly): Bilingual {
  const p = o.prior;
  const sz = sizeText(p.size) ?? '';
  const c = o.contrastRatio !== null ? `contrast ${Math.round(o.contrastRatio * 100)}%` : '';
  if (o.stillVisible)
    return {
      zh: `前片${p.findingId}${sz ? `(${sz})` : ''}本片未检出,但配准后同一位置仍可见相似密度影(${c}),可能仍存在、未达检测阈值;请阅片核对。`,
      en:
        `Prior ${p.findingId}${sz ? ` (${sz})` : ''} is not detected now, but the registered place still shows a ` +
        `similar density (${c}); it is probably still there, below the detector's threshold — check the image.`,
    };
  return {
    zh: `前片${p.findingId}${sz ? `(${sz})` : ''}在本片相应位置未见,可能已吸收或本片未检出。`,
    en:
      `Prior ${p.findingId}${sz ? ` (${sz})` : ''} is not seen at the corresponding place now: ` +
      'it may have resolved or not be detected now.',
  };
}

/** The measured numbers behind a lesion sentence (api.md 10.8 evidence). */
export function lesionEvidence(c: LesionComparison, src: SpacingSource): Evidence[] {
  const mm = (name: string, value: number | null): Evidence[] =>
    value === null ? [] : [{ name, value, unit: 'mm', estimate: true, spacingSource: src }];
  const out: Evidence[] = [];
  if (c.change) {
    const ch = c.change;
    out.push(...mm('priorDiameterMm', ch.priorMm), ...mm('currentDiameterMm', ch.currentMm));
    out.push(...mm('changeMm', ch.changeMm), ...mm('measurementErrorMm', ch.errorMm));
    if (ch.changePercent !== null)
      out.push({ name: 'changeFraction', value: ch.changePercent / 100, unit: 'fraction' });
    if (ch.doublingDays !== null) out.push({ name: 'doublingTimeDays', value: ch.doublingDays, unit: 'count' });
  }
  if (c.centerDistanceMm !== null) out.push(...mm('centerDistanceMm', c.centerDistanceMm));
  if (c.priorEvidence?.probability != null)
    out.push({ name: 'priorProbability', value: c.priorEvidence.probability, unit: 'fraction' });
  if (c.priorEvidence?.contrastRatio != null)
    out.push({ name: 'priorContrastRatio', value: c.priorEvidence.contrastRatio, unit: 'ratio' });
  out.push({ name: 'status', value: c.status, unit: null });
  return out;
}

export function registrationEvidence(cmp: PriorComparison): Evidence[] {
  const r = cmp.registration;
  const out: Evidence[] = [];
  if (cmp.intervalDays !== null) out.push({ name: 'intervalDays', value: cmp.intervalDays, unit: 'count' });
  if (r?.residualMm != null)
    out.push({ name: 'registrationResidualMm', value: Math.round(r.residualMm * 10) / 10, unit: 'mm', estimate: true });
  if (r) out.push({ name: 'landmarkCount', value: r.landmarkCount, unit: 'count' });
  return out;
}

/** A one-line summary: counts of larger / smaller / stable / new lesions. */
export function summarySentence(cmp: PriorComparison): Bilingual {
  const n = (s: string) => cmp.lesions.filter((c) => (c.change?.trend ?? c.status) === s).length;
  const parts: [number, string, string][] = [
    [n('larger'), '增大', 'larger'],
    [n('smaller'), '缩小', 'smaller'],
    [n('stable'), '无明确变化', 'unchanged'],
    [n('new'), '新发', 'new'],
    [n('probably_present_before'), '前片可能已存在但未检出', 'probably present before but not detected'],
    [cmp.priorOnly.length, '前片有、本片未见', 'seen before but not now'],
  ];
  const kept = parts.filter(([k]) => k > 0);
  const head = comparedWith(cmp.intervalDays);
  if (!kept.length)
    return {
      zh: `${head.zh}:两片均未见可比较的病灶。`,
      en: `${cap(head.en)}: neither film shows a lesion to compare.`,
    };
  return {
    zh: `${head.zh}:${kept.map(([k, zh]) => `${k}处${zh}`).join(',')}。`,
    en: `${cap(head.en)}: ${kept.map(([k, , en]) => `${k} ${en}`).join(', ')}.`,
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
