// Every file of ontology/ against its schema and the cross-file rules that must hold now
// (sign references the sign writers still owe are checked in signs-complete.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  checkConsistency,
  CHECKLIST_IDS,
  evaluateRule,
  parseRule,
  readOntologyParts,
} from '../../../server/src/ontology';
import { REPO_ONTOLOGY } from './fixtures';

const { parts, schemaErrors } = readOntologyParts(REPO_ONTOLOGY);

const files = [
  'ontology.json',
  'lexicon.json',
  ...parts.signFiles.map((f) => f.file),
  ...parts.checklists.map((f) => f.file),
];
for (const file of files) {
  test(`${file} matches its schema`, () => {
    assert.deepEqual(
      schemaErrors.filter((e) => e.startsWith(`${file}`)),
      [],
    );
  });
}

test('no cross-file errors: unique ids and terms, one citation per source id, scopes, file names', () => {
  assert.deepEqual(checkConsistency(parts).errors, []);
});

test('the lexicon has an entry for every target id of api.md 13.2', () => {
  const defs = JSON.parse(fs.readFileSync(path.join(REPO_ONTOLOGY, 'schemas/defs.schema.json'), 'utf8'));
  const branches = defs.$defs.lexiconTarget.oneOf as {
    properties: { type: { const: string }; id: { enum: string[] } };
  }[];
  const have = new Set(parts.lexicon.entries.map((e) => `${e.target.type}:${e.target.id}`));
  const missing = branches
    .flatMap((b) => b.properties.id.enum.map((id) => `${b.properties.type.const}:${id}`))
    .filter((k) => !have.has(k));
  assert.deepEqual(missing, []);
});

test('every lexicon entry has zh and en terms and lists its preferred names among them', () => {
  for (const e of parts.lexicon.entries) {
    assert.ok(e.terms.zh.length > 0 && e.terms.en.length > 0, e.id);
    assert.ok(e.terms.zh.includes(e.preferred.zh) && e.terms.en.includes(e.preferred.en), e.id);
  }
});

test('all five checklists exist with the scope of api.md 13.3', () => {
  assert.deepEqual(parts.checklists.map((c) => c.data.id).sort(), [...CHECKLIST_IDS].sort());
});

test(
  'early_lung_cancer has the five items of the specification ' +
    'plus air bronchogram to be confirmed on CT (issue 13)',
  () => {
    const c = parts.checklists.find((x) => x.data.id === 'early_lung_cancer')!.data;
    const by = new Map(c.items.map((i) => [i.signId, i]));
    assert.deepEqual(
      c.items.map((i) => i.signId),
      [
        'shape_round',
        'margin_lobulated',
        'peripheral_location',
        'vacuole_sign',
        'pleural_indentation',
        'air_bronchogram',
      ],
    );
    assert.deepEqual(by.get('shape_round')!.relatedSignIds, ['shape_oval']);
    assert.equal(by.get('shape_round')!.rule, 'shape in [round, oval]');
    assert.deepEqual(by.get('margin_lobulated')!.relatedSignIds, ['margin_spiculated', 'notch_sign']);
    assert.equal(by.get('peripheral_location')!.rule, 'hilumDistanceMm > 30');
    assert.ok(!by.has('mass'), 'no "diameter > 3 cm" item: that is a mass, not an early cancer');
    assert.match(by.get('air_bronchogram')!.label.en, /confirmed on CT/);
    for (const s of ['vacuole_sign', 'air_bronchogram']) {
      assert.equal(by.get(s)!.cxrAssessable, 'limited', s);
      assert.ok(by.get(s)!.note, `${s} explains why it is limited`);
    }
  },
);

const EVIDENCE_NAMES = new Set([
  'boundarySharpness',
  'edgeWidthMm',
  'contourRoughness',
  'notchCount',
  'notchClocks',
  'lobulationIndex',
  'maxNotchDepthMm',
  'spiculeCount',
  'spiculeLengthMaxMm',
  'spiculeLengthMeanMm',
  'spiculeClocks',
  'densityCv',
  'calcifiedFraction',
  'calcificationPattern',
  'lucentFraction',
  'lucencyCount',
  'lucencyMaxDiameterMm',
  'wallThicknessMaxMm',
  'tubularLucencyCount',
  'pleuralDistanceMm',
  'pleuralContact',
  'tailPresent',
  'tailLengthMm',
  'bridgePresent',
  'corridorOpacityRatio',
  'corridorWidthMm',
  'score',
  'diameterMm',
  'longAxisMm',
  'shortAxisMm',
  'centerDistanceMm',
  'edgeGapMm',
  'cardiothoracicRatio',
  'landmarkConfidence',
  'side',
  'zone',
  'band',
  'lobe',
  'hilumLeftY',
  'hilumRightY',
  'shape',
  'hilumDistanceMm',
]);

test('every checklist rule parses and names evidence of api.md 9.3', () => {
  for (const { data } of parts.checklists) {
    for (const it of data.items) {
      if (!it.rule) continue;
      for (const clause of parseRule(it.rule))
        assert.ok(EVIDENCE_NAMES.has(clause.name), `${data.id}/${it.id}: ${clause.name}`);
    }
  }
});

test('rules evaluate against evidence, null when evidence is missing', () => {
  assert.equal(evaluateRule('diameterMm > 30', { diameterMm: 12.3 }), false);
  assert.equal(evaluateRule('diameterMm > 30', { diameterMm: 31 }), true);
  assert.equal(evaluateRule('band in [middle, outer]', { band: 'middle' }), true);
  assert.equal(evaluateRule('band in [middle, outer]', { band: 'inner' }), false);
  assert.equal(
    evaluateRule('calcificationPattern in [central, diffuse, laminated, popcorn] and calcifiedFraction > 0.1', {
      calcificationPattern: 'popcorn',
      calcifiedFraction: 0.2,
    }),
    true,
  );
  assert.equal(evaluateRule('cardiothoracicRatio > 0.5', {}), null);
  assert.throws(() => parseRule('diameter is big'), /cannot parse/);
});

test('REQUIRED_SIGN_IDS.md lists every sign id the checklists reference', () => {
  const md = fs.readFileSync(path.join(REPO_ONTOLOGY, 'checklists/REQUIRED_SIGN_IDS.md'), 'utf8');
  const listed = new Set([...md.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]));
  const used = new Set(
    parts.checklists.flatMap(({ data }) => data.items.flatMap((i) => [i.signId, ...i.relatedSignIds])),
  );
  assert.deepEqual(
    [...used].filter((id) => !listed.has(id)),
    [],
  );
});
