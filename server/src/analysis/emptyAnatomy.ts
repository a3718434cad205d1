import type { Anatomy } from '../contract';

/** The Anatomy object when none could be computed (api.md 5: every array empty). */
export function unavailableAnatomy(reason: 'no_model' | 'not_frontal' | 'failed'): Anatomy {
  return {
    available: false, unavailableReason: reason, modelRef: null,
    zoneConvention: 'thirds_of_lung_height', bandConvention: 'thirds_of_lung_width',
    structures: [], zones: [], bands: [], landmarks: [], lobes: null, cardiothoracicRatio: null,
  };
}
