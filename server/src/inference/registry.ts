/** The installed models: discovery in MODELS_DIR, runners, status (api.md 3) and the two inference units. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config, ExecutionProvider } from '../config';
import type { ModelRef, ModelStatus } from '../contract';
import type { Logger } from '../logger';
import { anatomyModel, inputSizeOf, type AnatomyModel } from './anatomyModel';
import { lesionModel, operatingPoint, type LesionModel } from './lesionModel';
import { firstLine, runnerFactory, type InferenceRuntime, type ModelRunner, type RunnerFactory } from './runner';
import { readModelFolder, type ModelFolder } from './tritonConfig';
import type { AnatomyProbabilities, ProviderState } from './types';

export type ModelTask = 'anatomy' | 'lesion';

export interface LoadedModel {
  folder: ModelFolder;
  task: ModelTask;
  runner: ModelRunner | null;
  provider: ExecutionProvider;
  inputSize: [number, number] | null;
  error: string | null;
}

export interface ModelRegistry {
  /** api.md 3 `models`: one entry per installed model folder ([] when none). */
  status(): ModelStatus[];
  /** api.md 3 `executionProvider`. */
  executionProvider(): ProviderState;
  /** Which onnxruntime runs the models (INFERENCE_RUNTIME). */
  runtime: InferenceRuntime;
  /** The model of a task when it loaded, else null. */
  get(task: ModelTask): LoadedModel | null;
  /** ModelRef of a loaded model ("cxr-anatomy", "1", provider), else null. */
  ref(task: ModelTask): ModelRef | null;
  /** The inference units of the loaded models, else null. */
  anatomy: AnatomyModel | null;
  lesion: LesionModel | null;
  hasAnatomy(): boolean;
  /** Runs the anatomy model on the display image (values in [0,1], bright = dense). */
  runAnatomy(display: Float32Array, width: number, height: number): Promise<AnatomyProbabilities>;
  close(): Promise<void>;
}

export type RegistryConfig = Pick<Config, 'modelsDir' | 'executionProvider' | 'lesionThreshold'> & {
  inferenceRuntime?: InferenceRuntime;
};

const taskOf = (f: ModelFolder): ModelTask => {
  const t = f.config.parameters.task;
  if (t === 'anatomy' || t === 'lesion') return t;
  return /lesion/.test(f.name) ? 'lesion' : 'anatomy';
};

/** The model folders (those with a config.pbtxt) under `dir`, sorted. */
function modelDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(
      (d) =>
        !d.startsWith('.') &&
        statSync(path.join(dir, d)).isDirectory() &&
        existsSync(path.join(dir, d, 'config.pbtxt')),
    )
    .sort();
}

/** Reads and opens one folder; a broken model is kept with its error, an unreadable folder is skipped. */
async function loadOne(
  dir: string,
  factory: RunnerFactory,
  requested: ExecutionProvider,
  logger: Logger,
): Promise<{ entry: LoadedModel; fallbackReason: string | null } | null> {
  let folder: ModelFolder;
  try {
    folder = readModelFolder(dir);
  } catch (e) {
    logger.warn('model not loaded', { model: path.basename(dir), reason: (e as Error).message });
    return null;
  }
  const entry: LoadedModel = {
    folder,
    task: taskOf(folder),
    runner: null,
    provider: 'cpu',
    inputSize: inputSizeOf(folder),
    error: null,
  };
  try {
    const opened = await factory.open(new Uint8Array(readFileSync(folder.onnxPath)), requested, logger, folder.name);
    entry.runner = opened.runner;
    entry.provider = opened.provider;
    logger.info('model loaded', {
      model: folder.name,
      version: folder.version,
      provider: opened.provider,
      runtime: factory.runtime,
    });
    return { entry, fallbackReason: opened.fallbackReason };
  } catch (e) {
    entry.error = firstLine(e);
    logger.warn('model not loaded', { model: folder.name, reason: entry.error });
    return { entry, fallbackReason: null };
  }
}

/** api.md 3 status of one model; the lesion operating point is the one the analyser uses. */
function statusOf(m: LoadedModel, override: number | null): ModelStatus {
  return {
    name: m.folder.name,
    version: m.folder.version,
    task: m.task,
    provider: m.provider,
    loaded: m.runner !== null,
    inputSize: m.inputSize,
    operatingPoint: m.task === 'lesion' ? operatingPoint(m.folder.config.parameters, override) : null,
    sha256: m.folder.sha256,
  };
}

/** Loads every model folder under `config.modelsDir`; a missing or broken folder never throws. */
export async function loadModels(config: RegistryConfig, logger: Logger): Promise<ModelRegistry> {
  const factory = await runnerFactory(config.inferenceRuntime ?? 'node');
  const models: LoadedModel[] = [];
  let fallbackReason: string | null = null;
  for (const d of modelDirs(config.modelsDir)) {
    const r = await loadOne(path.join(config.modelsDir, d), factory, config.executionProvider, logger);
    if (!r) continue;
    models.push(r.entry);
    fallbackReason ??= r.fallbackReason;
  }
  const loaded = (task: ModelTask) => models.find((m) => m.task === task && m.runner) ?? null;
  const a = loaded('anatomy'),
    l = loaded('lesion');
  // a unit whose config is unusable (e.g. a non-square input) leaves its task without a model
  const unit = <T>(m: LoadedModel | null, make: (m: LoadedModel) => T): T | null => {
    if (!m) return null;
    try {
      return make(m);
    } catch (e) {
      m.error = firstLine(e);
      logger.warn('model not usable', { model: m.folder.name, reason: m.error });
      return null;
    }
  };
  const anatomy = unit(a, (m) => anatomyModel(m.folder, m.runner!));
  const lesion = unit(l, (m) => lesionModel(m.folder, m.runner!, config.lesionThreshold));
  return {
    status: () => models.map((m) => statusOf(m, config.lesionThreshold)),
    executionProvider: () => ({
      requested: config.executionProvider,
      active: models.length && fallbackReason ? 'cpu' : config.executionProvider,
      fallbackReason,
    }),
    runtime: factory.runtime,
    get: loaded,
    ref: (task) => {
      const m = loaded(task);
      return m ? { name: m.folder.name, version: m.folder.version, provider: m.provider } : null;
    },
    anatomy,
    lesion,
    hasAnatomy: () => anatomy !== null,
    async runAnatomy(display, width, height) {
      if (!anatomy) throw new Error('anatomy model not loaded');
      return anatomy.infer(display, width, height);
    },
    async close() {
      for (const m of models) await m.runner?.release();
    },
  };
}
