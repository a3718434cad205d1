/** Issue 16: names, nouns, checklist scopes and disclaimers come from ontology/, one copy each. */
import assert from 'node:assert/strict';
import { anatomyName, getOntology } from '../../../server/src/ontology';
import { LANDMARK_LABELS, STRUCTURE_LABELS } from '../../../server/src/analysis/anatomy/labels';
import { regionTitle } from '../../../server/src/report/regions';
import { findingNoun, shapeAndNoun } from '../../../server/src/report/phrases';
import { checklistDisclaimer } from '../../../server/src/report/checklist';
import { findingAnchor, makeAnchor } from '../../../server/src/sessions/anchors';
import { makeAnalysis } from '../report/fixtures';

const o = getOntology();

describe('anatomy names are the lexicon’s', () => {
  test('structure and landmark labels equal the lexicon’s preferred names', () => {
    for (const [id, label] of [...Object.entries(STRUCTURE_LABELS), ...Object.entries(LANDMARK_LABELS)])
      assert.deepEqual(label, anatomyName(id), id);
    assert.equal(STRUCTURE_LABELS.heart.zh, '心影');
  });

  test('report headings of single structures use the same names', () => {
    assert.equal(regionTitle('heart', 'zh'), anatomyName('heart')!.zh);
    assert.equal(regionTitle('lung_right', 'en'), 'Right lung');
    assert.equal(regionTitle('mediastinum_hila', 'zh'), '纵隔及肺门');
  });
});

describe('finding words come from ontology/findings.json', () => {
  test('the anchor label uses the name, the report the noun', () => {
    const f = makeAnalysis().findings[0]!;
    const a = findingAnchor('A1', f);
    assert.ok(a.label.zh.endsWith(o.findingWords.types[f.type].name.zh), a.label.zh);
    assert.equal(findingNoun('nodule').zh, '结节影');
    assert.equal(o.findingWords.types.nodule.name.zh, '结节');
  });

  test('an opacity reads 斑片状高密度影, a streaky one 条索状高密度影, a nodule keeps its shape', () => {
    const zh = (w: ReturnType<typeof shapeAndNoun>) => w.shape.zh + w.noun.zh;
    assert.equal(zh(shapeAndNoun({ type: 'opacity', shape: 'irregular' })), '斑片状高密度影');
    assert.equal(zh(shapeAndNoun({ type: 'opacity', shape: 'streaky' })), '条索状高密度影');
    assert.equal(zh(shapeAndNoun({ type: 'nodule', shape: 'round' })), '圆形结节影');
  });
});

describe('checklists carry their scope and disclaimer', () => {
  test('the image-level checklists are those with scope "image"', () => {
    const image = o.checklists.filter((c) => c.scope === 'image').map((c) => c.id);
    assert.deepEqual([...image].sort(), ['cardiomegaly', 'pleural_effusion', 'pneumothorax']);
  });

  test('every checklist has its own disclaimer in both languages, read from its file', () => {
    for (const c of o.checklists) {
      const d = o.checklistDisclaimers.get(c.id);
      assert.ok(d?.zh && d.en, c.id);
      assert.equal(checklistDisclaimer(c.id, 'en'), d.en);
      assert.match(d.zh, /不构成诊断/);
    }
  });
});

test('makeAnchor fills the defaults in the contract’s field order', () => {
  const a = makeAnchor({
    id: 'A9',
    kind: 'user',
    label: { zh: 'A9', en: 'A9' },
    geometry: { type: 'point', point: [1, 2] },
    center: [1, 2],
  });
  assert.deepEqual(Object.keys(a), [
    'id',
    'kind',
    'parentId',
    'createdAt',
    'createdByTurnId',
    'label',
    'findingId',
    'landmarkId',
    'clientRef',
    'geometry',
    'center',
    'location',
    'measurements',
    'signs',
    'features',
    'relation',
    'refinedBy',
  ]);
  assert.equal(a.parentId, null);
  assert.deepEqual(a.measurements, []);
});
