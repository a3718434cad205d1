/** onnxruntime wrapper: Triton model folders, sessions, preprocessing. */
export { loadModels, type ModelRegistry, type LoadedModel } from './registry';
export { readModelFolder, readTritonConfig, parsePbtxt, type ModelFolder, type TritonConfig } from './tritonConfig';
export { anatomyInput, resizeGrey, zScore } from './preprocess';
export { ANATOMY_CLASSES, type AnatomyClass, type AnatomyProbabilities, type ProviderState } from './types';
