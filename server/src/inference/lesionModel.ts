/**
 * The lesion model as one inference unit (issue 16): its config and operating point from the model
 * folder (config.pbtxt parameters, see models/cxr-lesion/MODEL_CARD.md), pre-processing (the
 * anatomy model's: direct resize, per-image z-score), the run with test-time mirror averaging, and
 * the post-processing into the nodule and opacity maps.
 */
import { anatomyInput } from './preprocess';
import { squareInputSize } from './anatomyModel';
import type { ModelRunner } from './runner';
import type { ModelFolder } from './tritonConfig';
import type { LesionProbabilities, OperatingPoint } from './types';

/** The analyser's threshold when a model config names none. */
const DEFAULT_THRESHOLD = 0.5;

const finite = (v: string | undefined): number | undefined => {
  const n = Number(v ?? NaN);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The lesion model's operating point: LESION_THRESHOLD when set, else the config's `operating_point`
 * (or the legacy `threshold`), else 0.5. The one source for GET /api/v1/status and the analyser.
 */
export function operatingPoint(params: Record<string, string>, override: number | null): OperatingPoint {
  const fromConfig = finite(params.operating_point) ?? finite(params.threshold);
  const threshold = override ?? fromConfig ?? DEFAULT_THRESHOLD;
  const note =
    override !== null
      ? 'set by LESION_THRESHOLD'
      : fromConfig === undefined
        ? 'default: the model config names no operating point'
        : (params.operating_point_note ?? 'detector probability threshold for reported findings');
  return { threshold, note };
}

export interface LesionModelConfig {
  inputSize: number;
  inputName: string;
  outputName: string;
  operatingPoint: OperatingPoint;
  /** Probability level of the drawn outline (config `contour_level`). */
  contourLevel?: number;
  /** Channel-1 (opacity) level for a finding (config `opacity_threshold`). */
  opacityThreshold?: number;
  /** Lowest score of the high-confidence band (config `high_confidence`, never below the threshold). */
  highConfidence: number;
  /** Test-time augmentation: the mean of the maps of the image and its mirror image (model card). */
  flipTta: boolean;
}

export function lesionConfig(folder: ModelFolder, runner: ModelRunner, override: number | null): LesionModelConfig {
  const p = folder.config.parameters;
  const op = operatingPoint(p, override);
  return {
    inputSize: squareInputSize(folder, 512),
    inputName: folder.config.inputs[0]?.name || runner.inputNames[0]!,
    outputName: folder.config.outputs[0]?.name || runner.outputNames[0]!,
    operatingPoint: op,
    contourLevel: finite(p.contour_level),
    opacityThreshold: finite(p.opacity_threshold),
    highConfidence: Math.max(finite(p.high_confidence) ?? 0.95, op.threshold),
    flipTta: p.test_time_flip === '1' || p.test_time_flip === 'true',
  };
}

/** Left-right mirror of each S×S plane of a channel-major map. */
export function mirrorPlanes(x: Float32Array, S: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length; r += S) for (let i = 0; i < S; i++) out[r + i] = x[r + S - 1 - i]!;
  return out;
}

/** Element-wise mean of two maps. */
export function averageMaps(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = 0.5 * (a[i]! + b[i]!);
  return out;
}

export interface LesionModel {
  config: LesionModelConfig;
  /** Nodule and opacity probability maps of the display image (values in [0,1], bright = dense). */
  infer(display: Float32Array, width: number, height: number): Promise<LesionProbabilities>;
}

export function lesionModel(folder: ModelFolder, runner: ModelRunner, override: number | null): LesionModel {
  const config = lesionConfig(folder, runner, override);
  const S = config.inputSize;
  const dims = [1, 1, S, S];
  const runOnce = async (x: Float32Array): Promise<Float32Array> => {
    const out = (await runner.run({ [config.inputName]: { data: x, dims } }))[config.outputName];
    if (!out) throw new Error(`lesion model has no output "${config.outputName}"`);
    return out.data;
  };
  return {
    config,
    async infer(display, width, height) {
      const x = anatomyInput(display, width, height, S);
      let data = await runOnce(x);
      if (config.flipTta) data = averageMaps(data, mirrorPlanes(await runOnce(mirrorPlanes(x, S)), S));
      return { nodule: data.slice(0, S * S), opacity: data.slice(S * S, 2 * S * S), size: S };
    },
  };
}
