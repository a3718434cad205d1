/** The findings list's rows (pure, unit-tested). */
import type { Analysis, Anchor, Lang } from '../api/contract';

/** Findings under this score are listed muted: shown, but not to be read as likely. */
export const LOW_SCORE = 0.5;

export interface FindingRow { anchor: Anchor; score: number | null; sizeMm: number | null; name: string }

/** The size a reader should quote: the refined long axis once measured, else the detector diameter (api.md 6.1). */
function sizeOf(anchor: Anchor, fallback: number | null): number | null {
  const m = anchor.measurements.find((x) => x.name === 'longAxis') ?? anchor.measurements.find((x) => x.name === 'diameter');
  if (m?.valueMm != null) return m.valueMm;
  return fallback;
}

/** Finding anchors joined with their analysis finding, ranked by score (highest first). */
export function findingRows(anchors: Anchor[], analysis: Analysis | null, lang: Lang): FindingRow[] {
  return anchors.filter((a) => a.kind === 'finding').map((anchor) => {
    const f = analysis?.findings.find((x) => x.id === anchor.findingId);
    const name = anchor.label[lang].replace(new RegExp(`^${anchor.id}\\s*`), '');
    return { anchor, score: f?.score ?? null, sizeMm: sizeOf(anchor, f?.diameterMm ?? null), name };
  }).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
}

/** "A1 左肺下叶结节 0.96 · 7.9 mm" */
export function rowText(r: FindingRow): string {
  const parts = [r.score !== null ? r.score.toFixed(2) : null, r.sizeMm !== null ? `${r.sizeMm.toFixed(1)} mm` : null].filter(Boolean);
  return `${r.anchor.id} ${r.name}${parts.length ? ` ${parts.join(' · ')}` : ''}`;
}
