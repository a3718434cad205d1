/** The viewer's measurement text agrees with the server's: 约 on estimated lengths and areas, never on pixels. */
import assert from 'node:assert/strict';
import { formatMeasurement as viewerFormat } from '../../../extension/src/host/format';
import { formatMeasurement as serverFormat } from '../../../server/src/geometry/measurement';
import type { Measurement } from '../../../server/src/contract';

const m = (unit: Measurement['unit'], value: number, estimate = true): Measurement => ({
  name: 'diameter',
  label: { zh: '直径', en: 'Diameter' },
  value,
  unit,
  valuePx: unit === 'px' ? value : 40,
  valueMm: unit === 'px' ? null : 12,
  estimate,
  spacingSource: unit === 'px' ? 'none' : 'PixelSpacing',
});

describe('formatMeasurement (viewer)', () => {
  test('Chinese: the same text as the server for lengths, areas and pixels', () => {
    for (const x of [m('cm', 1.2), m('mm', 8), m('mm2', 113.1), m('px', 37), m('px2', 1200), m('ratio', 0.52, false)])
      assert.equal(viewerFormat(x, 'zh'), serverFormat(x, 'zh'), x.unit);
    assert.equal(viewerFormat(m('cm', 1.2), 'zh'), '约1.2 cm');
    assert.equal(viewerFormat(m('px', 37), 'zh'), '37 px');
  });

  test('English: an estimated length says so; pixels and ratios are plain', () => {
    assert.equal(viewerFormat(m('cm', 1.2), 'en'), '1.2 cm (estimate)');
    assert.equal(viewerFormat(m('px', 37), 'en'), '37 px');
    assert.equal(viewerFormat(m('ratio', 0.52, false), 'en'), '0.52');
  });
});
