/** onnxruntime-node sessions with the configured execution provider and a single-line CPU fallback. */
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../config';
import type { Logger } from '../logger';

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  fallbackReason: string | null;
}

const options = (provider: ExecutionProvider): ort.InferenceSession.SessionOptions => ({
  executionProviders: [provider],
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});

/** Opens `onnxPath` on `requested`; a GPU provider that fails falls back to CPU with one warn line. */
export async function createSession(
  onnxPath: string,
  requested: ExecutionProvider,
  logger: Logger,
  modelName: string,
): Promise<CreatedSession> {
  if (requested !== 'cpu') {
    try {
      return {
        session: await ort.InferenceSession.create(onnxPath, options(requested)),
        provider: requested,
        fallbackReason: null,
      };
    } catch (e) {
      const reason = `${requested} execution provider unavailable: ${String((e as Error).message ?? e)
        .split('\n')[0]!
        .slice(0, 200)}`;
      logger.warn('execution provider fallback to cpu', { model: modelName, requested, reason });
      return {
        session: await ort.InferenceSession.create(onnxPath, options('cpu')),
        provider: 'cpu',
        fallbackReason: reason,
      };
    }
  }
  return {
    session: await ort.InferenceSession.create(onnxPath, options('cpu')),
    provider: 'cpu',
    fallbackReason: null,
  };
}
