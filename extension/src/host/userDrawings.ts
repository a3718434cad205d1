import type { Types as ToolsTypes } from '@cornerstonejs/tools';
import { eventTarget } from '@cornerstonejs/core';
import { Enums as csToolsEnums } from '@cornerstonejs/tools';
import type { Geometry, Point } from '../api/contract';
import { clampToImage, ellipseFromHandles, polygonFromContour, roundPoint } from './geometry';
import { services } from './context';
import { worldToImage } from './image';
import type { UserDrawingEvents } from './types';

/** OHIF's stock tools whose drawings become `user` anchors (api.md 8.3). */
const USER_TOOLS = ['Probe', 'EllipticalROI', 'PlanarFreehandROI'] as const;

export type { UserDrawing, UserDrawingEvents } from './types';

/** Converts one finished stock annotation to the server's geometry in image pixels, or null. */
function toGeometry(ann: ToolsTypes.Annotation, rows: number, columns: number): Geometry | null {
  const imageId = ann.metadata?.referencedImageId;
  const points = ann.data.handles?.points ?? [];
  if (!imageId) return null;
  const img = (w: number[]): Point => clampToImage(worldToImage(imageId, w as [number, number, number]), columns, rows);
  switch (ann.metadata?.toolName) {
    case 'Probe':
      return points[0] ? { type: 'point', point: roundPoint(img(points[0])) } : null;
    case 'EllipticalROI':
      return points.length === 4 ? ellipseFromHandles(points.map(img)) : null;
    case 'PlanarFreehandROI': {
      const line: number[][] = ann.data.contour?.polyline ?? [];
      return line.length >= 3 ? polygonFromContour(line.map(img)) : null;
    }
    default:
      return null;
  }
}

/**
 * Listens for drawings the user completes with the stock tools on `imageId` and for their removal.
 * Returns the unsubscribe function.
 */
export function watchUserDrawings(
  image: { imageId: string; rows: number; columns: number },
  on: UserDrawingEvents,
): () => void {
  const E = csToolsEnums.Events;
  const isOurs = (ann: ToolsTypes.Annotation | undefined) =>
    ann?.metadata &&
    (USER_TOOLS as readonly string[]).includes(ann.metadata.toolName) &&
    ann.metadata.referencedImageId === image.imageId;
  const completed = (evt: Event) => {
    const ann = (evt as CustomEvent).detail?.annotation;
    if (!isOurs(ann)) return;
    try {
      const geometry = toGeometry(ann, image.rows, image.columns);
      if (geometry) on.completed({ uid: ann.annotationUID, imageId: image.imageId, geometry });
    } catch (e) {
      console.warn('[cxr-copilot] could not convert a drawing', e);
    }
  };
  const removed = (evt: Event) => {
    const ann = (evt as CustomEvent).detail?.annotation;
    if (isOurs(ann)) on.removed(ann.annotationUID);
  };
  eventTarget.addEventListener(E.ANNOTATION_COMPLETED, completed);
  eventTarget.addEventListener(E.ANNOTATION_REMOVED, removed);
  return () => {
    eventTarget.removeEventListener(E.ANNOTATION_COMPLETED, completed);
    eventTarget.removeEventListener(E.ANNOTATION_REMOVED, removed);
  };
}

/**
 * Names a user drawing after its anchor ("A8") through OHIF's MeasurementService, which lists it so
 * in the measurements panel and syncs the label onto the Cornerstone annotation.
 */
export function labelUserDrawing(uid: string, label: string): void {
  const { measurementService } = services();
  const m = measurementService.getMeasurement(uid);
  if (m && m.label !== label) measurementService.update(uid, { ...m, label }, true);
}
