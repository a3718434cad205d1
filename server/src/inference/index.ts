/** Model inference: Triton model folders, runtime-neutral runners, and one inference unit per model. */
export { loadModels, type ModelRegistry, type LoadedModel, type ModelTask, type RegistryConfig } from './registry';
export { readModelFolder, readTritonConfig, parsePbtxt, type ModelFolder, type TritonConfig } from './tritonConfig';
export { anatomyInput, resizeGrey, zScore } from './preprocess';
export { anatomyModel, type AnatomyModel, type AnatomyModelConfig } from './anatomyModel';
export { lesionModel, operatingPoint, type LesionModel, type LesionModelConfig } from './lesionModel';
export { runnerFactory, type InferenceRuntime, type ModelRunner, type RunnerFactory, type TensorData } from './runner';
export {
  ANATOMY_CLASSES,
  type AnatomyClass,
  type AnatomyProbabilities,
  type LesionProbabilities,
  type OperatingPoint,
  type ProviderState,
} from './types';
