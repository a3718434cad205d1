/**
 * The anatomy model as one inference unit (issue 16; MONAI Label's InferTask): its config from the
 * model folder, pre-processing (direct resize to S×S, per-image z-score), the run, and the
 * post-processing into typed AnatomyProbabilities.
 */
import { anatomyInput } from './preprocess';
import type { ModelRunner } from './runner';
import type { ModelFolder } from './tritonConfig';
import { ANATOMY_CLASSES, type AnatomyProbabilities } from './types';

export interface AnatomyModelConfig {
  /** Square input side S (config.pbtxt input dims). */
  inputSize: number;
  inputName: string;
  outputName: string;
  /** Output channel names (labels.txt; the shipped order when absent). */
  labels: string[];
}

/** [height, width] from the first input's dims (the last two; Triton dims may omit the batch). */
export function inputSizeOf(f: ModelFolder): [number, number] | null {
  const dims = f.config.inputs[0]?.dims ?? [];
  if (dims.length < 2) return null;
  const h = dims[dims.length - 2]!,
    w = dims[dims.length - 1]!;
  return h > 0 && w > 0 ? [h, w] : null;
}

/** A square input side from the folder (default `fallback`); throws for a non-square input. */
export function squareInputSize(f: ModelFolder, fallback: number): number {
  const [h, w] = inputSizeOf(f) ?? [fallback, fallback];
  if (h !== w) throw new Error(`${f.name}: model input must be square`);
  return w;
}

export function anatomyConfig(folder: ModelFolder, runner: ModelRunner): AnatomyModelConfig {
  return {
    inputSize: squareInputSize(folder, 256),
    inputName: folder.config.inputs[0]?.name || runner.inputNames[0]!,
    outputName: folder.config.outputs[0]?.name || runner.outputNames[0]!,
    labels: folder.labels.length ? folder.labels : [...ANATOMY_CLASSES],
  };
}

export interface AnatomyModel {
  config: AnatomyModelConfig;
  /** Sigmoid maps of the display image (values in [0,1], bright = dense) at model resolution. */
  infer(display: Float32Array, width: number, height: number): Promise<AnatomyProbabilities>;
}

export function anatomyModel(folder: ModelFolder, runner: ModelRunner): AnatomyModel {
  const config = anatomyConfig(folder, runner);
  const S = config.inputSize;
  return {
    config,
    async infer(display, width, height) {
      const input = anatomyInput(display, width, height, S);
      const out = await runner.run({ [config.inputName]: { data: input, dims: [1, 1, S, S] } });
      const probs = out[config.outputName];
      if (!probs) throw new Error(`anatomy model has no output "${config.outputName}"`);
      return { width: S, height: S, labels: config.labels, data: probs.data };
    },
  };
}
