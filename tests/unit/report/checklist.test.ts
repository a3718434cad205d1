// Checklists computed from the same sign calls the answers give (issue 13): table-driven over the
// ontology's definitions.
import assert from 'node:assert/strict';
import type { SignAssessment } from '../../../server/src/contract';
import { getOntology } from '../../../server/src/ontology';
import { checklistDisclaimer, evaluateChecklist } from '../../../server/src/report/checklist';

const ont = getOntology();
const sg = (signId: string, status: SignAssessment['status'], confidence = 0.7): SignAssessment => ({
  signId,
  status,
  confidence,
  evidence: [{ name: `${signId}Ev`, value: 1, unit: 'count' }],
  method: 'test@1',
});
const values = (v: Record<string, number | string>) =>
  Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      { value: x, evidence: { name: k, value: x, unit: typeof x === 'number' ? ('mm' as const) : null } },
    ]),
  );

const table: {
  name: string;
  checklist: string;
  signs: SignAssessment[];
  values?: Record<string, number | string>;
  item: string;
  status: string;
}[] = [
  {
    name: 'lobulation or spiculation met by spiculation',
    checklist: 'early_lung_cancer',
    signs: [sg('margin_lobulated', 'absent'), sg('margin_spiculated', 'present'), sg('notch_sign', 'absent')],
    item: 'elc_lobulation_spiculation',
    status: 'met',
  },
  {
    name: 'all three absent → not met',
    checklist: 'early_lung_cancer',
    signs: [sg('margin_lobulated', 'absent'), sg('margin_spiculated', 'absent'), sg('notch_sign', 'absent')],
    item: 'elc_lobulation_spiculation',
    status: 'not_met',
  },
  {
    name: 'an undecided notch keeps the item undecided',
    checklist: 'early_lung_cancer',
    signs: [sg('margin_lobulated', 'absent'), sg('margin_spiculated', 'absent'), sg('notch_sign', 'indeterminate')],
    item: 'elc_lobulation_spiculation',
    status: 'indeterminate',
  },
  {
    name: 'vacuole sign not seen is indeterminate',
    checklist: 'early_lung_cancer',
    signs: [sg('vacuole_sign', 'indeterminate', 0.4)],
    item: 'elc_vacuole',
    status: 'indeterminate',
  },
  {
    name: 'air bronchogram: to be confirmed on CT',
    checklist: 'early_lung_cancer',
    signs: [sg('air_bronchogram', 'indeterminate', 0.35)],
    item: 'elc_air_bronchogram',
    status: 'indeterminate',
  },
  {
    name: 'round shape',
    checklist: 'early_lung_cancer',
    signs: [],
    values: { shape: 'round' },
    item: 'elc_round_oval',
    status: 'met',
  },
  {
    name: 'irregular shape',
    checklist: 'early_lung_cancer',
    signs: [],
    values: { shape: 'irregular' },
    item: 'elc_round_oval',
    status: 'not_met',
  },
  {
    name: 'peripheral: 4.7 cm from the hilum',
    checklist: 'early_lung_cancer',
    signs: [],
    values: { hilumDistanceMm: 47 },
    item: 'elc_peripheral',
    status: 'met',
  },
  {
    name: 'central: 1.2 cm from the hilum',
    checklist: 'early_lung_cancer',
    signs: [],
    values: { hilumDistanceMm: 12 },
    item: 'elc_peripheral',
    status: 'not_met',
  },
  {
    name: 'no hilum distance → indeterminate',
    checklist: 'early_lung_cancer',
    signs: [],
    item: 'elc_peripheral',
    status: 'indeterminate',
  },
  {
    name: 'benign calcification: calcium not seen is not "not met"',
    checklist: 'benign_nodule',
    signs: [sg('calcification', 'indeterminate', 0.5)],
    values: { calcificationPattern: 'none', calcifiedFraction: 0 },
    item: 'bn_benign_calcification',
    status: 'indeterminate',
  },
  {
    name: 'benign calcification present',
    checklist: 'benign_nodule',
    signs: [sg('calcification', 'present')],
    values: { calcificationPattern: 'central', calcifiedFraction: 0.2 },
    item: 'bn_benign_calcification',
    status: 'met',
  },
  {
    name: 'CTR 0.52 is not "above 0.55"',
    checklist: 'cardiomegaly',
    signs: [],
    values: { cardiothoracicRatio: 0.52 },
    item: 'cm_ctr',
    status: 'not_met',
  },
  {
    name: 'CTR 0.58 is',
    checklist: 'cardiomegaly',
    signs: [],
    values: { cardiothoracicRatio: 0.58 },
    item: 'cm_ctr',
    status: 'met',
  },
];

for (const row of table) {
  test(`checklist: ${row.name}`, () => {
    const def = ont.checklistById.get(row.checklist as never)!;
    const r = evaluateChecklist(def, { anchorId: 'A1', signs: row.signs, values: values(row.values ?? {}) }, 'en');
    const it = r.items.find((i) => i.id === row.item)!;
    assert.ok(it, `item ${row.item}`);
    assert.equal(it.status, row.status);
  });
}

test('the early lung cancer checklist has the five items plus air bronchogram, and no size item', () => {
  const def = ont.checklistById.get('early_lung_cancer' as never)!;
  const r = evaluateChecklist(def, { anchorId: 'A1', signs: [], values: {} }, 'zh');
  assert.equal(r.total, 6);
  assert.ok(!r.items.some((i) => /3 cm/.test(i.label) && /直径/.test(i.label)));
});

test('recommendations belong to the checklist they come from', () => {
  for (const lang of ['zh', 'en'] as const) {
    for (const id of ['pneumothorax', 'pleural_effusion', 'cardiomegaly']) {
      assert.doesNotMatch(checklistDisclaimer(id, lang), /结节|nodule|超声心动图|echocardiograph/i, `${id} ${lang}`);
    }
    assert.match(checklistDisclaimer('early_lung_cancer', lang), /CT/);
  }
});
