import type { Analysis, Session } from '../contract';
import type { AnatomyAnalysisState, LesionAnalysisState } from '../analysis/analysers';

/** Everything derived from the pixels that later turns need; kept beside the Analysis JSON. */
export interface AnalysisPixels {
  width: number;
  height: number;
  /** Display-ready grey values 0..1 (bright = dense), width × height (the image's rows × columns / scale). */
  display: Float32Array;
  /**
   * Image px per display px: 1 (or absent) for a frame stored at full resolution; an integer > 1 for
   * an image larger than MAX_DISPLAY_SIDE, stored block-averaged (imaging/displayFrame.ts).
   */
  scale?: number;
  /** State of the anatomy analyser (map and masks at model resolution), or null without a model. */
  anatomyState: AnatomyAnalysisState | null;
  /** Lesion probability maps at model resolution, or null without a model. */
  lesionState: LesionAnalysisState | null;
}

export interface AnalysisEntry {
  analysis: Analysis;
  pixels: AnalysisPixels;
  /**
   * Day number (days since 1970-01-01 UTC) of the image's acquisition, from its DICOM dates; null or
   * absent when unknown. Internal: only intervals are ever returned (api.md 8.4, docs/prior.md).
   */
  acquiredDay?: number | null;
}

/** Session JSON plus the counters that keep ids unique and never reused (api.md 1.2). */
export interface SessionState {
  session: Session;
  counters: { anchor: number; annotation: number; turn: number };
  /** Refinement results by parent anchor id (focused re-analysis cache, api.md 10.6). */
  refinements: Record<string, unknown>;
  /** Anchor ids of the most recent list shown (overview), for ordinal references. */
  lastListed: string[];
}

export interface AnalysisStore {
  put(entry: AnalysisEntry): void;
  /** Returns the entry and extends its lifetime, or null when unknown or expired. */
  get(id: string): AnalysisEntry | null;
  delete(id: string): boolean;
  /** Live (unexpired) analyses, for the MAX_ANALYSES cap. */
  count?(): number;
  /** Like put, with the pixel file written off the event loop (the server uses this one). */
  putAsync?(entry: AnalysisEntry): Promise<void>;
}

export interface SessionStore {
  count(): number;
  get(id: string): SessionState | null;
  /** Writes the whole state of one session at once: a turn is all there or not at all. */
  save(state: SessionState): void;
  delete(id: string): boolean;
  /** Ids of sessions that use an analysis. */
  byAnalysis(analysisId: string): string[];
}
