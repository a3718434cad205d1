import assert from 'node:assert/strict';
import {
  traceContours,
  marchingSquares,
  polygonArea,
  signedArea,
  pointInPolygon,
  bboxOfPolygons,
} from '../../../server/src/geometry';

function maskOf(w: number, h: number, f: (x: number, y: number) => boolean): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = f(x + 0.5, y + 0.5) ? 1 : 0;
  return m;
}

test('binary rectangle: boundary on pixel edges, positive orientation, area', () => {
  const m = maskOf(20, 20, (x, y) => x > 4 && x < 14 && y > 2 && y < 10); // cols 4..13, rows 2..9
  const rings = marchingSquares(m, 20, 20);
  assert.equal(rings.length, 1);
  assert.ok(signedArea(rings[0]!) > 0);
  const [c] = traceContours(m, 20, 20, { smoothIterations: 0, tolerance: 0 });
  const bb = bboxOfPolygons([c!]);
  assert.deepEqual(bb, [4, 2, 14, 10]);
  // chamfered corners remove 4 × 0.125 px²
  assert.ok(Math.abs(polygonArea(c!) - (80 - 0.5)) < 1e-9);
});

test('components: largest first, holes excluded, tiny dropped, scaling and clamping', () => {
  const m = maskOf(
    40,
    20,
    (x, y) =>
      (x < 10 && y < 10) ||
      (x > 20 && x < 38 && y > 2 && y < 18 && !(x > 25 && x < 30 && y > 8 && y < 12)) ||
      (x > 15 && x < 16 && y > 15 && y < 16),
  );
  const polys = traceContours(m, 40, 20, { scaleX: 2, scaleY: 3, minArea: 10 });
  assert.equal(polys.length, 2);
  assert.ok(polygonArea(polys[0]!) > polygonArea(polys[1]!));
  const bb = bboxOfPolygons([polys[1]!]);
  assert.equal(bb[0], 0); // touches the border: clamped to 0
  assert.equal(bb[1], 0);
  // the hole is inside the outer ring (outer boundary only)
  assert.ok(pointInPolygon([27.5 * 2, 10 * 3], polys[0]!));
});

test('probability field: iso-line at 0.5 is interpolated', () => {
  const w = 30,
    h = 30,
    f = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) f[y * w + x] = Math.max(0, 1 - Math.hypot(x + 0.5 - 15, y + 0.5 - 15) / 20);
  const [c] = traceContours(f, w, h, { smoothIterations: 0, tolerance: 0 }); // radius where 1 - r/20 = 0.5 → r = 10
  assert.ok(Math.abs(polygonArea(c!) - Math.PI * 100) / (Math.PI * 100) < 0.02);
});

test('at most 512 points', () => {
  const w = 600,
    h = 600;
  const m = maskOf(
    w,
    h,
    (x, y) => Math.hypot(x - 300, y - 300) < 250 + 8 * Math.sin(40 * Math.atan2(y - 300, x - 300)),
  );
  const [c] = traceContours(m, w, h, { maxPoints: 512 });
  assert.ok(c!.length <= 512 && c!.length >= 100, String(c!.length));
  // saddles follow the bilinear centre value: joined when it is ≥ 0.5, split otherwise
  assert.equal(traceContours(new Float32Array([1, 0, 0, 1]), 2, 2, { smoothIterations: 0 }).length, 1);
  assert.equal(traceContours(new Float32Array([0.9, 0, 0, 0.9]), 2, 2, { smoothIterations: 0 }).length, 2);
});
