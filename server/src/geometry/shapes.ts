import type { Geometry, Point, Polygon } from '../contract';

/** An ellipse sampled as a polygon (rotation clockwise from +x in image space, y down). */
export function ellipseToPolygon(center: Point, radii: [number, number], rotationDeg: number, n = 64): Polygon {
  const r = (rotationDeg * Math.PI) / 180;
  const c = Math.cos(r),
    s = Math.sin(r);
  const out: Polygon = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    const x = radii[0] * Math.cos(t),
      y = radii[1] * Math.sin(t);
    out.push([center[0] + x * c - y * s, center[1] + x * s + y * c]);
  }
  return out;
}

/** The outline of a region geometry, or null for points and polylines. */
export function geometryPolygon(g: Geometry): Polygon | null {
  if (g.type === 'polygon') return g.points;
  if (g.type === 'ellipse') return ellipseToPolygon(g.center, g.radii, g.rotationDeg);
  return null;
}
