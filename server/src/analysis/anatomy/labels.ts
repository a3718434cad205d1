/** Bilingual names of anatomy (api.md 5). */
import type { Bilingual, LandmarkId, Lobe, StructureId } from '../../contract';
import lexicon from '../../../../ontology/lexicon.json';

/** The segmented structures, in the order of Anatomy.structures (api.md 5.1). */
export const STRUCTURE_IDS: readonly StructureId[] = [
  'lung_right',
  'lung_left',
  'heart',
  'mediastinum',
  'trachea',
  'clavicle_right',
  'clavicle_left',
];

/** The landmarks of the anatomy map (api.md 5.2). */
export const LANDMARK_IDS: readonly LandmarkId[] = [
  'hilum_right',
  'hilum_left',
  'carina',
  'apex_right',
  'apex_left',
  'costophrenic_angle_right',
  'costophrenic_angle_left',
  'cardiophrenic_angle_right',
  'cardiophrenic_angle_left',
  'hemidiaphragm_right',
  'hemidiaphragm_left',
  'heart_border_right',
  'heart_border_left',
  'aortic_knob',
  'midline',
];

/**
 * The lexicon's preferred name of an anatomy id. Read from the JSON itself (not the ontology
 * loader), so that this runtime-neutral module stays free of Node file access.
 */
function lexiconName(id: string): Bilingual {
  const entry = lexicon.entries.find((e) => e.target.id === id);
  if (!entry) throw new Error(`ontology/lexicon.json has no entry for ${id}`);
  return entry.preferred;
}

/** Structure names: the lexicon's (ontology/lexicon.json), one name everywhere. */
export const STRUCTURE_LABELS = Object.fromEntries(STRUCTURE_IDS.map((id) => [id, lexiconName(id)])) as Record<
  StructureId,
  Bilingual
>;

/** Landmark names: the lexicon's (ontology/lexicon.json). */
export const LANDMARK_LABELS = Object.fromEntries(LANDMARK_IDS.map((id) => [id, lexiconName(id)])) as Record<
  LandmarkId,
  Bilingual
>;

export const LOBE_NAMES: Record<Lobe, { zh: string; zhShort: string; en: string }> = {
  RUL: { zh: '右肺上叶', zhShort: '上叶', en: 'right upper lobe' },
  RML: { zh: '右肺中叶', zhShort: '中叶', en: 'right middle lobe' },
  RLL: { zh: '右肺下叶', zhShort: '下叶', en: 'right lower lobe' },
  LUL: { zh: '左肺上叶', zhShort: '上叶', en: 'left upper lobe' },
  LLL: { zh: '左肺下叶', zhShort: '下叶', en: 'left lower lobe' },
  lingula: { zh: '左肺舌段', zhShort: '舌段', en: 'lingula' },
};

export const ZONE_NAMES = {
  upper: { zh: '上野', en: 'upper zone' },
  middle: { zh: '中野', en: 'mid zone' },
  lower: { zh: '下野', en: 'lower zone' },
} as const;

export const BAND_NAMES = {
  inner: { zh: '内带', en: 'inner band' },
  middle: { zh: '中带', en: 'middle band' },
  outer: { zh: '外带', en: 'outer band' },
} as const;

export const SIDE_NAMES = { right: { zh: '右', en: 'right' }, left: { zh: '左', en: 'left' } } as const;
