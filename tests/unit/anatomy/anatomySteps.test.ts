/** The named steps of buildAnatomy, locate, cardiothoracicRatio and state on small synthetic shapes. */
import assert from 'node:assert/strict';
import type { Polygon } from '../../../server/src/contract';
import { heartMostlyRight, maskStats, thoracicMidlineX } from '../../../server/src/analysis/anatomy/buildAnatomy';
import { cardiacWidthPoints, thoracicWidthPoints } from '../../../server/src/analysis/anatomy/ctr';
import { isBehindDome, locationText, sideOf } from '../../../server/src/analysis/anatomy/locate';
import { lungFrame } from '../../../server/src/analysis/anatomy/lungFrame';
import { keepMainComponents, type AnatomyState } from '../../../server/src/analysis/anatomy/state';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
// Standard film: patient right on the image left. Right lung x 100–300, left lung x 500–700, rows 100–600.
const right = lungFrame('right', [rect(100, 100, 300, 600)], true)!;
const left = lungFrame('left', [rect(500, 100, 700, 600)], true)!;

describe('maskStats', () => {
  test('counts values ≥ 0.5 and averages only those', () => {
    const s = maskStats(new Float32Array([0.2, 0.5, 1, 0.49, 0.75]));
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.75, 10);
  });
  test('an empty mask has no mean', () => {
    expect(maskStats(new Float32Array([0, 0.1]))).toEqual({ n: 0, mean: 0 });
  });
});

describe('thoracicMidlineX', () => {
  test('midway between the lateral lung edges', () => {
    expect(thoracicMidlineX(right, left, 1000)).toBeCloseTo((100 + 700) / 2, 6);
  });
  test('the image centre without both lungs', () => {
    expect(thoracicMidlineX(right, null, 1000)).toBe(500);
    expect(thoracicMidlineX(null, left, 800)).toBe(400);
  });
});

describe('heartMostlyRight', () => {
  const state = (heartCols: [number, number]): AnatomyState => {
    const w = 10,
      h = 4;
    const heart = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = heartCols[0]; x <= heartCols[1]; x++) heart[y * w + x] = 1;
    return { gridWidth: w, gridHeight: h, columns: 1000, rows: 400, fields: { heart }, standardOrientation: true };
  };
  test('a heart mostly on the patient left (image right, standard film) is normal', () => {
    expect(heartMostlyRight(state([4, 7]), left, 400)).toBe(false);
  });
  test('a heart mostly on the patient right is flagged', () => {
    expect(heartMostlyRight(state([1, 4]), left, 500)).toBe(true);
  });
  test('no heart field, no flag', () => {
    const s = { ...state([1, 2]), fields: {} };
    expect(heartMostlyRight(s, left, 500)).toBe(false);
  });
});

describe('cardiothoracic ratio steps', () => {
  const heart = [rect(320, 400, 520, 560)];
  test('cardiac width: the most lateral heart points on each side', () => {
    const w = cardiacWidthPoints(heart, right.lateralSign)!;
    expect(w.a[0]).toBeCloseTo(320, 6);
    expect(w.b[0]).toBeCloseTo(520, 6);
  });
  test('thoracic width: the widest row between the lateral lung edges', () => {
    const t = thoracicWidthPoints(right, left, 200, 500)!;
    expect(t.a[0]).toBeCloseTo(100, 6);
    expect(t.b[0]).toBeCloseTo(700, 6);
    expect(t.a[1]).toBe(t.b[1]);
  });
  test('no thoracic width when the band is empty or inverted', () => {
    expect(thoracicWidthPoints(right, left, 500, 200)).toBeNull();
  });
});

describe('locate steps', () => {
  test('sideOf: the lung a point lies in, else its side of the midline (orientation-aware)', () => {
    expect(sideOf([600, 300], 'lung_right', 400, true)).toBe('right');
    expect(sideOf([100, 300], 'lung_left', 400, true)).toBe('left');
    expect(sideOf([300, 300], null, 400, true)).toBe('right');
    expect(sideOf([300, 300], 'heart', 400, false)).toBe('left');
  });
  test('isBehindDome: lowest quarter of the lung down to 10 % below its base, within its width', () => {
    expect(isBehindDome([200, 500], right)).toBe(true); // 80 % of the height
    expect(isBehindDome([200, 640], right)).toBe(true); // 8 % below the base
    expect(isBehindDome([200, 300], right)).toBe(false);
    expect(isBehindDome([200, 660], right)).toBe(false);
    expect(isBehindDome([350, 500], right)).toBe(false);
    expect(isBehindDome([200, 500], null)).toBe(false);
  });
  test('locationText: zone and band in the lung, else retrocardiac, behind the dome, structure, outside', () => {
    const base = { side: 'right' as const, zone: null, band: null, retrocardiac: false, behindDome: false };
    const inLung = locationText({ ...base, structureId: 'lung_right', zone: 'upper', band: 'outer' });
    expect(inLung.en).toMatch(/^right .*upper.*outer/i);
    expect(locationText({ ...base, structureId: 'heart', retrocardiac: true }).en).toBe('retrocardiac region');
    expect(locationText({ ...base, structureId: null, behindDome: true }).en).toBe(
      'behind the right hemidiaphragm dome',
    );
    expect(locationText({ ...base, structureId: null }).en).toBe('right side, outside the lung fields');
    expect(locationText({ ...base, structureId: 'trachea' }).en).toMatch(/trachea/i);
  });
});

describe('keepMainComponents', () => {
  test('drops 4-connected components below the fraction of the largest; returns the kept count', () => {
    // 6×3: a 6-pixel block, a 2-pixel block, and a diagonal neighbour that is not 4-connected
    const f = new Float32Array([1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    const kept = keepMainComponents(f, 6, 3, 0.5);
    expect(kept).toBe(6);
    assert.deepEqual(Array.from(f), [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  test('an empty field keeps nothing', () => {
    expect(keepMainComponents(new Float32Array(9), 3, 3, 0.1)).toBe(0);
  });
});
