/** Suggestion chips: in the panel's language, each only when its prerequisite exists; findings rows ranked by score. */
import assert from 'node:assert/strict';
import type { Analysis, Anchor, Geometry, Turn } from '../../../extension/src/api/contract';
import { findingRows, rowText } from '../../../extension/src/panel/findings';
import { suggestionChips, usableServerSuggestions } from '../../../extension/src/panel/suggestions';

const anchor = (
  id: string,
  kind: Anchor['kind'],
  geometry: Geometry,
  label = `${id} 左肺下叶结节`,
  findingId: string | null = null,
): Anchor => ({
  id,
  kind,
  parentId: null,
  label: { zh: label, en: `${id} left lower lobe nodule` },
  findingId,
  clientRef: null,
  geometry,
  center: [0, 0],
  measurements: [],
});
const point: Geometry = { type: 'point', point: [1, 1] };
const poly: Geometry = {
  type: 'polygon',
  points: [
    [0, 0],
    [4, 0],
    [4, 4],
  ],
};
const analysis = {
  id: 'an',
  findings: [
    { id: 'F1', type: 'nodule', score: 0.62, diameterMm: 9.4, location: { side: 'left', text: { zh: '', en: '' } } },
    { id: 'F2', type: 'nodule', score: 0.96, diameterMm: 7.94, location: { side: 'right', text: { zh: '', en: '' } } },
  ],
  warnings: [],
} as unknown as Analysis;
const turn = (intent: string) => ({ understanding: { intent } }) as Turn;

test('no "distance between two points" without two points; the region size needs a region', () => {
  const none = suggestionChips({ lang: 'zh', ready: true, anchors: [], analysis: null, turns: [] }).map((c) => c.text);
  assert.ok(!none.some((q) => q.includes('两个点')));
  assert.ok(none.includes('肺部是否有异常?'));
  const two = suggestionChips({
    lang: 'en',
    ready: true,
    anchors: [anchor('A1', 'user', point), anchor('A2', 'user', point)],
    analysis: null,
    turns: [],
  });
  assert.equal(two[0].text, 'How far apart are these two points?');
  const region = suggestionChips({
    lang: 'en',
    ready: true,
    anchors: [anchor('A1', 'user', poly)],
    analysis: null,
    turns: [],
  });
  assert.equal(region[0].text, 'How big is this region?');
});

test("after an overview: the top finding's margin and its own hilum, in the session language", () => {
  const anchors = [anchor('A1', 'finding', poly, 'A1 左肺下叶结节', 'F1')];
  const zh = suggestionChips({ lang: 'zh', ready: true, anchors, analysis, turns: [turn('overview')] }).map(
    (c) => c.text,
  );
  assert.deepEqual(zh, ['A1边缘是否规则?', 'A1距离左肺门有多远?']);
  const en = suggestionChips({ lang: 'en', ready: true, anchors, analysis, turns: [turn('overview')] }).map(
    (c) => c.text,
  );
  assert.deepEqual(en, ['Is the margin of A1 regular?', 'How far is A1 from the left hilum?']);
  for (const q of en) assert.doesNotMatch(q, /[\u4e00-\u9fff]/, 'no Chinese chip in an English session');
});

test('after a checklist: the report and "store SR" as an action', () => {
  const chips = suggestionChips({
    lang: 'zh',
    ready: true,
    anchors: [anchor('A1', 'finding', poly)],
    analysis: null,
    turns: [turn('checklist')],
  });
  assert.deepEqual(
    chips.map((c) => c.text),
    ['生成结构化报告', '保存为 DICOM SR'],
  );
  assert.equal(chips[1].action, 'storeSr');
  assert.deepEqual(suggestionChips({ lang: 'zh', ready: false, anchors: [], analysis: null, turns: [] }), []);
});

test('server suggestions that cannot work here are left out', () => {
  const anchors = [anchor('A1', 'finding', poly, 'A1 左肺下叶结节', 'F1')];
  assert.deepEqual(
    usableServerSuggestions(['这两个点相距多远?', '距离右肺门有多远?', '距离左肺门有多远?'], anchors, analysis),
    ['距离左肺门有多远?'],
  );
  assert.deepEqual(
    usableServerSuggestions(['这个病灶距离右肺门有多远?', '心胸比是多少?'], [], null),
    ['心胸比是多少?'],
    'no lesion question without a lesion',
  );
});

test('findings are ranked by score and read "A1 name score · size"', () => {
  const rows = findingRows(
    [anchor('A1', 'finding', poly, 'A1 左肺下叶结节', 'F1'), anchor('A2', 'finding', poly, 'A2 右肺上叶结节', 'F2')],
    analysis,
    'zh',
  );
  assert.deepEqual(rows.map(rowText), ['A2 右肺上叶结节 0.96 · 7.9 mm', 'A1 左肺下叶结节 0.62 · 9.4 mm']);
});

test('a refined finding is listed with the long × short axis its label and answers quote', () => {
  const ax = (name: string, mm: number) =>
    ({
      name,
      label: { zh: name, en: name },
      value: mm,
      unit: 'mm',
      valuePx: mm / 0.35,
      valueMm: mm,
      estimate: true,
      spacingSource: 'PixelSpacing',
    }) as unknown as Anchor['measurements'][number];
  const refined = {
    ...anchor('A1', 'finding', poly, 'A1 右中肺野结节', 'F1'),
    measurements: [ax('longAxis', 18.7), ax('shortAxis', 15.2)],
  };
  assert.deepEqual(findingRows([refined], analysis, 'zh').map(rowText), ['A1 右中肺野结节 0.62 · 1.9 × 1.5 cm']);
});

test('the question just answered is not offered again', () => {
  const anchors = [anchor('A1', 'user', poly)];
  const after = suggestionChips({ lang: 'en', ready: true, anchors, analysis: null, turns: [turn('size')] }).map(
    (c) => c.text,
  );
  assert.ok(!after.includes('How big is this region?'));
});
