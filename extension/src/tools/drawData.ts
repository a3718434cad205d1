import type { Point3 } from '@cornerstonejs/core';
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
  text: string[];
  measurement: Measurement | null;
  /** Heatmap: the image corners (0,0), (cols,0), (0,rows) in world, and the coloured PNG as a data URL. */
  corners?: [Point3, Point3, Point3];
  imageSize?: [number, number];
  href?: string;
}

/** SVG drawing options from a server style (api.md 11): emphasis scales width and opacity. */
export function strokeOptions(style: Style): { color: string; lineWidth: number; lineDash: string | undefined; strokeOpacity: number } {
  const k = style.emphasis === 'focus' ? 1.6 : style.emphasis === 'muted' ? 0.75 : 1;
  return {
    color: style.color,
    lineWidth: Math.max(1, style.lineWidth * k),
    lineDash: style.lineDash === 'dashed' ? '6,4' : undefined,
    strokeOpacity: style.emphasis === 'muted' ? 0.55 : 1,
  };
}

/** Text options: readable on any grey level thanks to a dark box. */
export function textOptions(style: Style): Record<string, unknown> {
  return {
    color: style.color,
    background: 'rgba(0, 0, 0, 0.55)',
    fontSize: style.emphasis === 'focus' ? '15px' : '13px',
    padding: 4,
    centerY: false,
  };
}
