/** Report regions (api.md 14.1) and their headings. */
import type { Bilingual, Lang, Location, ReportRegion } from '../contract';
import { anatomyName } from '../ontology';
import { cap } from './phrases';

/** The fixed order of the findings sections. */
export const REGION_ORDER: readonly ReportRegion[] = [
  'lung_right',
  'lung_left',
  'mediastinum_hila',
  'heart',
  'pleura',
  'other',
];

/** Headings of the regions the lexicon does not name as one structure; the others use its preferred names. */
const COMPOSITE_TITLES: Partial<Record<ReportRegion, Bilingual>> = {
  mediastinum_hila: { zh: '纵隔及肺门', en: 'Mediastinum and hila' },
  other: { zh: '骨骼、管线及其他', en: 'Bones, lines and other' },
};

export function regionTitle(r: ReportRegion, lang: Lang): string {
  const name = COMPOSITE_TITLES[r] ?? anatomyName(r) ?? { zh: r, en: r };
  return lang === 'zh' ? name.zh : cap(name.en);
}

/**
 * The region a location belongs to: the lung of its side when it lies in (or projects over) a
 * lung, the heart or mediastinum by structure, else the side's lung when only the side is known.
 */
export function regionOfLocation(loc: Location | null): ReportRegion {
  if (!loc) return 'other';
  if (loc.structureId === 'heart') return loc.inLung || loc.retrocardiac ? lungOf(loc) : 'heart';
  if (loc.structureId === 'mediastinum' || loc.structureId === 'trachea') return 'mediastinum_hila';
  return lungOf(loc);
}

function lungOf(loc: Location): ReportRegion {
  if (loc.side === 'right') return 'lung_right';
  if (loc.side === 'left') return 'lung_left';
  return 'other';
}
