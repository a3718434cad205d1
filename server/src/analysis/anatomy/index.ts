/** Anatomy analysis (api.md 5): structures, landmarks, zones, bands, lobes, CTR, locations, masks. */
export {
  buildAnatomy,
  unavailableAnatomy,
  isLateralView,
  warmUpAnatomy,
  type AnatomyResult,
  type BuildAnatomyOptions,
} from './buildAnatomy';
export { locate, locateWithoutAnatomy, lobePhrase, type LocateOptions } from './locate';
export { renderMaskPng, type MaskId } from './maskPng';
export { loadLobeParams, lobeProbabilities, type LobeParams } from './lobes';
export { isStandardOrientation, type AnatomyState } from './state';
export { lungFrame, lungCoords, type LungFrame } from './lungFrame';
