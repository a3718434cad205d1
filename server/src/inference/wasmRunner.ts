/**
 * ModelRunner on onnxruntime-web: the WebGPU execution provider where the platform has one, else its
 * WASM backend. In Node it runs the same WASM build the browser runs (the parity test and the bench
 * use it to measure the browser's WASM path); WebGPU is only reachable in a browser.
 */
import * as ort from 'onnxruntime-web';
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';
import { openWithCpuFallback, sessionRunner, type ModelRunner, type RunnerFactory, type TensorData } from './runner';

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let configured = false;
/** One WASM thread in Node: the server shares its cores with the decode pool and other requests. */
function configureOnce(): void {
  if (configured) return;
  configured = true;
  if (inNode) ort.env.wasm.numThreads = 1;
}

/** Wraps an onnxruntime-web session as a ModelRunner. */
export function wasmRunner(session: ort.InferenceSession): ModelRunner {
  return sessionRunner<ort.Tensor>(
    session,
    (v) => new ort.Tensor('float32', v.data, [...v.dims]),
    (tensors) => session.run(tensors) as Promise<Record<string, ort.Tensor>>,
    async (result) => {
      const out: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(result)) {
        // a WebGPU output may live on the GPU: getData() downloads it
        const data = (await t.getData()) as Float32Array;
        out[k] = { data: new Float32Array(data), dims: t.dims };
        t.dispose();
      }
      return out;
    },
  );
}

const create = (model: Uint8Array, ep: 'webgpu' | 'wasm') =>
  ort.InferenceSession.create(model, { executionProviders: [ep], graphOptimizationLevel: 'all' });

/** Opens the model on WebGPU when asked (browser only), else on WASM; a failing WebGPU falls back to WASM. */
function open(model: Uint8Array, requested: ExecutionProvider, logger: Logger, modelName: string) {
  configureOnce();
  return openWithCpuFallback(requested, logger, modelName, async (provider) => {
    if (provider === 'cpu') return wasmRunner(await create(model, 'wasm'));
    if (provider !== 'webgpu') throw new Error('onnxruntime-web has no CUDA provider');
    if (inNode) throw new Error('WebGPU is only available in a browser');
    return wasmRunner(await create(model, 'webgpu'));
  });
}

export const wasmRunnerFactory: RunnerFactory = { runtime: 'wasm', open };
