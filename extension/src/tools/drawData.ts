import type { Types as CoreTypes } from '@cornerstonejs/core';

type Point3 = CoreTypes.Point3;
import type { Annotation, Measurement, Style } from '../api/contract';

/**
 * What host/ stores in `annotation.data.cxr` for our tools: the server annotation (image pixel
 * coordinates, for hover and SR) plus the same geometry already converted to world coordinates,
 * so rendering is only world→canvas.
 */
export interface CxrDrawData {
  ann: Annotation;
  /** Index of the marker for kind "points" (one Cornerstone annotation per marker), else 0. */
  part: number;
  paths: { points: Point3[]; closed: boolean }[];
  /** Where a label, marker or link midpoint sits. */
  anchor: Point3;
  /** What a label names (its lesion's outline, the link, the marker): the label is placed beside it. */
  extent: Point3[];
  text: string[];
  measurement: Measurement | null;
  /** Heatmap: the image corners (0,0), (cols,0), (0,rows) in world, and the coloured PNG as a data URL. */
  corners?: [Point3, Point3, Point3];
  imageSize?: [number, number];
  href?: string;
}

/**
 * SVG stroke options from a server style (api.md 11). Outlines stay thin so the edge they grade
 * stays visible: 1.5–2 px, 2.5 px when focused or highlighted (hover, list selection).
 */
export function strokeOptions(
  style: Style,
  highlighted = false,
): { color: string; lineWidth: number; lineDash: string | undefined; strokeOpacity: number } {
  const focused = highlighted || style.emphasis === 'focus';
  return {
    color: style.color,
    lineWidth: focused ? 2.5 : style.emphasis === 'muted' ? 1.5 : Math.min(2, Math.max(1.5, style.lineWidth)),
    lineDash: style.lineDash === 'dashed' ? '6,4' : undefined,
    strokeOpacity: style.emphasis === 'muted' && !highlighted ? 0.6 : 1,
  };
}
