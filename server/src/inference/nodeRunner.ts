/** ModelRunner on onnxruntime-node with the configured execution provider and a single-line CPU fallback. */
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';
import { openWithCpuFallback, sessionRunner, type ModelRunner, type RunnerFactory, type TensorData } from './runner';

const options = (provider: ExecutionProvider): ort.InferenceSession.SessionOptions => ({
  executionProviders: [provider],
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});

/** Wraps an onnxruntime-node session as a ModelRunner. */
export function nodeRunner(session: ort.InferenceSession): ModelRunner {
  return sessionRunner<ort.Tensor>(
    session,
    (v) => new ort.Tensor('float32', v.data, [...v.dims]),
    (tensors) => session.run(tensors) as Promise<Record<string, ort.Tensor>>,
    async (result, inputs) => {
      const out: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(result))
        out[k] = { data: new Float32Array(t.data as Float32Array), dims: t.dims };
      for (const t of Object.values(inputs)) t.dispose?.();
      return out;
    },
  );
}

/** Opens the model on `requested`; a GPU provider that fails falls back to CPU with one warn line. */
const open = (model: Uint8Array, requested: ExecutionProvider, logger: Logger, modelName: string) =>
  openWithCpuFallback(requested, logger, modelName, async (provider) =>
    nodeRunner(await ort.InferenceSession.create(model, options(provider))),
  );

export const nodeRunnerFactory: RunnerFactory = { runtime: 'node', open };
