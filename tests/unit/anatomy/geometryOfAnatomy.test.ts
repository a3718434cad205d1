import assert from 'node:assert/strict';
import type { Polygon } from '../../../server/src/contract';
import {
  lungCoords,
  lungFrame,
  lobeProbabilities,
  loadLobeParams,
  locate,
  locateWithoutAnatomy,
  lobePhrase,
  unavailableAnatomy,
  isStandardOrientation,
} from '../../../server/src/analysis/anatomy';
import { imageInfo } from './jsrtFixture';

// A rectangular "right lung" on the image left: x 100..300, y 100..700.
const rect: Polygon = [
  [100, 100],
  [300, 100],
  [300, 700],
  [100, 700],
];

test('lung coordinates s, t follow api.md 5.3 and the orientation', () => {
  const std = lungFrame('right', [rect], true)!;
  const table: [[number, number], number, number][] = [
    [[300, 100], 0, 0],
    [[100, 700], 1, 1],
    [[250, 400], 0.5, 0.25],
    [[150, 300], 1 / 3, 0.75],
    [[350, 400], 0.5, 0], // medial of the lung: t clamped to 0
  ];
  for (const [p, s, t] of table) {
    const c = lungCoords(std, p)!;
    assert.ok(Math.abs(c.s - s) < 1e-6 && Math.abs(c.t - t) < 1e-6, `${p}: ${c.s},${c.t}`);
  }
  const mirrored = lungFrame('right', [rect], false)!; // right lung on the image right: medial = small x
  assert.ok(Math.abs(lungCoords(mirrored, [150, 400])!.t - 0.25) < 1e-6);
  assert.equal(isStandardOrientation({ patientOrientation: ['R', 'F'] }), false);
  assert.equal(isStandardOrientation({ patientOrientation: ['L', 'F'] }), true);
  assert.equal(isStandardOrientation({ patientOrientation: null }), true);
});

test('lobe probabilities sum to 1, lingula split below the left hilum', () => {
  const p = loadLobeParams();
  for (const [s, t] of [
    [0.1, 0.5],
    [0.6, 0.3],
    [0.9, 0.8],
  ]) {
    const r = lobeProbabilities(p, 'right', s!, t!, null);
    assert.ok(Math.abs(Object.values(r).reduce((a, b) => a + b!, 0) - 1) < 1e-9);
    const l = lobeProbabilities(p, 'left', s!, t!, 0.45);
    assert.ok(Math.abs(Object.values(l).reduce((a, b) => a + b!, 0) - 1) < 1e-9);
    assert.ok('lingula' in l);
  }
  assert.ok(lobeProbabilities(p, 'right', 0.1, 0.5, null).RUL! > 0.5, 'apex → RUL');
  assert.ok(lobeProbabilities(p, 'left', 0.1, 0.5, 0.45).LUL! > 0.5, 'apex → LUL');
  assert.ok(lobeProbabilities(p, 'left', 0.95, 0.8, 0.45).LLL! > 0.5, 'base → LLL');
});

test('lobe phrases: one lobe, two lobes of a side, lingula', () => {
  assert.deepEqual(
    lobePhrase([
      ['RML', 0.68],
      ['RLL', 0.24],
    ]),
    { zh: '投影于右肺中叶', en: 'projects over the right middle lobe' },
  );
  assert.deepEqual(
    lobePhrase([
      ['RML', 0.45],
      ['RLL', 0.4],
    ]),
    { zh: '投影于右肺中叶或下叶', en: 'projects over the right middle or lower lobe' },
  );
  assert.deepEqual(
    lobePhrase([
      ['lingula', 0.45],
      ['LLL', 0.4],
    ]),
    { zh: '投影于左肺舌段或下叶', en: 'projects over the lingula or the left lower lobe' },
  );
});

test('no-anatomy fallback (api.md 4.6)', () => {
  const img = imageInfo({ columns: 1000, rows: 800 });
  const loc = locate(unavailableAnatomy('no_model'), [200, 300], img);
  assert.equal(loc.side, 'right');
  assert.equal(loc.inLung, false);
  assert.equal(loc.retrocardiac, false);
  for (const k of [
    'structureId',
    'zone',
    'zoneId',
    'band',
    'bandId',
    'lobe',
    'lobeConfidence',
    'lobeProbabilities',
    'lungFraction',
  ] as const)
    assert.equal(loc[k], null, k);
  assert.ok(loc.text.zh.length > 0 && loc.text.en.length > 0);
  assert.equal(locateWithoutAnatomy([200, 300], { columns: 1000, patientOrientation: ['R', 'F'] }).side, 'left');
});
