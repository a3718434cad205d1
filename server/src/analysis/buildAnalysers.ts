/**
 * The analysers over the installed models: the inference units (inference/) produce the model
 * maps, the analysers turn them into the anatomy map and the findings. No onnxruntime here.
 */
import type { ModelRef, ModelStatus } from '../contract';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { loadModels, type AnatomyModel, type LesionModel, type ModelRegistry } from '../inference';
import type { AnalysisEntry } from '../store/types';
import type { Analysers, AnatomyAnalyser, AnatomyAnalysisState, LesionAnalyser } from './analysers';
import {
  buildAnatomy,
  loadLobeParams,
  locate,
  locateWithoutAnatomy,
  renderMaskPng,
  warmUpAnatomy,
  type LobeParams,
} from './anatomy';
import { extractFindings, renderHeatmapPng } from './lesions';
import { thoracicRegion } from './lesions/region';

/** The loaded models as the rest of the server sees them. */
export interface ModelRuntime {
  analysers: Analysers;
  status(): ModelStatus[];
  executionProvider(): ReturnType<ModelRegistry['executionProvider']>;
  renderMask: ((entry: AnalysisEntry, structure: string) => Promise<Buffer>) | null;
  renderHeatmap: ((entry: AnalysisEntry) => Promise<Buffer>) | null;
  close(): Promise<void>;
}

/** The lung fields of an anatomy state, on its grid (region and domain read them). */
const lungGrid = (m: AnatomyAnalysisState['masks']) => ({
  gridWidth: m.gridWidth,
  gridHeight: m.gridHeight,
  columns: m.columns,
  rows: m.rows,
  lungRight: m.fields.lung_right,
  lungLeft: m.fields.lung_left,
});

/** The anatomy analyser: model maps → anatomy map (api.md 5), locate, region and domain fields. */
export function anatomyAnalyser(model: AnatomyModel, ref: ModelRef, lobeParams: LobeParams): AnatomyAnalyser {
  return {
    ref,
    async run(frame, analysisId) {
      const probs = await model.infer(frame.display, frame.width, frame.height);
      const r = buildAnatomy(probs, frame.info, { analysisId, modelRef: `${ref.name}@${ref.version}`, lobeParams });
      return { anatomy: r.anatomy, state: { anatomy: r.anatomy, masks: r.state }, warnings: r.warnings };
    },
    locate: (state, point, info) =>
      state ? locate(state.anatomy, point, info, { lobeParams }) : locateWithoutAnatomy(point, info),
    region: (state) => thoracicRegion(lungGrid(state.masks)),
    domainFields: (state) => ({
      ...lungGrid(state.masks),
      heart: state.masks.fields.heart,
      mediastinum: state.masks.fields.mediastinum,
    }),
  };
}

/** The lesion analyser: model maps → findings at the model's operating point (api.md 6). */
export function lesionAnalyser(model: LesionModel, ref: ModelRef): LesionAnalyser {
  const c = model.config;
  const threshold = c.operatingPoint.threshold;
  return {
    ref,
    threshold,
    highConfidence: c.highConfidence,
    async run(frame, locateFn, opts = {}) {
      const probs = await model.infer(frame.display, frame.width, frame.height);
      // outlines in image px; a frame kept at reduced size (scale > 1) is not sampled for the border
      // (the detector map is, as without a display)
      const image = {
        width: frame.info.columns,
        height: frame.info.rows,
        info: frame.info,
        display: (frame.scale ?? 1) > 1 ? undefined : frame.display,
      };
      const findings = opts.suppressAll
        ? []
        : extractFindings(probs, image, threshold, locateFn, {
            contourLevel: c.contourLevel,
            opacityThreshold: opts.opacityThreshold ?? c.opacityThreshold,
            region: opts.region ?? null,
            minScore: opts.minScore,
          });
      return { findings, state: probs };
    },
  };
}

/** Analysers over an already loaded registry (the parity test builds one per runtime). */
export function analysersOf(registry: ModelRegistry): ModelRuntime {
  const lobeParams = loadLobeParams();
  const anatomyRef = registry.ref('anatomy'),
    lesionRef = registry.ref('lesion');
  // The first map build pays for JIT warm-up; do it at start, not in the first user's analysis.
  if (registry.anatomy && anatomyRef) warmUpAnatomy(lobeParams);
  const anatomy = registry.anatomy && anatomyRef ? anatomyAnalyser(registry.anatomy, anatomyRef, lobeParams) : null;
  const lesion = registry.lesion && lesionRef ? lesionAnalyser(registry.lesion, lesionRef) : null;
  return {
    analysers: {
      anatomy,
      lesion,
      fallbackLocate: locateWithoutAnatomy,
      providerFallback: registry.executionProvider().fallbackReason !== null,
    },
    status: () => registry.status(),
    executionProvider: () => registry.executionProvider(),
    renderMask: anatomy ? (entry, structure) => renderMaskPng(entry.pixels.anatomyState!.masks, structure) : null,
    renderHeatmap: lesion
      ? (entry) => {
          const p = entry.pixels.lesionState!;
          // full image size (api.md 7), also when the stored display frame is smaller
          return renderHeatmapPng(p.nodule, p.size, entry.analysis.image.columns, entry.analysis.image.rows);
        }
      : null,
    close: () => registry.close(),
  };
}

/** Loads whatever models MODELS_DIR holds; with none, every analyser is null (api.md 4.1). */
export async function buildAnalysers(config: Config, logger: Logger): Promise<ModelRuntime> {
  return analysersOf(await loadModels(config, logger));
}
