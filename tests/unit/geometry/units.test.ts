import assert from 'node:assert/strict';
import { clockPosition, formatLength, formatArea, lengthMm, lengthMeasurement } from '../../../server/src/geometry';
import type { Point } from '../../../server/src/contract';

test('clock positions (api.md 12.3)', () => {
  const o: Point = [100, 100];
  const table: [Point, number][] = [
    [[100, 50], 12],
    [[150, 100], 3],
    [[100, 150], 6],
    [[50, 100], 9],
    [[150, 50], 2],
    [[186.6, 150], 4],
    [[150, 150], 5],
    [[50, 150], 8],
    [[13.4, 50], 10],
    [[50, 50], 11],
    [[101, 0], 12],
    [[99, 0], 12],
  ];
  for (const [p, c] of table) assert.equal(clockPosition(o, p), c, JSON.stringify(p));
});

test('mm conversion uses [row, column] spacing', () => {
  assert.equal(lengthMm([0, 0], [10, 0], [0.5, 0.2]), 2);
  assert.equal(lengthMm([0, 0], [0, 10], [0.5, 0.2]), 5);
});

test('display rule', () => {
  const table: [number, Parameters<typeof formatLength>[1], 'zh' | 'en', string][] = [
    [47.2, 'PixelSpacing', 'en', '4.7 cm'],
    [8, 'PixelSpacing', 'zh', '约8.0 mm'],
    [8, 'ImagerPixelSpacing', 'en', '8.0 mm'],
    [9.96, 'PixelSpacing', 'en', '1.0 cm'],
    [12, 'ImagerPixelSpacing/ERMF', 'zh', '约1.2 cm'],
    [35.4, 'none', 'zh', '35 px'],
    [35.6, 'none', 'en', '36 px'],
  ];
  for (const [v, s, l, t] of table) assert.equal(formatLength(v, s, l), t);
  assert.equal(formatArea(85, 'PixelSpacing', 'en'), '85.0 mm²');
  assert.equal(formatArea(320, 'PixelSpacing', 'zh'), '约3.2 cm²');
  const m = lengthMeasurement(
    'cardiacWidth',
    { zh: '心脏横径', en: 'Cardiac width' },
    730,
    127.75,
    'ImagerPixelSpacing',
  );
  assert.deepEqual([m.value, m.unit, m.valueMm, m.estimate], [12.8, 'cm', 127.75, true]);
  const n = lengthMeasurement('length', { zh: '长度', en: 'Length' }, 33.3, null, 'none');
  assert.deepEqual([n.value, n.unit, n.valueMm], [33, 'px', null]);
});
