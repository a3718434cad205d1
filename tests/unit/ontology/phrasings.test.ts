// Colloquial zh/en phrasings → the lexicon target the question names (api.md 13.2).
// Decisions on ambiguous forms are documented in ontology/schemas/README.md; each row's
// comment says which decision it exercises.
import assert from 'node:assert/strict';
import { findAnatomyMentions } from '../../../server/src/ontology';

type Row = [text: string, type: string, id: string, note?: string];

const ROWS: Row[] = [
  // lobes
  ['右肺中叶那个圆形影，边缘是否规则？', 'lobe', 'RML'],
  ['右中叶有个结节', 'lobe', 'RML'],
  ['中叶那个病灶', 'lobe', 'RML', 'only the right lung has a middle lobe'],
  ['右中肺叶的影子', 'lobe', 'RML'],
  ['RML nodule', 'lobe', 'RML'],
  ['the nodule in the right middle lobe', 'lobe', 'RML'],
  ['middle lobe opacity?', 'lobe', 'RML'],
  ['ＲＭＬ有病灶吗', 'lobe', 'RML', 'full-width Latin'],
  ['right midle lobe', 'lobe', 'RML', 'typo'],
  ['右肺上叶', 'lobe', 'RUL'],
  ['右上叶尖段', 'lobe', 'RUL'],
  ['RUL mass', 'lobe', 'RUL'],
  ['rul', 'lobe', 'RUL', 'lower case abbreviation'],
  ['R upper lobe', 'lobe', 'RUL'],
  ['upper lobe of the right lung', 'lobe', 'RUL'],
  ['rihgt upper lobe', 'lobe', 'RUL', 'transposition typo'],
  ['右肺下叶背段', 'lobe', 'RLL'],
  ['右下叶', 'lobe', 'RLL'],
  ['right lower lobe consolidation', 'lobe', 'RLL'],
  ['左肺上叶', 'lobe', 'LUL'],
  ['左上叶病灶', 'lobe', 'LUL'],
  ['LUL', 'lobe', 'LUL'],
  ['left upper lobe', 'lobe', 'LUL'],
  ['舌段', 'lobe', 'lingula'],
  ['左肺上叶舌段的结节', 'lobe', 'lingula', 'longest match beats 左肺上叶'],
  ['lingula', 'lobe', 'lingula'],
  ['左肺下叶', 'lobe', 'LLL'],
  ['左下叶', 'lobe', 'LLL'],
  ['LLL opacity', 'lobe', 'LLL'],
  ['left lower lobe', 'lobe', 'LLL'],
  // zones
  ['右中肺野', 'zone', 'zone_right_middle'],
  ['右肺中野中带', 'zone', 'zone_right_middle', 'the band follows as a second mention'],
  ['右中野', 'zone', 'zone_right_middle'],
  ['右中肺的结节', 'zone', 'zone_right_middle', 'decision: 右中肺 = zone, not RML'],
  ['右上肺有个结节', 'zone', 'zone_right_upper', 'decision: 右上肺 = zone'],
  ['右上肺野', 'zone', 'zone_right_upper'],
  ['左下肺', 'zone', 'zone_left_lower', 'decision: 左下肺 = zone, 左下肺叶 = LLL'],
  ['左下肺野斑片影', 'zone', 'zone_left_lower'],
  ['左肺下野', 'zone', 'zone_left_lower'],
  ['右肺底', 'zone', 'zone_right_lower', 'decision: lung base = lower zone'],
  ['left base', 'zone', 'zone_left_lower'],
  ['right lung base', 'zone', 'zone_right_lower'],
  ['left mid zone', 'zone', 'zone_left_middle'],
  ['right upper zone', 'zone', 'zone_right_upper'],
  ['上肺野', 'zone', 'zone_upper'],
  ['两下肺', 'zone', 'zone_lower'],
  ['双肺底', 'zone', 'zone_lower'],
  ['mid zone', 'zone', 'zone_middle'],
  ['lower zones', 'zone', 'zone_lower'],
  // bands
  ['右肺外带', 'band', 'band_right_outer'],
  ['外带的结节', 'band', 'band_outer'],
  ['肺野外1/3', 'band', 'band_outer'],
  ['内带', 'band', 'band_inner'],
  ['肺门旁', 'band', 'band_inner', 'decision: parahilar = inner band'],
  ['perihilar opacity', 'band', 'band_inner'],
  ['left outer band', 'band', 'band_left_outer'],
  ['中带', 'band', 'band_middle'],
  // landmarks
  ['右肺门', 'landmark', 'hilum_right'],
  ['右侧肺门区', 'landmark', 'hilum_right'],
  ['R hilum', 'landmark', 'hilum_right'],
  ['right hilar region', 'landmark', 'hilum_right'],
  ['左肺门', 'landmark', 'hilum_left'],
  ['肺门', 'landmark', 'hilum', 'stem: side from context'],
  ['与肺门相连吗', 'landmark', 'hilum'],
  ['hila', 'landmark', 'hilum'],
  ['right CP angle', 'landmark', 'costophrenic_angle_right'],
  ['右肋膈角', 'landmark', 'costophrenic_angle_right'],
  ['右侧肋膈隐窝', 'landmark', 'costophrenic_angle_right'],
  ['左侧肋膈角变钝', 'landmark', 'costophrenic_angle_left'],
  ['肋膈角', 'landmark', 'costophrenic_angle'],
  ['CPA', 'landmark', 'costophrenic_angle'],
  ['left costophrenic angle', 'landmark', 'costophrenic_angle_left'],
  ['隆突', 'landmark', 'carina'],
  ['气管分叉', 'landmark', 'carina'],
  ['carina', 'landmark', 'carina'],
  ['肺尖', 'landmark', 'apex'],
  ['右肺尖', 'landmark', 'apex_right'],
  ['right apex', 'landmark', 'apex_right'],
  ['left apical region', 'landmark', 'apex_left'],
  ['膈肌', 'landmark', 'hemidiaphragm'],
  ['横膈', 'landmark', 'hemidiaphragm'],
  ['膈顶', 'landmark', 'hemidiaphragm'],
  ['右膈顶', 'landmark', 'hemidiaphragm_right'],
  ['左侧膈肌', 'landmark', 'hemidiaphragm_left'],
  ['diaphragm', 'landmark', 'hemidiaphragm'],
  ['right hemidiaphragm', 'landmark', 'hemidiaphragm_right'],
  ['left hemidiaphram', 'landmark', 'hemidiaphragm_left', 'typo'],
  ['右心缘', 'landmark', 'heart_border_right'],
  ['心左缘', 'landmark', 'heart_border_left'],
  ['left heart border', 'landmark', 'heart_border_left'],
  ['右心膈角', 'landmark', 'cardiophrenic_angle_right'],
  ['主动脉结', 'landmark', 'aortic_knob'],
  ['aortic knob', 'landmark', 'aortic_knob'],
  // structures
  ['肺部是否有异常？', 'structure', 'lungs'],
  ['双肺', 'structure', 'lungs'],
  ['显示双肺和心脏', 'structure', 'lungs'],
  ['心影', 'structure', 'heart'],
  ['Show the heart.', 'structure', 'heart'],
  ['cardiac silhouette', 'structure', 'heart'],
  ['纵隔', 'structure', 'mediastinum'],
  ['气管', 'structure', 'trachea'],
  ['右肺', 'structure', 'lung_right'],
  ['left lung', 'structure', 'lung_left'],
  ['左锁骨', 'structure', 'clavicle_left'],
  ['锁骨', 'structure', 'clavicles'],
  ['肋骨', 'structure', 'ribs'],
  ['脊柱', 'structure', 'spine'],
  // regions
  ['心影后', 'region', 'retrocardiac'],
  ['心影后区有没有结节', 'region', 'retrocardiac'],
  ['心后区', 'region', 'retrocardiac'],
  ['retrocardiac', 'region', 'retrocardiac'],
  ['behind the heart', 'region', 'retrocardiac'],
  ['胸膜', 'region', 'pleura'],
  ['How far is it from the pleura?', 'region', 'pleura'],
  ['右侧胸膜', 'region', 'pleura_right'],
  ['胸壁', 'region', 'chest_wall'],
  ['左侧胸壁', 'region', 'chest_wall_left'],
  ['right chest wall', 'region', 'chest_wall_right'],
  // sides
  ['右侧', 'side', 'right'],
  ['左边那个', 'side', 'left'],
  ['双侧', 'side', 'both'],
  ['bilateral', 'side', 'both'],
  ['右胸', 'side', 'right', 'decision: 右胸/右侧胸腔 = side'],
];

test(`phrasing table has at least 80 rows (${ROWS.length})`, () => {
  assert.ok(ROWS.length >= 80);
});

for (const [text, type, id, note] of ROWS) {
  test(`"${text}" → ${type} ${id}${note ? ` (${note})` : ''}`, () => {
    const found = findAnatomyMentions(text);
    assert.ok(found.length > 0, `no anatomy found in "${text}"`);
    const first = found[0]!;
    assert.deepEqual({ type: first.type, id: first.id }, { type, id }, `first mention: ${JSON.stringify(found)}`);
    assert.equal(text.slice(first.span[0], first.span[1]), first.text, 'span points into the original text');
  });
}

test('a sentence with several mentions yields them in order', () => {
  const got = findAnatomyMentions('右肺中野中带结节，距右肺门约4.7 cm').map((m) => m.id);
  assert.deepEqual(got, ['zone_right_middle', 'band_middle', 'hilum_right']);
});

test('words that merely contain anatomy terms name no anatomy', () => {
  for (const text of [
    '支气管充气征',
    '3 cm左右',
    'Is that alright?',
    'the rightmost one',
    'bronchial wall',
    'cardiac apex',
    '病灶周边有毛刺',
  ]) {
    assert.deepEqual(
      findAnatomyMentions(text).map((m) => m.id),
      [],
      text,
    );
  }
});
