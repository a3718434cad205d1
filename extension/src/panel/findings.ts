/** The findings list's rows (pure, unit-tested). */
import type { Analysis, Anchor, Lang } from '../api/contract';

/** Findings under this score are listed muted: shown, but not to be read as likely. */
export const LOW_SCORE = 0.5;

export interface FindingRow {
  anchor: Anchor;
  score: number | null;
  sizeMm: number | null;
  sizeText: string | null;
  name: string;
}

const mmOf = (anchor: Anchor, name: string): number | null =>
  anchor.measurements.find((x) => x.name === name)?.valueMm ?? null;

/** The size a reader should quote: the refined long axis once measured, else the detector diameter (api.md 6.1). */
function sizeOf(anchor: Anchor, fallback: number | null): number | null {
  return mmOf(anchor, 'longAxis') ?? mmOf(anchor, 'diameter') ?? fallback;
}

/** The lesion's one size as the label and the answers write it: "1.9 × 1.5 cm" once refined, else "7.9 mm". */
function sizeTextOf(anchor: Anchor, fallback: number | null): string | null {
  const long = mmOf(anchor, 'longAxis'),
    short = mmOf(anchor, 'shortAxis');
  if (long !== null && short !== null) {
    const cm = long >= 10;
    const f = (v: number) => (cm ? v / 10 : v).toFixed(1);
    return `${f(long)} × ${f(short)} ${cm ? 'cm' : 'mm'}`;
  }
  const d = sizeOf(anchor, fallback);
  return d === null ? null : `${d.toFixed(1)} mm`;
}

/** Finding anchors joined with their analysis finding, ranked by score (highest first). */
export function findingRows(anchors: Anchor[], analysis: Analysis | null, lang: Lang): FindingRow[] {
  return anchors
    .filter((a) => a.kind === 'finding')
    .map((anchor) => {
      const f = analysis?.findings.find((x) => x.id === anchor.findingId);
      const name = anchor.label[lang].replace(new RegExp(`^${anchor.id}\\s*`), '');
      return {
        anchor,
        score: f?.score ?? null,
        sizeMm: sizeOf(anchor, f?.diameterMm ?? null),
        sizeText: sizeTextOf(anchor, f?.diameterMm ?? null),
        name,
      };
    })
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
}

/** "A1 左肺下叶结节 0.96 · 7.9 mm", or "… 0.97 · 1.9 × 1.5 cm" once refined */
export function rowText(r: FindingRow): string {
  const parts = [r.score !== null ? r.score.toFixed(2) : null, r.sizeText].filter(Boolean);
  return `${r.anchor.id} ${r.name}${parts.length ? ` ${parts.join(' · ')}` : ''}`;
}
