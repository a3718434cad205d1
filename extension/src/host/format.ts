import type { Lang, Measurement } from '../api/contract';
import { t } from '../i18n/strings';

const UNIT_TEXT: Record<string, string> = { mm2: 'mm²', cm2: 'cm²', px2: 'px²', ratio: '', count: '', fraction: '' };

/** Decimals of the display rule (api.md 1.5): lengths and areas 1, ratios 2, px and counts 0. */
const DECIMALS: Record<string, number> = {
  mm: 1,
  cm: 1,
  mm2: 1,
  cm2: 1,
  ratio: 2,
  fraction: 2,
  px: 0,
  px2: 0,
  count: 0,
};

/** "约4.7 cm" / "4.7 cm (estimate)"; the server already chose the unit and rounded the value. */
export function formatMeasurement(m: Measurement, lang: Lang): string {
  const unit = UNIT_TEXT[m.unit] ?? m.unit;
  const digits = DECIMALS[m.unit];
  const value = `${digits === undefined ? m.value : m.value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
  // Pixels are counted, not converted through a spacing: no 约 / "(estimate)", as the server writes them
  // (server/src/geometry/measurement.ts formatMeasurement).
  if (!m.estimate || m.unit === 'px' || m.unit === 'px2') return value;
  return lang === 'zh' ? `约${value}` : `${value} (${t('estimate', lang)})`;
}
