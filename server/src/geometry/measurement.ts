import type { Bilingual, Lang, Measurement, MeasurementName, Point, SpacingSource } from '../contract';
import { lengthMeasurement, lengthMm, lengthPx } from './units';

/** The image's spacing as measurement helpers need it. */
export interface ImageSpacing {
  mm: [number, number] | null;
  source: SpacingSource;
}

/** Length between two image points as a Measurement (mm/cm when calibrated, px otherwise). */
export function segmentMeasurement(
  name: MeasurementName,
  label: Bilingual,
  a: Point,
  b: Point,
  spacing: ImageSpacing,
): Measurement {
  return lengthMeasurement(name, label, lengthPx(a, b), spacing.mm ? lengthMm(a, b, spacing.mm) : null, spacing.source);
}

const UNIT_TEXT: Record<string, string> = { mm: 'mm', cm: 'cm', mm2: 'mm²', cm2: 'cm²', px: 'px', px2: 'px²' };

/** Display text of a Measurement: "4.7 cm"; Chinese adds 约 to estimates: "约4.7 cm" (api.md 1.5). */
export function formatMeasurement(m: Measurement, lang: Lang): string {
  if (m.unit === 'ratio') return m.value.toFixed(2);
  if (m.unit === 'count') return String(m.value);
  const px = m.unit === 'px' || m.unit === 'px2';
  const text = `${m.value.toFixed(px ? 0 : 1)} ${UNIT_TEXT[m.unit] ?? m.unit}`;
  return lang === 'zh' && m.estimate && !px ? `约${text}` : text;
}

/** The name of a spacing source, for the "estimate from …" wording. */
export function spacingSourceText(source: SpacingSource, lang: Lang): string {
  const t: Record<SpacingSource, Bilingual> = {
    PixelSpacing: { zh: 'Pixel Spacing(像素间距)', en: 'Pixel Spacing' },
    ImagerPixelSpacing: {
      zh: 'Imager Pixel Spacing(探测器平面,含几何放大)',
      en: 'Imager Pixel Spacing (detector plane, magnified)',
    },
    'ImagerPixelSpacing/ERMF': {
      zh: 'Imager Pixel Spacing ÷ ERMF(放大率校正)',
      en: 'Imager Pixel Spacing ÷ ERMF (magnification-corrected)',
    },
    none: { zh: '无像素间距(未校准,单位为像素)', en: 'no pixel spacing (uncalibrated, values in pixels)' },
  };
  return t[source][lang];
}
