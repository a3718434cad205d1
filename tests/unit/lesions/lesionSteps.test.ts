/** Named steps of the lesion extraction, the thoracic region's diaphragm line and the domain features. */
import assert from 'node:assert/strict';
import { isLocalMax, noduleRegions } from '../../../server/src/analysis/lesions/extract';
import { cardiophrenicColumn, fillFromNearest, lowerEdge } from '../../../server/src/analysis/lesions/region';
import { displayStats } from '../../../server/src/analysis/domain';

describe('isLocalMax', () => {
  const S = 3;
  test('a pixel no 8-neighbour exceeds is a maximum (ties count)', () => {
    expect(isLocalMax(new Float32Array([0, 0, 0, 0, 1, 0, 0, 0, 0]), S, 4)).toBe(true);
    expect(isLocalMax(new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 0]), S, 4)).toBe(true);
  });
  test('a higher diagonal neighbour makes it not a maximum', () => {
    expect(isLocalMax(new Float32Array([0, 0, 0, 0, 0.5, 0, 0, 0, 0.6]), S, 4)).toBe(false);
  });
  test('border pixels compare only with neighbours inside the map', () => {
    expect(isLocalMax(new Float32Array([0.9, 0.8, 0, 0.8, 0.7, 0, 0, 0, 0]), S, 0)).toBe(true);
  });
});

describe('noduleRegions', () => {
  test('strongest peak first; a weaker peak inside its half-peak region is absorbed', () => {
    const S = 8;
    const m = new Float32Array(S * S);
    m[2 * S + 2] = 1;
    m[2 * S + 3] = 0.6; // in the first peak's region (≥ 0.5)
    m[6 * S + 6] = 0.8; // separate
    const regions = noduleRegions(m, S, 0.3);
    assert.deepEqual(
      regions.map((r) => r.score),
      [1, Math.fround(0.8)],
    );
    expect(regions[0]!.pixels.sort((a, b) => a - b)).toEqual([2 * S + 2, 2 * S + 3]);
  });
});

describe('diaphragm line steps', () => {
  // a 6×5 lung whose lower edge is deepest (row 4) at columns 2 and 4
  const w = 6,
    h = 5;
  const f = new Float32Array(w * h);
  const lowest = [-1, 1, 4, 3, 4, 2];
  for (let x = 0; x < w; x++) for (let y = 0; y <= lowest[x]!; y++) if (lowest[x]! >= 0) f[y * w + x] = 1;

  test('lowerEdge: lowest row per column, column span and mean column', () => {
    const e = lowerEdge(f, w, h)!;
    expect(Array.from(e.low)).toEqual(lowest);
    expect([e.x0, e.x1]).toEqual([1, 5]);
    const n = 2 + 5 + 4 + 5 + 3;
    expect(e.cx).toBeCloseTo((1 * 2 + 2 * 5 + 3 * 4 + 4 * 5 + 5 * 3) / n, 10);
  });
  test('lowerEdge of an empty field is null', () => {
    expect(lowerEdge(new Float32Array(w * h), w, h)).toBeNull();
  });
  test('cardiophrenicColumn: the deepest point; between equally deep ones, the more medial', () => {
    const e = lowerEdge(f, w, h)!;
    expect(cardiophrenicColumn(e, 1, h)).toBe(4); // medial is +x
    expect(cardiophrenicColumn(e, -1, h)).toBe(2); // medial is −x
  });
  test('fillFromNearest: gaps take the value on their left, leading gaps the first value', () => {
    const v = fillFromNearest(new Float64Array([NaN, 3, NaN, NaN, 5, NaN]));
    expect(Array.from(v)).toEqual([3, 3, 3, 3, 5, 5]);
    expect(Array.from(fillFromNearest(new Float64Array([NaN, NaN])))).toEqual([NaN, NaN]);
  });
});

describe('displayStats', () => {
  test('share of saturated samples and the standard deviation', () => {
    const s = displayStats(new Float32Array([0, 1, 0.5, 0.5]));
    expect(s.saturated).toBeCloseTo(0.5, 10);
    expect(s.displayStd).toBeCloseTo(Math.sqrt(0.125), 6);
  });
  test('an empty image has no spread', () => {
    expect(displayStats(new Float32Array(0))).toEqual({ saturated: 0, displayStd: 0 });
  });
  test('large images are strided to about 65536 samples', () => {
    const d = new Float32Array(65536 * 4).fill(0.5);
    for (let i = 0; i < d.length; i += 4) d[i] = 1; // every sampled value is saturated
    expect(displayStats(d).saturated).toBe(1);
  });
});
