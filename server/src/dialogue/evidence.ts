import type { Evidence, Lang, Measurement } from '../contract';
import { formatMeasurement, spacingSourceText } from '../geometry/measurement';

/** A Measurement as Evidence (lengths in mm when calibrated, else px). */
export function measurementEvidence(m: Measurement, name = `${m.name}Mm`): Evidence {
  if (m.valueMm !== null && m.spacingSource && m.spacingSource !== 'none') {
    return {
      name,
      value: m.valueMm,
      unit: m.unit === 'mm2' || m.unit === 'cm2' ? 'mm2' : 'mm',
      estimate: true,
      spacingSource: m.spacingSource,
    };
  }
  if (m.unit === 'ratio' || m.unit === 'count') return { name: m.name, value: m.value, unit: m.unit };
  return {
    name: name.replace(/Mm$/, 'Px'),
    value: m.valuePx ?? m.value,
    unit: m.unit === 'px2' ? 'px2' : 'px',
    estimate: true,
    spacingSource: 'none',
  };
}

/** "约4.7 cm(估计值,依据 Imager Pixel Spacing…)" — the estimate wording every length carries. */
export function measuredText(m: Measurement, lang: Lang, options: { approx?: boolean } = {}): string {
  // approx: false leaves out the leading 约, for a sentence that says 约 itself.
  const v = formatMeasurement(options.approx === false ? { ...m, estimate: false } : m, lang);
  if (!m.estimate || !m.spacingSource) return v;
  if (m.spacingSource === 'none')
    return lang === 'zh' ? `${v}(图像无像素间距,未校准)` : `${v} (no pixel spacing: uncalibrated)`;
  return lang === 'zh'
    ? `${v}(估计值,依据${spacingSourceText(m.spacingSource, lang)})`
    : `${v} (estimate from ${spacingSourceText(m.spacingSource, lang)})`;
}
