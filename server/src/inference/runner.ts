/**
 * The runtime-neutral model runner (issue 18): a session opened from the model's bytes that maps
 * named float32 inputs to named float32 outputs. Implemented with onnxruntime-node (nodeRunner.ts)
 * and onnxruntime-web (wasmRunner.ts: WASM in Node and in the browser, WebGPU in the browser); the
 * model units (anatomyModel.ts, lesionModel.ts) only see this interface.
 */
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';

/** A dense float32 tensor, row-major, with its dims. */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export interface ModelRunner {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model once; the outputs are copies the caller owns. */
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

export interface OpenedRunner {
  runner: ModelRunner;
  /** The provider the model actually runs on. */
  provider: ExecutionProvider;
  /** Why the requested provider was not used (one line), else null. */
  fallbackReason: string | null;
}

/** Which onnxruntime package runs the models: onnxruntime-node, or onnxruntime-web's WASM backend. */
export type InferenceRuntime = 'node' | 'wasm';

export interface RunnerFactory {
  runtime: InferenceRuntime;
  open(model: Uint8Array, requested: ExecutionProvider, logger: Logger, modelName: string): Promise<OpenedRunner>;
}

/** The factory of a runtime; onnxruntime-web is only loaded when it is asked for. */
export async function runnerFactory(runtime: InferenceRuntime = 'node'): Promise<RunnerFactory> {
  if (runtime === 'wasm') return (await import('./wasmRunner')).wasmRunnerFactory;
  return (await import('./nodeRunner')).nodeRunnerFactory;
}

/** First line of an error message, at most 200 characters (status and log lines). */
export const firstLine = (e: unknown): string =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .slice(0, 200);

/** The part of an onnxruntime session (node or web) that sessionRunner uses. */
interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  release(): Promise<void>;
}

/**
 * Wraps an onnxruntime session as a ModelRunner: `toTensor` builds each input tensor, `runOnce` runs
 * the session, `readOutputs` copies the outputs out (and disposes what it owns) given the inputs.
 */
export function sessionRunner<T>(
  session: OrtSessionLike,
  toTensor: (v: TensorData) => T,
  runOnce: (tensors: Record<string, T>) => Promise<Record<string, T>>,
  readOutputs: (result: Record<string, T>, inputs: Record<string, T>) => Promise<Record<string, TensorData>>,
): ModelRunner {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors: Record<string, T> = {};
      for (const [k, v] of Object.entries(feeds)) tensors[k] = toTensor(v);
      return readOutputs(await runOnce(tensors), tensors);
    },
    release: () => session.release(),
  };
}

/**
 * Opens a model on `requested` via `openOn`; a non-CPU provider that fails falls back to CPU with one
 * warn line.
 */
export async function openWithCpuFallback(
  requested: ExecutionProvider,
  logger: Logger,
  modelName: string,
  openOn: (provider: ExecutionProvider) => Promise<ModelRunner>,
): Promise<OpenedRunner> {
  if (requested !== 'cpu') {
    try {
      return { runner: await openOn(requested), provider: requested, fallbackReason: null };
    } catch (e) {
      const reason = `${requested} execution provider unavailable: ${firstLine(e)}`;
      logger.warn('execution provider fallback to cpu', { model: modelName, requested, reason });
      return { runner: await openOn('cpu'), provider: 'cpu', fallbackReason: reason };
    }
  }
  return { runner: await openOn('cpu'), provider: 'cpu', fallbackReason: null };
}
