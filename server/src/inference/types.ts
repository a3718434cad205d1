/** Shapes shared by the model runtime and the analysers. */
import type { ExecutionProvider } from '../config';

/** Channel order of the anatomy model's "probs" output (models/cxr-anatomy/labels.txt). */
export const ANATOMY_CLASSES = [
  'lung_right',
  'lung_left',
  'heart',
  'clavicle_right',
  'clavicle_left',
  'cardiomediastinum',
  'trachea',
] as const;
export type AnatomyClass = (typeof ANATOMY_CLASSES)[number];

/**
 * Sigmoid probabilities at model resolution: `data` is channel-major [c][y][x], `width`×`height`
 * covering the whole image (aspect not kept), channels named by `labels`.
 */
export interface AnatomyProbabilities {
  width: number;
  height: number;
  labels: string[];
  data: Float32Array;
}

export interface ProviderState {
  requested: ExecutionProvider;
  active: ExecutionProvider;
  fallbackReason: string | null;
}

/** The lesion model's maps at model resolution: channel 0 (nodule) and 1 (opacity), each size×size. */
export interface LesionProbabilities {
  nodule: Float32Array;
  opacity: Float32Array;
  size: number;
}

/** api.md 3 `operatingPoint` of a lesion model. */
export interface OperatingPoint {
  threshold: number;
  note: string;
}
