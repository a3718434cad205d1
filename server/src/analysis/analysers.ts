import type { Anatomy, Finding, ImageInfo, Location, ModelRef, Point, WarningCode } from '../contract';
import type { ThoracicRegion } from './lesions/region';
import type { DomainFields } from './domain';
import type { AnatomyState } from './anatomy/state';
import type { LesionProbs } from './lesions';

/** What the anatomy analyser keeps per analysis: the map (for locate) and the masks (for PNGs, region, domain). */
export interface AnatomyAnalysisState {
  anatomy: Anatomy;
  masks: AnatomyState;
}

/** What the lesion analyser keeps per analysis: its probability maps at model resolution (heatmap PNG). */
export type LesionAnalysisState = LesionProbs;

/**
 * The decoded frame as the analysers see it (from imaging/decode): the full image, or for an image
 * larger than MAX_DISPLAY_SIDE its block-averaged frame (`scale` image px per frame px; the models
 * resize to 256²/512² anyway). Image coordinates come from `info` (rows, columns).
 */
export interface FrameForAnalysis {
  width: number;
  height: number;
  display: Float32Array;
  info: ImageInfo;
  scale?: number;
}

export interface AnatomyResult {
  anatomy: Anatomy;
  state: AnatomyAnalysisState;
  warnings: WarningCode[];
}

/** The anatomy model plus its map builder; absent when no model is installed. */
export interface AnatomyAnalyser {
  ref: ModelRef;
  run(frame: FrameForAnalysis, analysisId: string): Promise<AnatomyResult>;
  /** Location of any point (api.md 5.4); state is null without anatomy. */
  locate(state: AnatomyAnalysisState | null, point: Point, info: ImageInfo): Location;
  /** The thoracic lung region (api.md 6.1) of an analysis' state; null when no lung was found. */
  region?(state: AnatomyAnalysisState): ThoracicRegion | null;
  /** The fields the image-domain check reads (api.md 4.3). */
  domainFields?(state: AnatomyAnalysisState): DomainFields | null;
}

/** How the pipeline restricts the findings (api.md 4.3 domain, 6.1 region). */
export interface LesionRunOptions {
  region?: ThoracicRegion | null;
  /** Out of domain: only candidates at or above this score (the high-confidence band). */
  minScore?: number;
  /** No finding at all (not a chest). */
  suppressAll?: boolean;
  /** Evaluation only: channel-1 level instead of the model's opacity_threshold. */
  opacityThreshold?: number;
}

export interface LesionResult {
  findings: Finding[];
  state: LesionAnalysisState;
}

export interface LesionAnalyser {
  ref: ModelRef;
  threshold: number;
  /** Lowest score of the high-confidence band reported on out-of-domain images (model card). */
  highConfidence?: number;
  run(frame: FrameForAnalysis, locate: (p: Point) => Location, opts?: LesionRunOptions): Promise<LesionResult>;
}

export interface Analysers {
  anatomy: AnatomyAnalyser | null;
  lesion: LesionAnalyser | null;
  /** True when the configured execution provider fell back to the CPU. */
  providerFallback: boolean;
  /** Location without anatomy: side by image half and orientation only (api.md 4.6). */
  fallbackLocate(point: Point, info: ImageInfo): Location;
}

/** Where a point lies: on the anatomy model's map when it ran on this image, else by side alone. */
export function locatePoint(
  analysers: Pick<Analysers, 'anatomy' | 'fallbackLocate'>,
  anatomyState: AnatomyAnalysisState | null | undefined,
  point: Point,
  info: ImageInfo,
): Location {
  return analysers.anatomy && anatomyState
    ? analysers.anatomy.locate(anatomyState, point, info)
    : analysers.fallbackLocate(point, info);
}
