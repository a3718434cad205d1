/** Sentences before they get their ids, and the evidence helpers they share. */
import type { Anchor, Evidence, Location, Measurement, ReportSentence, SpacingSource } from '../contract';

export type Draft = Omit<ReportSentence, 'id'>;

/** Numbers the sentences of one section: `find-1`, `find-2`, … */
export const numbered = (prefix: string, drafts: Draft[]): ReportSentence[] =>
  drafts.map((d, i) => ({ id: `${prefix}-${i + 1}`, ...d }));

/** Evidence of a length: `<name>Mm` (estimate, with its spacing source) or `<name>Px` without spacing. */
export function lengthEvidence(
  name: string,
  mm: number | null,
  px: number | null,
  source: SpacingSource | null,
): Evidence | null {
  if (mm !== null && source && source !== 'none')
    return { name: `${name}Mm`, value: round(mm, 1), unit: 'mm', estimate: true, spacingSource: source };
  if (px !== null) return { name: `${name}Px`, value: round(px, 1), unit: 'px' };
  return null;
}

/** Evidence of a Measurement block. */
export const measurementEvidence = (m: Measurement): Evidence | null =>
  m.unit === 'ratio'
    ? { name: m.name, value: m.value, unit: 'ratio' }
    : lengthEvidence(m.name, m.valueMm, m.valuePx, m.spacingSource);

/** Side, zone, band and lobe of a location as string evidence. */
export function locationEvidence(loc: Location | null): Evidence[] {
  if (!loc) return [];
  const out: Evidence[] = [];
  for (const k of ['side', 'zone', 'band', 'lobe'] as const) {
    const v = loc[k];
    if (v) out.push({ name: k, value: v, unit: null });
  }
  return out;
}

export const measurement = (
  a: Anchor | { measurements: Measurement[] },
  name: Measurement['name'],
): Measurement | null => a.measurements.find((m) => m.name === name) ?? null;

export const compact = <T>(xs: (T | null | undefined)[]): T[] =>
  xs.filter((x): x is T => x !== null && x !== undefined);

export function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
