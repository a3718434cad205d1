/**
 * The runtime-neutral half of an analysis (issue 18): from decoded pixels — whatever the pixel source
 * (Node: imaging/decode in a worker pool; a browser: the viewer's decoded frame) — through the models
 * and the anatomy map to the Analysis JSON and the state later turns need. No Node-only imports.
 */
import type { Analysis, ImageInfo, Location, Point, Warning } from '../contract';
import type { Limits } from '../config';
import { boundedFrame, type StoredFrame } from '../imaging/displayFrame';
import { newId, nowIso } from '../ids';
import type { AnalysisEntry, AnalysisPixels } from '../store/types';
import {
  locatePoint,
  type Analysers,
  type AnatomyAnalysisState,
  type FrameForAnalysis,
  type LesionAnalysisState,
  type LesionRunOptions,
} from './analysers';
import { isLateralView, unavailableAnatomy } from './anatomy';
import { domainOf } from './domain';
import { analysisWarning, isAnalysisWarning } from './analysisWarnings';

/** What a pixel source delivers: display values in [0,1] (bright = dense), the image header, warnings. */
export interface DecodedFrame {
  width: number;
  height: number;
  display: Float32Array;
  info: ImageInfo;
  warnings: Warning[];
  /** The bounded frame when the source already made it (else made here, MAX_DISPLAY_SIDE). */
  stored?: StoredFrame;
  /** Acquisition day (days since 1970-01-01 UTC), internal (docs/prior.md). */
  acquiredDay?: number | null;
}

/** Where the pixels came from and what the source cost (api.md 4.3 `source`, `timingsMs`). */
export interface FrameOrigin {
  sourceKind: 'upload' | 'dicomweb';
  mediaType: Analysis['source']['mediaType'];
  fetchMs: number | null;
  decodeMs: number;
  /** performance.now() when the analysis started (the total includes decoding). */
  startedAt: number;
}

// performance.now(): a monotonic clock in Node and in the browser
export const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** Runs whichever models are installed on a decoded frame and assembles the Analysis (api.md 4.3). */
export async function analyseFrame(
  decoded: DecodedFrame,
  origin: FrameOrigin,
  analysers: Analysers,
  limits: Limits,
  ttlMs: number,
  signal?: AbortSignal,
): Promise<AnalysisEntry> {
  const id = newId('an_');
  // the frame that is kept is also what the models see: at most MAX_DISPLAY_SIDE px (imaging/displayFrame.ts)
  const stored = decoded.stored ?? boundedFrame(decoded.display, decoded.width, decoded.height, limits.maxDisplaySide);
  const frame: FrameForAnalysis = {
    width: stored.width,
    height: stored.height,
    display: stored.display,
    info: decoded.info,
    scale: stored.scale,
  };
  const warnings: Warning[] = [...decoded.warnings];
  const models: Analysis['models'] = [];
  if (analysers.providerFallback) warnings.push(analysisWarning('execution_provider_fallback'));

  const a = await anatomyStage(analysers, frame, id, warnings, models);
  const { anatomy, anatomyState, anatomyMs } = a;
  const locate = (p: Point): Location => locatePoint(analysers, anatomyState, p, decoded.info);
  const { domain, lesionOpts } = domainStage(analysers, a, decoded, frame);

  signal?.throwIfAborted();
  const { findings, lesionState, lesionMs } = await lesionStage(analysers, frame, locate, lesionOpts, warnings, models);

  signal?.throwIfAborted();
  const created = Date.now();
  const analysis: Analysis = {
    id,
    createdAt: nowIso(created),
    expiresAt: nowIso(created + ttlMs),
    source: { kind: origin.sourceKind, mediaType: origin.mediaType },
    image: decoded.info,
    anatomy,
    findings,
    models,
    warnings,
    timingsMs: {
      fetch: origin.fetchMs,
      decode: origin.decodeMs,
      anatomy: anatomyMs,
      lesion: lesionMs,
      total: ms(origin.startedAt) + (origin.fetchMs ?? 0),
    },
    ...(domain ? { domain } : {}),
  };
  return {
    analysis,
    pixels: storedPixels(stored, anatomyState, lesionState),
    acquiredDay: decoded.acquiredDay ?? null,
  };
}

interface AnatomyStage {
  anatomy: Analysis['anatomy'];
  anatomyState: AnatomyAnalysisState | null;
  anatomyMs: number | null;
}

/** The anatomy model and map, when installed (api.md 5); warnings and model refs are appended. */
async function anatomyStage(
  analysers: Analysers,
  frame: FrameForAnalysis,
  id: string,
  warnings: Warning[],
  models: Analysis['models'],
): Promise<AnatomyStage> {
  if (!analysers.anatomy) {
    warnings.push(analysisWarning('anatomy_model_unavailable'));
    return { anatomy: unavailableAnatomy('no_model'), anatomyState: null, anatomyMs: null };
  }
  const ta = performance.now();
  const r = await analysers.anatomy.run(frame, id);
  for (const code of r.warnings) if (isAnalysisWarning(code)) warnings.push(analysisWarning(code));
  models.push(analysers.anatomy.ref);
  return { anatomy: r.anatomy, anatomyState: r.anatomy.available ? r.state : null, anatomyMs: ms(ta) };
}

/** api.md 4.3 domain and 6.1 thoracic lung region: only with an anatomy model that provides them. */
function domainStage(
  analysers: Analysers,
  a: AnatomyStage,
  decoded: DecodedFrame,
  frame: FrameForAnalysis,
): { domain: Analysis['domain']; lesionOpts: LesionRunOptions } {
  if (!analysers.anatomy?.region) return { domain: undefined, lesionOpts: {} };
  const st = a.anatomyState;
  const region = st ? analysers.anatomy.region(st) : null;
  const fields = st && analysers.anatomy.domainFields ? analysers.anatomy.domainFields(st) : null;
  const d = domainOf(
    fields,
    region,
    decoded.info,
    frame.display,
    frame.width,
    frame.height,
    a.anatomy.available,
    isLateralView(decoded.info.viewPosition),
  );
  return {
    domain: d.domain,
    lesionOpts: {
      region,
      suppressAll: d.notChest,
      minScore: d.domain.inDomain ? undefined : analysers.lesion?.highConfidence,
    },
  };
}

/** The lesion model and findings, when installed (api.md 6); warnings and model refs are appended. */
async function lesionStage(
  analysers: Analysers,
  frame: FrameForAnalysis,
  locate: (p: Point) => Location,
  opts: LesionRunOptions,
  warnings: Warning[],
  models: Analysis['models'],
): Promise<{ findings: Analysis['findings']; lesionState: LesionAnalysisState | null; lesionMs: number | null }> {
  if (!analysers.lesion) {
    warnings.push(analysisWarning('lesion_model_unavailable'));
    return { findings: [], lesionState: null, lesionMs: null };
  }
  const tl = performance.now();
  const r = await analysers.lesion.run(frame, locate, opts);
  models.push(analysers.lesion.ref);
  return { findings: r.findings, lesionState: r.state, lesionMs: ms(tl) };
}

/** What the analysis keeps for later turns and the cache: the bounded display frame and the analysers' states. */
function storedPixels(
  f: StoredFrame,
  anatomyState: AnatomyAnalysisState | null,
  lesionState: LesionAnalysisState | null,
): AnalysisPixels {
  const pixels: AnalysisPixels = { width: f.width, height: f.height, display: f.display, anatomyState, lesionState };
  if (f.scale > 1) pixels.scale = f.scale;
  return pixels;
}
