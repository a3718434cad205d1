/** Physical units and the display rule (api.md 1.5). */
import type { Bilingual, Lang, Measurement, MeasurementName, Point, SpacingSource } from '../contract';

export type Spacing = readonly [number, number]; // [row (y), column (x)] mm/px

/** Distance between two points in px. */
export const lengthPx = (a: Point, b: Point): number => Math.hypot(b[0] - a[0], b[1] - a[1]);

/** Distance in mm with per-axis spacing: sqrt((Δx·colSpacing)² + (Δy·rowSpacing)²). */
export function lengthMm(a: Point, b: Point, spacing: Spacing): number {
  return Math.hypot((b[0] - a[0]) * spacing[1], (b[1] - a[1]) * spacing[0]);
}

/** Area in mm² from px² (rowSpacing·columnSpacing per pixel). */
export const areaMm2 = (areaPx: number, spacing: Spacing): number => areaPx * spacing[0] * spacing[1];

const round = (v: number, d: number): number => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

/** Display value and unit of a length per the display rule: < 10 mm → mm, else cm, 1 decimal; px with `none`. */
function displayLength(
  value: number,
  spacingSource: SpacingSource,
): { value: number; unit: 'mm' | 'cm' | 'px' } {
  if (spacingSource === 'none') return { value: Math.round(value), unit: 'px' };
  const mm = round(value, 1);
  return mm < 10 ? { value: mm, unit: 'mm' } : { value: round(value / 10, 1), unit: 'cm' };
}

/** Display value and unit of an area: mm² below 100 mm², else cm²; px² with `none`. */
function displayArea(
  value: number,
  spacingSource: SpacingSource,
): { value: number; unit: 'mm2' | 'cm2' | 'px2' } {
  if (spacingSource === 'none') return { value: Math.round(value), unit: 'px2' };
  return value < 100 ? { value: round(value, 1), unit: 'mm2' } : { value: round(value / 100, 1), unit: 'cm2' };
}

/**
 * Text of a length for answers: `value` is in mm, or in px when spacingSource is "none".
 * "4.7 cm", "8.0 mm", "35 px"; Chinese adds 约 to physical values: "约4.7 cm".
 */
export function formatLength(value: number, spacingSource: SpacingSource, lang: Lang): string {
  const d = displayLength(value, spacingSource);
  const num = d.unit === 'px' ? d.value.toFixed(0) : d.value.toFixed(1);
  const text = `${num} ${d.unit}`;
  return lang === 'zh' && d.unit !== 'px' ? `约${text}` : text;
}

/** Text of an area: "85.0 mm²", "约3.2 cm²", "400 px²". */
export function formatArea(value: number, spacingSource: SpacingSource, lang: Lang): string {
  const d = displayArea(value, spacingSource);
  const unit = d.unit === 'mm2' ? 'mm²' : d.unit === 'cm2' ? 'cm²' : 'px²';
  const num = d.unit === 'px2' ? d.value.toFixed(0) : d.value.toFixed(1);
  return lang === 'zh' && d.unit !== 'px2' ? `约${num} ${unit}` : `${num} ${unit}`;
}

/** Length measurement block (api.md 1.5) from a px length and the spacing (null with "none"). */
export function lengthMeasurement(
  name: MeasurementName,
  label: Bilingual,
  valuePx: number,
  valueMm: number | null,
  spacingSource: SpacingSource,
): Measurement {
  return measurement(name, label, valuePx, valueMm, spacingSource, displayLength);
}

/** Area measurement block. */
export function areaMeasurement(
  name: MeasurementName,
  label: Bilingual,
  valuePx: number,
  valueMm2: number | null,
  spacingSource: SpacingSource,
): Measurement {
  return measurement(name, label, valuePx, valueMm2, spacingSource, displayArea);
}

/** The block for a value in px and (when the spacing is known) in mm or mm², shown by `display`. */
function measurement(
  name: MeasurementName,
  label: Bilingual,
  valuePx: number,
  valueMm: number | null,
  spacingSource: SpacingSource,
  display: (v: number, source: SpacingSource) => { value: number; unit: Measurement['unit'] },
): Measurement {
  const physical = spacingSource !== 'none' && valueMm !== null;
  const d = physical ? display(valueMm, spacingSource) : display(valuePx, 'none');
  return {
    name,
    label,
    value: d.value,
    unit: d.unit,
    valuePx: round(valuePx, 2),
    valueMm: physical ? round(valueMm, 2) : null,
    estimate: true,
    spacingSource,
  };
}
