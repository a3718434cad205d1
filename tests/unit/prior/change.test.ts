import assert from 'node:assert/strict';
import { measureBlob } from '../../../server/src/analysis/prior/blob';
import { changeErrorMm, doublingTimeDays, sizeChange } from '../../../server/src/analysis/prior/change';
import {
  compareWithPrior,
  matchLesions,
  type CurrentLesion,
  type PriorLesion,
} from '../../../server/src/analysis/prior/compare';
import { intervalWords } from '../../../server/src/analysis/prior/text';
import type { AnalysisPixels } from '../../../server/src/store/types';

const size = (d: number, px = d / 0.35) => ({ longMm: d, shortMm: d, diameterMm: d, diameterPx: px });

describe('size change', () => {
  test('a change within the measurement error is "stable"; over 2 years it is stated as such', () => {
    const err = changeErrorMm(10, 10.5);
    assert.ok(err > 2 && err < 3.5, `error ${err}`);
    const c = sizeChange(size(10), size(10.5), 800);
    assert.equal(c.trend, 'stable');
    assert.equal(c.stableOverTwoYears, true);
    assert.equal(c.doublingDays, null, 'no doubling time inside the error');
    assert.equal(sizeChange(size(10), size(10.5), 700).stableOverTwoYears, false);
  });

  test('growth beyond the error: larger, percent and the volume doubling time t·ln2/(3·ln(D2/D1))', () => {
    const c = sizeChange(size(8), size(12), 731);
    assert.equal(c.trend, 'larger');
    assert.equal(c.changeMm, 4);
    assert.equal(c.changePercent, 50);
    const vdt = (731 * Math.LN2) / (3 * Math.log(12 / 8));
    assert.equal(c.doublingDays, Math.round(vdt));
    assert.equal(doublingTimeDays(12, 8, 100), null, 'shrinking has no doubling time');
    const s = sizeChange(size(14), size(9), 365);
    assert.equal(s.trend, 'smaller');
    assert.equal(s.doublingDays, null);
  });

  test('without sizes in mm the change is indeterminate', () => {
    const c = sizeChange({ longMm: null, shortMm: null, diameterMm: null, diameterPx: 20 }, size(9), 100);
    assert.equal(c.trend, 'indeterminate');
    assert.equal(c.changeMm, null);
  });

  test('interval words: days, months, years', () => {
    assert.equal(intervalWords(30).en, '30 days');
    assert.equal(intervalWords(365).zh, '约12个月');
    assert.equal(intervalWords(731).en, 'about 2 years');
    assert.equal(intervalWords(null).en, 'an unknown time');
  });
});

function disc(w: number, h: number, c: [number, number], r: number, profile: 'flat' | 'sphere'): AnalysisPixels {
  const display = new Float32Array(w * h).fill(0.3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]);
      if (d < r) display[y * w + x] = 0.3 + 0.2 * (profile === 'flat' ? 1 : Math.sqrt(1 - (d / r) ** 2));
    }
  return { width: w, height: h, display, anatomyState: null, lesionState: null };
}

describe('paired blob measure', () => {
  test('recovers a flat disc diameter and 0.87 × a projected sphere, independent of the radius guess', () => {
    const flat = measureBlob(disc(200, 200, [100, 100], 20, 'flat'), [100, 100], 22);
    assert.ok(Math.abs(flat.diameterPx - 40) < 1.5, `${flat.diameterPx}`);
    assert.ok(Math.abs(flat.contrast - 0.2) < 1e-6);
    const sphere = measureBlob(disc(200, 200, [100, 100], 20, 'sphere'), [100, 100], 25);
    assert.ok(Math.abs(sphere.diameterPx - 0.866 * 40) < 2, `${sphere.diameterPx}`);
  });

  test('the difference of two blobs measured alike is the true change for a flat profile', () => {
    const a = measureBlob(disc(200, 200, [90, 110], 14, 'flat'), [90, 110], 20);
    const b = measureBlob(disc(200, 200, [90, 110], 20, 'flat'), [90, 110], 20);
    assert.ok(Math.abs(b.diameterPx - a.diameterPx - 12) < 1.5);
  });

  test('no blob in a flat background', () => {
    const empty: AnalysisPixels = {
      width: 50,
      height: 50,
      display: new Float32Array(2500).fill(0.4),
      anatomyState: null,
      lesionState: null,
    };
    assert.equal(measureBlob(empty, [25, 25], 5).diameterPx, 0);
  });
});

describe('matching', () => {
  const cur = (id: string, c: [number, number], d: number): CurrentLesion => ({
    anchorId: id,
    center: c,
    outline: [],
    size: size(d),
  });
  const pri = (id: string, c: [number, number], d: number): PriorLesion => ({
    findingId: id,
    center: c,
    outline: [],
    size: size(d),
  });
  const shift = { a: 1, b: 0, c: 10, d: 0, e: 1, f: -5 };

  test('one-to-one, nearest first, after the transform; far lesions stay unmatched', () => {
    const m = matchLesions(
      [cur('A1', [110, 95], 10), cur('A2', [400, 400], 10), cur('A3', [118, 95], 10)],
      [pri('F1', [100, 100], 9), pri('F2', [700, 100], 9)],
      shift,
      0.35,
    );
    assert.deepEqual(m.get(0), { pri: 0, d: 0 });
    assert.equal(m.has(1), false);
    assert.equal(m.has(2), false, 'F1 is already taken by the nearer A1');
  });
});

describe('refusal', () => {
  const entry = (available: boolean, warnings: string[] = []) =>
    ({
      analysis: {
        id: 'an_x',
        anatomy: { available, landmarks: [], structures: [] },
        warnings: warnings.map((code) => ({ code })),
        image: { pixelSpacingMm: [0.35, 0.35] },
        findings: [],
      },
      pixels: { width: 1, height: 1, display: new Float32Array(1), anatomyState: null, lesionState: null },
    }) as unknown as Parameters<typeof compareWithPrior>[0]['current'];

  test('a film that is not a frontal chest is not compared, and the answer says why in zh and en', () => {
    for (const [cur, pri] of [
      [entry(true), entry(false)],
      [entry(true, ['not_frontal_view']), entry(true)],
    ]) {
      const r = compareWithPrior({ current: cur!, prior: pri!, lesions: [], intervalDays: 100 });
      assert.equal(r.ok, false);
      assert.match(r.refusal!.zh, /不是正位胸片/);
      assert.match(r.refusal!.en, /not a frontal chest radiograph/);
    }
  });

  test('too few shared landmarks: refused with the reason', () => {
    const r = compareWithPrior({ current: entry(true), prior: entry(true), lesions: [], intervalDays: 100 });
    assert.equal(r.ok, false);
    assert.match(r.refusal!.en, /too few anatomical landmarks/);
  });
});
