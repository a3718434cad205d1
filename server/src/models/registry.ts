/** The installed models: discovery in MODELS_DIR, sessions, status (api.md 3) and the anatomy run. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Config, ExecutionProvider } from '../config';
import type { ModelRef, ModelStatus } from '../contract';
import type { Logger } from '../logger';
import { anatomyInput } from './preprocess';
import { createSession } from './session';
import { readModelFolder, type ModelFolder } from './tritonConfig';
import { ANATOMY_CLASSES, type AnatomyProbabilities, type ProviderState } from './types';

export interface LoadedModel {
  folder: ModelFolder;
  task: 'anatomy' | 'lesion';
  session: ort.InferenceSession | null;
  provider: ExecutionProvider;
  inputSize: [number, number] | null;
  error: string | null;
}

export interface ModelRegistry {
  /** api.md 3 `models`: one entry per installed model folder ([] when none). */
  status(): ModelStatus[];
  /** api.md 3 `executionProvider`. */
  executionProvider(): ProviderState;
  /** The model of a task when it loaded, else null. */
  get(task: 'anatomy' | 'lesion'): LoadedModel | null;
  /** ModelRef of a loaded model ("cxr-anatomy", "1", provider), else null. */
  ref(task: 'anatomy' | 'lesion'): ModelRef | null;
  hasAnatomy(): boolean;
  /** Runs the anatomy model on the display image (values in [0,1], bright = dense). */
  runAnatomy(display: Float32Array, width: number, height: number): Promise<AnatomyProbabilities>;
  close(): Promise<void>;
}

const taskOf = (f: ModelFolder): 'anatomy' | 'lesion' => {
  const t = f.config.parameters.task;
  if (t === 'anatomy' || t === 'lesion') return t;
  return /lesion/.test(f.name) ? 'lesion' : 'anatomy';
};

/** [height, width] from the first input's dims (the last two; Triton dims may omit the batch). */
function inputSizeOf(f: ModelFolder): [number, number] | null {
  const dims = f.config.inputs[0]?.dims ?? [];
  if (dims.length < 2) return null;
  const h = dims[dims.length - 2]!,
    w = dims[dims.length - 1]!;
  return h > 0 && w > 0 ? [h, w] : null;
}

/** Loads every model folder under `config.modelsDir`; a missing or broken folder never throws. */
export async function loadModels(
  config: Pick<Config, 'modelsDir' | 'executionProvider' | 'lesionThreshold'>,
  logger: Logger,
): Promise<ModelRegistry> {
  const models: LoadedModel[] = [];
  let fallbackReason: string | null = null;
  let active: ExecutionProvider = config.executionProvider;
  const dirs = existsSync(config.modelsDir)
    ? readdirSync(config.modelsDir).filter(
        (d) =>
          !d.startsWith('.') &&
          statSync(path.join(config.modelsDir, d)).isDirectory() &&
          existsSync(path.join(config.modelsDir, d, 'config.pbtxt')),
      )
    : [];
  for (const d of dirs.sort()) {
    let folder: ModelFolder;
    try {
      folder = readModelFolder(path.join(config.modelsDir, d));
    } catch (e) {
      logger.warn('model not loaded', { model: d, reason: (e as Error).message });
      continue;
    }
    const entry: LoadedModel = {
      folder,
      task: taskOf(folder),
      session: null,
      provider: 'cpu',
      inputSize: inputSizeOf(folder),
      error: null,
    };
    try {
      const s = await createSession(folder.onnxPath, config.executionProvider, logger, folder.name);
      entry.session = s.session;
      entry.provider = s.provider;
      if (s.fallbackReason) {
        fallbackReason ??= s.fallbackReason;
        active = 'cpu';
      }
      logger.info('model loaded', { model: folder.name, version: folder.version, provider: s.provider });
    } catch (e) {
      entry.error = String((e as Error).message ?? e).split('\n')[0]!;
      logger.warn('model not loaded', { model: folder.name, reason: entry.error });
    }
    models.push(entry);
  }
  const loaded = (task: 'anatomy' | 'lesion') => models.find((m) => m.task === task && m.session) ?? null;

  return {
    status: () =>
      models.map((m) => {
        // the analyser reads the same key order (buildAnalysers.ts): operating_point, else the legacy threshold
        const p = m.folder.config.parameters;
        const thr =
          m.task === 'lesion' ? (config.lesionThreshold ?? Number(p.operating_point ?? p.threshold ?? NaN)) : NaN;
        return {
          name: m.folder.name,
          version: m.folder.version,
          task: m.task,
          provider: m.provider,
          loaded: m.session !== null,
          inputSize: m.inputSize,
          operatingPoint: Number.isFinite(thr)
            ? {
                threshold: thr,
                note:
                  m.folder.config.parameters.operating_point_note ??
                  'detector probability threshold for reported findings',
              }
            : null,
          sha256: m.folder.sha256,
        };
      }),
    executionProvider: () => ({
      requested: config.executionProvider,
      active: models.length ? active : config.executionProvider,
      fallbackReason,
    }),
    get: loaded,
    ref: (task) => {
      const m = loaded(task);
      return m ? { name: m.folder.name, version: m.folder.version, provider: m.provider } : null;
    },
    hasAnatomy: () => loaded('anatomy') !== null,
    async runAnatomy(display, width, height) {
      const m = loaded('anatomy');
      if (!m || !m.session) throw new Error('anatomy model not loaded');
      const [S_h, S_w] = m.inputSize ?? [256, 256];
      if (S_h !== S_w) throw new Error('anatomy model input must be square');
      const inName = m.folder.config.inputs[0]?.name || m.session.inputNames[0]!;
      const outName = m.folder.config.outputs[0]?.name || m.session.outputNames[0]!;
      const input = new ort.Tensor('float32', anatomyInput(display, width, height, S_w), [1, 1, S_h, S_w]);
      const result = await m.session.run({ [inName]: input });
      const out = result[outName]!;
      const labels = m.folder.labels.length ? m.folder.labels : [...ANATOMY_CLASSES];
      const data = out.data as Float32Array;
      input.dispose?.();
      return { width: S_w, height: S_h, labels, data: new Float32Array(data) };
    },
    async close() {
      for (const m of models) await m.session?.release();
    },
  };
}
