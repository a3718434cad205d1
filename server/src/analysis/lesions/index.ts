/** Lesion findings and heatmap from the cxr-lesion model's output (api.md 6, 7). */
export {
  extractFindings,
  compareFindings,
  scoreBand,
  noduleRegions,
  opacityRegions,
  regionContour,
  PEAK_REGION_LEVEL,
  CONTOUR_LEVEL,
  OPACITY_THRESHOLD,
  MASS_MIN_MM,
  SCORE_BANDS,
} from './extract';
export type { LesionProbs, LesionImage, ExtractOptions } from './extract';
export { renderHeatmapPng, upsampleToBytes } from './heatmap';
export { classifyShape, shapeMetrics, edgeSharpness, SHAPE_THRESHOLDS, BORDER_THRESHOLDS } from './shape';
export type { Shape, ShapeMetrics } from './shape';
export { describe, placeText } from './text';
