/** Report regions (api.md 14.1) and their headings. */
import type { Bilingual, Lang, Location, ReportRegion } from '../contract';

/** The fixed order of the findings sections. */
export const REGION_ORDER: readonly ReportRegion[] = [
  'lung_right',
  'lung_left',
  'mediastinum_hila',
  'heart',
  'pleura',
  'other',
];

const TITLES: Record<ReportRegion, Bilingual> = {
  lung_right: { zh: '右肺', en: 'Right lung' },
  lung_left: { zh: '左肺', en: 'Left lung' },
  mediastinum_hila: { zh: '纵隔及肺门', en: 'Mediastinum and hila' },
  heart: { zh: '心脏', en: 'Heart' },
  pleura: { zh: '胸膜', en: 'Pleura' },
  other: { zh: '骨骼、管线及其他', en: 'Bones, lines and other' },
};

export const regionTitle = (r: ReportRegion, lang: Lang): string => TITLES[r][lang];

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
