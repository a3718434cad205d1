/**
 * A comparison's change reaches OHIF's measurements panel (issue 17): the bare label of a
 * `measurement` anchor carries that anchor's measurement no drawing lists (the change), never one
 * already listed; other labels and labels that carry a measurement are left alone.
 */
import assert from 'node:assert/strict';
import type { Anchor, Annotation, Measurement, Style } from '../../../extension/src/api/contract';
import { withAnchorMeasurements } from '../../../extension/src/panel/anchorMeasurements';

const mm = (name: string, en: string, value: number): Measurement => ({
  name,
  label: { zh: en, en },
  value,
  unit: 'mm',
  valuePx: value / 0.35,
  valueMm: value,
  estimate: true,
  spacingSource: 'PixelSpacing',
});
const STYLE: Style = {
  color: '#ffb020',
  opacity: 1,
  lineWidth: 2,
  lineDash: 'solid',
  emphasis: 'normal',
  visible: true,
};
const prior = mm('diameter', 'Prior mean diameter', 8.1);
const current = mm('diameter', 'Current mean diameter', 12.2);
const change = mm('length', 'Size change larger (51%, 731 days)', 4.1);
const anchor = (id: string, kind: Anchor['kind'], measurements: Measurement[]): Anchor => ({
  id,
  kind,
  parentId: kind === 'measurement' ? 'A1' : null,
  label: { zh: id, en: id },
  clientRef: null,
  geometry: { type: 'point', point: [10, 10] },
  center: [10, 10],
  measurements,
});
const anchors = [anchor('A1', 'finding', []), anchor('A5', 'measurement', [prior, current, change])];
const outline = (id: string, anchorId: string, m: Measurement | null, dash: Style['lineDash']): Annotation => ({
  id,
  kind: 'outline',
  anchorId,
  replaces: null,
  geometry: { type: 'polygon', points: [] },
  style: { ...STYLE, lineDash: dash },
  measurement: m,
});
const label = (id: string, anchorId: string, m: Measurement | null = null): Annotation => ({
  id,
  kind: 'label',
  anchorId,
  replaces: null,
  point: [10, 0],
  text: 'A1 +4.1 mm',
  style: STYLE,
  measurement: m,
});

test('the change label of a matched pair carries the change; the sizes stay with the outlines', () => {
  const turn = [
    outline('ann_1', 'A1', current, 'solid'),
    outline('ann_2', 'A5', prior, 'dashed'),
    label('ann_3', 'A5'),
  ];
  const out = withAnchorMeasurements(turn, anchors);
  assert.deepEqual(out[2]?.measurement, change);
  assert.equal(out[0], turn[0], 'other drawings are passed through unchanged');
  assert.equal(out[1], turn[1]);
  assert.equal(turn[2]?.measurement, null, 'the input is not modified');
});

test('a label that carries a measurement, or names a non-measurement anchor, is left alone', () => {
  const own = label('ann_3', 'A5', prior);
  assert.equal(withAnchorMeasurements([own], anchors)[0], own);
  const finding = label('ann_4', 'A1');
  assert.equal(withAnchorMeasurements([finding], anchors)[0], finding);
  const unknown = label('ann_5', 'A9');
  assert.equal(withAnchorMeasurements([unknown], anchors)[0], unknown);
});

test('nothing unlisted: the label stays bare; two labels never list the same measurement twice', () => {
  const all = [
    outline('ann_1', 'A5', prior, 'dashed'),
    outline('ann_2', 'A5', current, 'solid'),
    outline('ann_3', 'A5', change, 'solid'),
  ];
  assert.equal(withAnchorMeasurements([...all, label('ann_4', 'A5')], anchors)[3]?.measurement, null);
  const two = withAnchorMeasurements([label('ann_5', 'A5'), label('ann_6', 'A5')], anchors);
  assert.deepEqual(
    two.map((a) => a.measurement?.label.en),
    ['Size change larger (51%, 731 days)', 'Current mean diameter'],
  );
});
