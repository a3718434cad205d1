/**
 * host/: the only code that touches OHIF services and Cornerstone. The panel and the commands talk
 * to the viewer through these functions and nothing else.
 */
import type { Lang } from '../api/contract';
import { setDrawingLanguage } from './annotations';
import { setHoverLanguage } from './hover';
import { setMeasurementLanguage } from './measurements';

export { setOhifContext, notify, cxrConfig, commandsManager } from './context';
export { getActiveImage, getImageBytes, zoomTo, resetView, patientAttributes, type ActiveImage } from './image';
export {
  applyAnnotations,
  clearAll,
  setDrawingTarget,
  toggleHeatmap,
  hasHeatmap,
  setHeatmapOpacity,
  setAnchorVisible,
  highlightAnchor,
  setAnchorLineage,
} from './annotations';
export { watchUserDrawings, labelUserDrawing, type UserDrawing } from './userDrawings';
export { watchActiveImage } from './activeImage';
export { attachHover, detachHover } from './hover';
export { registerMeasurementMappings } from './measurements';
export { registerTools } from './toolList';
export { ohifLanguage, watchOhifLanguage } from './language';
export { heatmapLegendCss } from './heatmap';
export { storeThroughDataSource, dicomwebDataSource } from './dataSource';
export { findPriorStudy, priorImageRef } from './priors';
export { showPriorBeside } from './priorView';

/** The language of labels we draw and list (follows OHIF's language). */
export function setHostLanguage(lang: Lang): void {
  setDrawingLanguage(lang);
  setHoverLanguage(lang);
  setMeasurementLanguage(lang);
}
