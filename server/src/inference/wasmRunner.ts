/**
 * ModelRunner on onnxruntime-web: the WebGPU execution provider where the platform has one, else its
 * WASM backend. In Node it runs the same WASM build the browser runs (the parity test and the bench
 * use it to measure the browser's WASM path); WebGPU is only reachable in a browser.
 */
import * as ort from 'onnxruntime-web';
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';
import { firstLine, type ModelRunner, type OpenedRunner, type RunnerFactory, type TensorData } from './runner';

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
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) tensors[k] = new ort.Tensor('float32', v.data, [...v.dims]);
      const result = await session.run(tensors);
      const out: Record<string, TensorData> = {};
      for (const [k, t] of Object.entries(result)) {
        // a WebGPU output may live on the GPU: getData() downloads it
        const data = (await t.getData()) as Float32Array;
        out[k] = { data: new Float32Array(data), dims: t.dims };
        t.dispose();
      }
      return out;
    },
    release: () => session.release(),
  };
}

const create = (model: Uint8Array, ep: 'webgpu' | 'wasm') =>
  ort.InferenceSession.create(model, { executionProviders: [ep], graphOptimizationLevel: 'all' });

/** Opens the model on WebGPU when asked (browser only), else on WASM; a failing WebGPU falls back to WASM. */
async function open(
  model: Uint8Array,
  requested: ExecutionProvider,
  logger: Logger,
  modelName: string,
): Promise<OpenedRunner> {
  configureOnce();
  if (requested !== 'cpu') {
    try {
      if (requested !== 'webgpu') throw new Error('onnxruntime-web has no CUDA provider');
      if (inNode) throw new Error('WebGPU is only available in a browser');
      return { runner: wasmRunner(await create(model, 'webgpu')), provider: 'webgpu', fallbackReason: null };
    } catch (e) {
      const reason = `${requested} execution provider unavailable: ${firstLine(e)}`;
      logger.warn('execution provider fallback to cpu', { model: modelName, requested, reason });
      return { runner: wasmRunner(await create(model, 'wasm')), provider: 'cpu', fallbackReason: reason };
    }
  }
  return { runner: wasmRunner(await create(model, 'wasm')), provider: 'cpu', fallbackReason: null };
}

export const wasmRunnerFactory: RunnerFactory = { runtime: 'wasm', open };
