/**
 * Pure geometry between the server's image-pixel shapes (api.md 1.3, 8.2) and point lists.
 * No Cornerstone here, so it runs under node for unit tests.
 */
import type { Geometry, Point } from '../api/contract';

const round2 = (v: number) => Math.round(v * 100) / 100;
export const roundPoint = (p: readonly number[]): Point => [round2(p[0]), round2(p[1])];

/** An ellipse (rotation clockwise from +x in image space, where y points down) as a closed polygon. */
export function ellipseToPolygon(center: Point, radii: [number, number], rotationDeg: number, n = 64): Point[] {
  const th = (rotationDeg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(th), Math.sin(th)];
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const x = radii[0] * Math.cos(a);
    const y = radii[1] * Math.sin(a);
    out.push([center[0] + x * cos - y * sin, center[1] + x * sin + y * cos]);
  }
  return out;
}

/** The drawable paths of a Geometry: polygons/ellipses closed, polylines open, a point as itself. */
export function geometryPaths(g: Geometry): { points: Point[]; closed: boolean }[] {
  switch (g.type) {
    case 'point':
      return [{ points: [g.point], closed: false }];
    case 'ellipse':
      return [{ points: ellipseToPolygon(g.center, g.radii, g.rotationDeg), closed: true }];
    case 'polygon':
      return [{ points: g.points, closed: true }];
    case 'polyline':
      return [{ points: g.points, closed: false }];
  }
}

/** Centroid of a point list (vertex mean; enough to place a label). */
export function centroid(points: Point[]): Point {
  const n = points.length || 1;
  return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
}

/**
 * OHIF's EllipticalROI stores its four handles as [bottom, top, left, right] (image-space after
 * conversion). The server wants centre, radii along the rotated axes and the clockwise rotation.
 */
export function ellipseFromHandles(handles: Point[]): Geometry {
  const [bottom, top, left, right] = handles;
  const center: Point = [(left[0] + right[0] + top[0] + bottom[0]) / 4, (left[1] + right[1] + top[1] + bottom[1]) / 4];
  const rx = Math.hypot(right[0] - left[0], right[1] - left[1]) / 2;
  const ry = Math.hypot(top[0] - bottom[0], top[1] - bottom[1]) / 2;
  const rotationDeg = (Math.atan2(right[1] - left[1], right[0] - left[0]) * 180) / Math.PI;
  return {
    type: 'ellipse',
    center: roundPoint(center),
    radii: [round2(rx), round2(ry)],
    rotationDeg: round2(rotationDeg),
  };
}

/** A freehand contour as the server's polygon: closing duplicate dropped, decimated to maxPoints. */
export function polygonFromContour(points: Point[], maxPoints = 2000): Geometry {
  let pts = points.map(roundPoint);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (pts.length > 1 && first[0] === last[0] && first[1] === last[1]) pts = pts.slice(0, -1);
  if (pts.length > maxPoints) {
    const step = pts.length / maxPoints;
    pts = Array.from({ length: maxPoints }, (_, i) => pts[Math.floor(i * step)]);
  }
  return { type: 'polygon', points: pts };
}

/** Clamps a point into the image (handles may sit a fraction of a pixel outside after conversion). */
export function clampToImage(p: Point, columns: number, rows: number): Point {
  return [Math.min(columns, Math.max(0, p[0])), Math.min(rows, Math.max(0, p[1]))];
}
