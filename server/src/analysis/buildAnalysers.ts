import * as ort from 'onnxruntime-node';
import type { ModelStatus } from '../contract';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { anatomyInput, loadModels, type ModelRegistry } from '../models';
import type { AnalysisEntry } from '../store/types';
import type { Analysers, AnatomyAnalyser, LesionAnalyser } from './analysers';
import { buildAnatomy, loadLobeParams, locate, locateWithoutAnatomy, renderMaskPng, warmUpAnatomy, type AnatomyState } from './anatomy';
import { extractFindings, renderHeatmapPng, type LesionProbs } from './lesions';
import { thoracicRegion } from './lesions/region';
import type { Anatomy } from '../contract';

/** The loaded models as the rest of the server sees them. */
export interface ModelRuntime {
  analysers: Analysers;
  status(): ModelStatus[];
  executionProvider(): ReturnType<ModelRegistry['executionProvider']>;
  renderMask: ((entry: AnalysisEntry, structure: string) => Promise<Buffer>) | null;
  renderHeatmap: ((entry: AnalysisEntry) => Promise<Buffer>) | null;
  close(): Promise<void>;
}

/** What the anatomy analyser keeps per analysis: the map (for locate) and the masks (for PNGs). */
interface AnatomyKept { anatomy: Anatomy; masks: AnatomyState }

/** Loads whatever models MODELS_DIR holds; with none, every analyser is null (api.md 4.1). */
export async function buildAnalysers(config: Config, logger: Logger): Promise<ModelRuntime> {
  const registry = await loadModels(config, logger);
  const lobeParams = loadLobeParams();
  const anatomyRef = registry.ref('anatomy');
  // The first map build pays for JIT warm-up; do it at start, not in the first user's analysis.
  if (anatomyRef) warmUpAnatomy(lobeParams);
  const lesionModel = registry.get('lesion');
  const lesionRef = registry.ref('lesion');

  const anatomy: AnatomyAnalyser | null = anatomyRef ? {
    ref: anatomyRef,
    async run(frame, analysisId) {
      const probs = await registry.runAnatomy(frame.display, frame.width, frame.height);
      const r = buildAnatomy(probs, frame.info, { analysisId, modelRef: `${anatomyRef.name}@${anatomyRef.version}`, lobeParams });
      const kept: AnatomyKept = { anatomy: r.anatomy, masks: r.state };
      return { anatomy: r.anatomy, state: kept, warnings: r.warnings };
    },
    locate: (state, point, info) => state ? locate((state as AnatomyKept).anatomy, point, info, { lobeParams }) : locateWithoutAnatomy(point, info),
    region: (state) => {
      const m = (state as AnatomyKept | null)?.masks;
      return m ? thoracicRegion({ gridWidth: m.gridWidth, gridHeight: m.gridHeight, columns: m.columns, rows: m.rows, lungRight: m.fields.lung_right, lungLeft: m.fields.lung_left }) : null;
    },
    domainFields: (state) => {
      const m = (state as AnatomyKept | null)?.masks;
      return m ? { gridWidth: m.gridWidth, gridHeight: m.gridHeight, columns: m.columns, rows: m.rows,
        lungRight: m.fields.lung_right, lungLeft: m.fields.lung_left, heart: m.fields.heart, mediastinum: m.fields.mediastinum } : null;
    },
  } : null;

  let lesion: LesionAnalyser | null = null;
  if (lesionModel?.session && lesionRef) {
    const session = lesionModel.session;
    const [S] = lesionModel.inputSize ?? [512, 512];
    const params = lesionModel.folder.config.parameters;
    const threshold = config.lesionThreshold ?? Number(params.operating_point ?? params.threshold ?? 0.5);
    const contourLevel = params.contour_level !== undefined ? Number(params.contour_level) : undefined;
    const hc = Number(params.high_confidence ?? NaN);
    const highConfidence = Number.isFinite(hc) ? Math.max(hc, threshold) : Math.max(0.95, threshold);
    const inName = lesionModel.folder.config.inputs[0]?.name || session.inputNames[0]!;
    const outName = lesionModel.folder.config.outputs[0]?.name || session.outputNames[0]!;
    lesion = {
      ref: lesionRef,
      threshold,
      highConfidence,
      async run(frame, locateFn, opts = {}) {
        const input = new ort.Tensor('float32', anatomyInput(frame.display, frame.width, frame.height, S), [1, 1, S, S]);
        const out = (await session.run({ [inName]: input }))[outName]!;
        const data = out.data as Float32Array;
        const probs: LesionProbs = { nodule: data.slice(0, S * S), opacity: data.slice(S * S, 2 * S * S), size: S };
        input.dispose?.();
        const findings = opts.suppressAll ? [] : extractFindings(probs, { width: frame.width, height: frame.height, info: frame.info, display: frame.display }, threshold, locateFn,
          { contourLevel, region: opts.region ?? null, minScore: opts.minScore });
        return { findings, state: probs };
      },
    };
  }

  return {
    analysers: {
      anatomy, lesion, fallbackLocate: locateWithoutAnatomy,
      providerFallback: registry.executionProvider().fallbackReason !== null,
    },
    status: () => registry.status(),
    executionProvider: () => registry.executionProvider(),
    renderMask: anatomy ? (entry, structure) => renderMaskPng((entry.pixels.anatomyState as AnatomyKept).masks, structure) : null,
    renderHeatmap: lesion ? (entry) => {
      const p = entry.pixels.lesionState as LesionProbs;
      // full image size (api.md 7), also when the stored display frame is smaller
      return renderHeatmapPng(p.nodule, p.size, entry.analysis.image.columns, entry.analysis.image.rows);
    } : null,
    close: () => registry.close(),
  };
}
