import * as ort from 'onnxruntime-node';
import type { ModelStatus } from '../contract';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { anatomyInput, loadModels, type ModelRegistry } from '../models';
import type { AnalysisEntry } from '../store/types';
import type { Analysers, AnatomyAnalyser, LesionAnalyser } from './analysers';
import {
  buildAnatomy,
  loadLobeParams,
  locate,
  locateWithoutAnatomy,
  renderMaskPng,
  warmUpAnatomy,
  type AnatomyState,
} from './anatomy';
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

/** Runs the lesion model on the left-right mirror of a [1,1,S,S] input; returns its [1,C,S,S] output mirrored back. */
async function runFlipped(
  session: ort.InferenceSession,
  inName: string,
  outName: string,
  x: Float32Array,
  S: number,
): Promise<Float32Array> {
  const m = new Float32Array(S * S);
  for (let y = 0; y < S; y++) for (let i = 0; i < S; i++) m[y * S + i] = x[y * S + S - 1 - i]!;
  const t = new ort.Tensor('float32', m, [1, 1, S, S]);
  const o = (await session.run({ [inName]: t }))[outName]!.data as Float32Array;
  t.dispose?.();
  const back = new Float32Array(o.length);
  for (let c = 0; c < o.length / (S * S); c++)
    for (let y = 0; y < S; y++) {
      const r = c * S * S + y * S;
      for (let i = 0; i < S; i++) back[r + i] = o[r + S - 1 - i]!;
    }
  return back;
}

/** Element-wise mean of two maps. */
export function averageWithFlip(a: Float32Array, b: Float32Array, _S: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = 0.5 * (a[i]! + b[i]!);
  return out;
}

/** What the anatomy analyser keeps per analysis: the map (for locate) and the masks (for PNGs). */
interface AnatomyKept {
  anatomy: Anatomy;
  masks: AnatomyState;
}

/** Loads whatever models MODELS_DIR holds; with none, every analyser is null (api.md 4.1). */
export async function buildAnalysers(config: Config, logger: Logger): Promise<ModelRuntime> {
  const registry = await loadModels(config, logger);
  const lobeParams = loadLobeParams();
  const anatomyRef = registry.ref('anatomy');
  // The first map build pays for JIT warm-up; do it at start, not in the first user's analysis.
  if (anatomyRef) warmUpAnatomy(lobeParams);
  const lesionModel = registry.get('lesion');
  const lesionRef = registry.ref('lesion');

  const anatomy: AnatomyAnalyser | null = anatomyRef
    ? {
        ref: anatomyRef,
        async run(frame, analysisId) {
          const probs = await registry.runAnatomy(frame.display, frame.width, frame.height);
          const r = buildAnatomy(probs, frame.info, {
            analysisId,
            modelRef: `${anatomyRef.name}@${anatomyRef.version}`,
            lobeParams,
          });
          const kept: AnatomyKept = { anatomy: r.anatomy, masks: r.state };
          return { anatomy: r.anatomy, state: kept, warnings: r.warnings };
        },
        locate: (state, point, info) =>
          state
            ? locate((state as AnatomyKept).anatomy, point, info, { lobeParams })
            : locateWithoutAnatomy(point, info),
        region: (state) => {
          const m = (state as AnatomyKept | null)?.masks;
          return m
            ? thoracicRegion({
                gridWidth: m.gridWidth,
                gridHeight: m.gridHeight,
                columns: m.columns,
                rows: m.rows,
                lungRight: m.fields.lung_right,
                lungLeft: m.fields.lung_left,
              })
            : null;
        },
        domainFields: (state) => {
          const m = (state as AnatomyKept | null)?.masks;
          return m
            ? {
                gridWidth: m.gridWidth,
                gridHeight: m.gridHeight,
                columns: m.columns,
                rows: m.rows,
                lungRight: m.fields.lung_right,
                lungLeft: m.fields.lung_left,
                heart: m.fields.heart,
                mediastinum: m.fields.mediastinum,
              }
            : null;
        },
      }
    : null;

  let lesion: LesionAnalyser | null = null;
  if (lesionModel?.session && lesionRef) {
    const session = lesionModel.session;
    const [S] = lesionModel.inputSize ?? [512, 512];
    const params = lesionModel.folder.config.parameters;
    const threshold = config.lesionThreshold ?? Number(params.operating_point ?? params.threshold ?? 0.5);
    const contourLevel = params.contour_level !== undefined ? Number(params.contour_level) : undefined;
    const ot = Number(params.opacity_threshold ?? NaN);
    const opacityThreshold = Number.isFinite(ot) ? ot : undefined;
    const hc = Number(params.high_confidence ?? NaN);
    const highConfidence = Number.isFinite(hc) ? Math.max(hc, threshold) : Math.max(0.95, threshold);
    // test-time augmentation: the mean of the maps of the image and its mirror image (model card)
    const flipTta = params.test_time_flip === '1' || params.test_time_flip === 'true';
    const inName = lesionModel.folder.config.inputs[0]?.name || session.inputNames[0]!;
    const outName = lesionModel.folder.config.outputs[0]?.name || session.outputNames[0]!;
    lesion = {
      ref: lesionRef,
      threshold,
      highConfidence,
      async run(frame, locateFn, opts = {}) {
        const input = new ort.Tensor('float32', anatomyInput(frame.display, frame.width, frame.height, S), [
          1,
          1,
          S,
          S,
        ]);
        const out = (await session.run({ [inName]: input }))[outName]!;
        let data = out.data as Float32Array;
        if (flipTta)
          data = averageWithFlip(data, await runFlipped(session, inName, outName, input.data as Float32Array, S), S);
        const probs: LesionProbs = { nodule: data.slice(0, S * S), opacity: data.slice(S * S, 2 * S * S), size: S };
        input.dispose?.();
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
              contourLevel,
              opacityThreshold: opts.opacityThreshold ?? opacityThreshold,
              region: opts.region ?? null,
              minScore: opts.minScore,
            });
        return { findings, state: probs };
      },
    };
  }

  return {
    analysers: {
      anatomy,
      lesion,
      fallbackLocate: locateWithoutAnatomy,
      providerFallback: registry.executionProvider().fallbackReason !== null,
    },
    status: () => registry.status(),
    executionProvider: () => registry.executionProvider(),
    renderMask: anatomy
      ? (entry, structure) => renderMaskPng((entry.pixels.anatomyState as AnatomyKept).masks, structure)
      : null,
    renderHeatmap: lesion
      ? (entry) => {
          const p = entry.pixels.lesionState as LesionProbs;
          // full image size (api.md 7), also when the stored display frame is smaller
          return renderHeatmapPng(p.nodule, p.size, entry.analysis.image.columns, entry.analysis.image.rows);
        }
      : null,
    close: () => registry.close(),
  };
}
