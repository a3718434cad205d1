import type { Lang, Measurement, Point } from '../api/contract';
import { t } from '../i18n/strings';

const UNIT_TEXT: Record<string, string> = { mm2: 'mm²', cm2: 'cm²', px2: 'px²', ratio: '', count: '', fraction: '' };

/** "约4.7 cm" / "4.7 cm (estimate)": the display rule of api.md 1.5 is applied by the server. */
export function formatMeasurement(m: Measurement, lang: Lang): string {
  const unit = UNIT_TEXT[m.unit] ?? m.unit;
  const value = `${m.value}${unit ? ` ${unit}` : ''}`;
  if (!m.estimate) return value;
  return lang === 'zh' ? `约${value}` : `${value} (${t('estimate', lang)})`;
}

export const formatPoint = (p: Point): string => `(${p[0].toFixed(1)}, ${p[1].toFixed(1)}) px`;
