import type { Anatomy, Finding, ImageInfo, Location, ModelRef, Point, WarningCode } from '../contract';

/** The decoded frame as the analysers see it (from imaging/decode). */
export interface FrameForAnalysis {
  width: number;
  height: number;
  display: Float32Array;
  info: ImageInfo;
}

export interface AnatomyResult { anatomy: Anatomy; state: unknown; warnings: WarningCode[] }

/** The anatomy model plus its map builder; absent when no model is installed. */
export interface AnatomyAnalyser {
  ref: ModelRef;
  run(frame: FrameForAnalysis, analysisId: string): Promise<AnatomyResult>;
  /** Location of any point (api.md 5.4); state is null without anatomy. */
  locate(state: unknown | null, point: Point, info: ImageInfo): Location;
}

export interface LesionResult { findings: Finding[]; state: unknown }

export interface LesionAnalyser {
  ref: ModelRef;
  threshold: number;
  run(frame: FrameForAnalysis, locate: (p: Point) => Location): Promise<LesionResult>;
}

export interface Analysers {
  anatomy: AnatomyAnalyser | null;
  lesion: LesionAnalyser | null;
  /** True when the configured execution provider fell back to the CPU. */
  providerFallback: boolean;
  /** Location without anatomy: side by image half and orientation only (api.md 4.6). */
  fallbackLocate(point: Point, info: ImageInfo): Location;
}
