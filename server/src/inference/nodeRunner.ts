/** ModelRunner on onnxruntime-node with the configured execution provider and a single-line CPU fallback. */
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';
import { firstLine, type ModelRunner, type OpenedRunner, type RunnerFactory, type TensorData } from './runner';

const options = (provider: ExecutionProvider): ort.InferenceSession.SessionOptions => ({
  executionProviders: [provider],
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});

/** Wraps an onnxruntime-node session as a ModelRunner. */
export function nodeRunner(session: ort.InferenceSession): ModelRunner {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) tensors[k] = new ort.Tensor('float32', v.data, [...v.dims]);
      const result = await session.run(tensors);
      const out: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(result))
        out[k] = { data: new Float32Array(t.data as Float32Array), dims: t.dims };
      for (const t of Object.values(tensors)) t.dispose?.();
      return out;
    },
    release: () => session.release(),
  };
}

/** Opens the model on `requested`; a GPU provider that fails falls back to CPU with one warn line. */
async function open(
  model: Uint8Array,
  requested: ExecutionProvider,
  logger: Logger,
  modelName: string,
): Promise<OpenedRunner> {
  if (requested !== 'cpu') {
    try {
      const session = await ort.InferenceSession.create(model, options(requested));
      return { runner: nodeRunner(session), provider: requested, fallbackReason: null };
    } catch (e) {
      const reason = `${requested} execution provider unavailable: ${firstLine(e)}`;
      logger.warn('execution provider fallback to cpu', { model: modelName, requested, reason });
      const session = await ort.InferenceSession.create(model, options('cpu'));
      return { runner: nodeRunner(session), provider: 'cpu', fallbackReason: reason };
    }
  }
  const session = await ort.InferenceSession.create(model, options('cpu'));
  return { runner: nodeRunner(session), provider: 'cpu', fallbackReason: null };
}

export const nodeRunnerFactory: RunnerFactory = { runtime: 'node', open };
