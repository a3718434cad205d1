/** Bilingual names of anatomy (api.md 5). */
import type { Bilingual, LandmarkId, Lobe, StructureId } from '../../contract';

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

export const STRUCTURE_LABELS: Record<StructureId, Bilingual> = {
  lung_right: { zh: '右肺', en: 'right lung' },
  lung_left: { zh: '左肺', en: 'left lung' },
  heart: { zh: '心脏(心影)', en: 'heart' },
  mediastinum: { zh: '纵隔', en: 'mediastinum' },
  trachea: { zh: '气管', en: 'trachea' },
  clavicle_right: { zh: '右锁骨', en: 'right clavicle' },
  clavicle_left: { zh: '左锁骨', en: 'left clavicle' },
};

export const LANDMARK_LABELS: Record<LandmarkId, Bilingual> = {
  hilum_right: { zh: '右肺门', en: 'right hilum' },
  hilum_left: { zh: '左肺门', en: 'left hilum' },
  carina: { zh: '隆突', en: 'carina' },
  apex_right: { zh: '右肺尖', en: 'right lung apex' },
  apex_left: { zh: '左肺尖', en: 'left lung apex' },
  costophrenic_angle_right: { zh: '右肋膈角', en: 'right costophrenic angle' },
  costophrenic_angle_left: { zh: '左肋膈角', en: 'left costophrenic angle' },
  cardiophrenic_angle_right: { zh: '右心膈角', en: 'right cardiophrenic angle' },
  cardiophrenic_angle_left: { zh: '左心膈角', en: 'left cardiophrenic angle' },
  hemidiaphragm_right: { zh: '右侧膈肌(膈顶)', en: 'right hemidiaphragm' },
  hemidiaphragm_left: { zh: '左侧膈肌(膈顶)', en: 'left hemidiaphragm' },
  heart_border_right: { zh: '右心缘', en: 'right heart border' },
  heart_border_left: { zh: '左心缘', en: 'left heart border' },
  aortic_knob: { zh: '主动脉结', en: 'aortic knob' },
  midline: { zh: '中线', en: 'midline' },
};

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
