import assert from 'node:assert/strict';
import type { Point } from '../../../server/src/contract';
import {
  polygonArea,
  polygonCentroid,
  bboxOf,
  pointInPolygon,
  distancePointPolygon,
  nearestPointsBetweenPolygons,
  feretAxes,
  clipToStrip,
  rowExtent,
  columnExtent,
  convexHull,
  polygonMembership,
} from '../../../server/src/geometry';

const square: Point[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];
const ellipse = (cx: number, cy: number, rx: number, ry: number, n = 720): Point[] =>
  Array.from(
    { length: n },
    (_, i) => [cx + rx * Math.cos((2 * Math.PI * i) / n), cy + ry * Math.sin((2 * Math.PI * i) / n)] as Point,
  );
const near = (a: number, b: number, tol: number, msg?: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${msg ?? ''} ${a} vs ${b}`);

test('area and centroid', () => {
  const cases: { poly: Point[]; area: number; c: Point; tol: number }[] = [
    { poly: square, area: 100, c: [5, 5], tol: 1e-9 },
    {
      poly: [
        [0, 0],
        [4, 0],
        [0, 3],
      ],
      area: 6,
      c: [4 / 3, 1],
      tol: 1e-9,
    },
    {
      poly: [
        [0, 0],
        [0, 10],
        [10, 10],
        [10, 0],
      ],
      area: 100,
      c: [5, 5],
      tol: 1e-9,
    },
    { poly: ellipse(50, 40, 20, 10), area: Math.PI * 200, c: [50, 40], tol: 0.5 },
    {
      poly: [
        [0, 0],
        [10, 0],
        [10, 2],
        [2, 2],
        [2, 10],
        [0, 10],
      ],
      area: 36,
      c: [0, 0],
      tol: -1,
    },
  ];
  for (const k of cases) {
    near(polygonArea(k.poly), k.area, Math.max(k.tol, 1e-9) * (k.tol > 0.1 ? 2 : 1), 'area');
    if (k.tol >= 0) {
      const c = polygonCentroid(k.poly);
      near(c[0], k.c[0], Math.max(k.tol, 1e-9));
      near(c[1], k.c[1], Math.max(k.tol, 1e-9));
    }
  }
});

test('bbox and point in polygon', () => {
  assert.deepEqual(bboxOf(square), [0, 0, 10, 10]);
  const L: Point[] = [
    [0, 0],
    [10, 0],
    [10, 2],
    [2, 2],
    [2, 10],
    [0, 10],
  ];
  const table: [Point, boolean][] = [
    [[1, 1], true],
    [[5, 5], false],
    [[1, 9], true],
    [[11, 1], false],
    [[9, 1], true],
  ];
  for (const [p, inside] of table) assert.equal(pointInPolygon(p, L), inside, JSON.stringify(p));
});

test('distance point-polygon and nearest points between polygons', () => {
  const table: [Point, number][] = [
    [[5, 5], 0],
    [[15, 5], 5],
    [[13, 14], 5],
    [[-3, 0], 3],
  ];
  for (const [p, d] of table) near(distancePointPolygon(p, square), d, 1e-9, JSON.stringify(p));
  const other: Point[] = [
    [20, 0],
    [30, 0],
    [30, 10],
    [20, 10],
  ];
  const n = nearestPointsBetweenPolygons(square, other);
  near(n.distance, 10, 1e-9);
  near(n.a[0], 10, 1e-9);
  near(n.b[0], 20, 1e-9);
  const overlapping: Point[] = [
    [5, 5],
    [15, 5],
    [15, 15],
    [5, 15],
  ];
  assert.equal(nearestPointsBetweenPolygons(square, overlapping).distance, 0);
  const crossing: Point[] = [
    [-5, 4],
    [15, 4],
    [15, 6],
    [-5, 6],
  ]; // no vertex inside, edges cross
  assert.equal(nearestPointsBetweenPolygons(square, crossing).distance, 0);
});

test('Feret axes: ellipse 2·rx by 2·ry, anisotropic spacing', () => {
  const e = ellipse(100, 100, 30, 10);
  const f = feretAxes(e);
  near(f.longAxis.length, 60, 0.05);
  near(f.shortAxis.length, 20, 0.05);
  const fm = feretAxes(e, [0.5, 0.2]); // y 0.5 mm, x 0.2 mm: 60 px × 0.2 = 12 mm, 20 px × 0.5 = 10 mm
  near(fm.longAxis.length, 12, 0.05);
  near(fm.shortAxis.length, 10, 0.05);
  const sq = feretAxes(square);
  near(sq.longAxis.length, Math.hypot(10, 10), 1e-9);
  near(sq.shortAxis.length, Math.hypot(10, 10), 1e-9);
  assert.equal(
    convexHull([
      [0, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [2, 0],
    ]).length,
    4,
  );
});

test('strip clipping and row/column extents', () => {
  const c = clipToStrip(square, 2, 5);
  near(polygonArea(c), 30, 1e-9);
  assert.deepEqual(rowExtent([square], 5), [0, 10]);
  assert.equal(rowExtent([square], 11), null);
  assert.deepEqual(columnExtent([square], 3), [0, 10]);
});

test('polygonMembership agrees with pointInPolygon away from the boundary', () => {
  const star: Point[] = Array.from({ length: 40 }, (_, i) => {
    const a = (i / 40) * 2 * Math.PI,
      r = i % 2 ? 30 : 60;
    return [100 + r * Math.cos(a), 100 + r * Math.sin(a)] as Point;
  });
  const inside = polygonMembership([star]);
  let checked = 0;
  for (let y = 30.3; y < 170; y += 3.7) {
    for (let x = 30.1; x < 170; x += 2.9) {
      if (distancePointPolygon([x, y], star) < 0.5) continue; // quantised rows may differ on the edge
      assert.equal(inside([x, y]), pointInPolygon([x, y], star), `at ${x},${y}`);
      checked++;
    }
  }
  assert.ok(checked > 800, `only ${checked} points checked`);
});
