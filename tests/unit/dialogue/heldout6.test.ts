// Held-out batch 6 (issue 14): written after tuning on batch 5 and adding the scored fallback,
// before being run; scored once and recorded in docs/dialogue.md.
//
// FIRST RUN: 101/110 = 91.8% fully correct (intent 91.8%). Misses: "does this need a chest CT?",
//   "how to proceed with this finding", 这个 nodule 需要 CT 吗 (recommendation 9/12); "could it just be
//   overlapping shadows" (differential 11/12); A2比以前大了没, "did it grow" (compare_prior 9/11);
//   给我讲讲支气管充气征 (explain 10/11); "is it behind the heart shadow", "A1 in LUL or lingula?" (location 6/8).
//   Then tuned on; now a regression bank.
import assert from 'node:assert/strict';
import { score, summary, type Row } from './harness';

export const HELDOUT6: Row[] = [
  // recommendation
  ['需要进一步处理吗', 'recommendation'],
  ['A1要不要定期复查', 'recommendation', { r: ['explicit_id:A1'] }],
  ['建议做什么检查', 'recommendation'],
  ['该不该拍个CT', 'recommendation'],
  ['CT有必要吗', 'recommendation'],
  ['is follow-up imaging recommended for A2?', 'recommendation', { r: ['explicit_id:A2'] }],
  ['what would you advise', 'recommendation'],
  ['does this need a chest CT?', 'recommendation'],
  ['next step pls', 'recommendation'],
  ['how to proceed with this finding', 'recommendation'],
  ['A1后续怎么处理', 'recommendation', { r: ['explicit_id:A1'] }],
  // differential
  ['这个会不会是乳头投影', 'differential'],
  ['A2是血管断面吗', 'differential', { r: ['explicit_id:A2'] }],
  ['是不是肋骨伪影', 'differential'],
  ['有没有可能是骨岛', 'differential'],
  ['鉴别一下', 'differential'],
  ['could it just be overlapping shadows', 'differential'],
  ['nipple shadow or nodule?', 'differential'],
  ['is A1 a vessel?', 'differential', { r: ['explicit_id:A1'] }],
  ['what are the mimics here', 'differential'],
  ['differential diagnosis for A1 please', 'differential', { r: ['explicit_id:A1'] }],
  ['会是皮肤褶皱吗', 'differential'],
  // compare_side
  ['对侧同样的位置有没有', 'compare_side'],
  ['和健侧比一下', 'compare_side'],
  ['A1对侧对应区域密度如何', 'compare_side', { r: ['explicit_id:A1'] }],
  ['compare this region with the opposite lung', 'compare_side'],
  ['mirror comparison please', 'compare_side'],
  ['same level on the other side?', 'compare_side'],
  ['左右对称吗', 'compare_side'],
  ['right vs left lung at A2', 'compare_side', { r: ['explicit_id:A2'] }],
  // compare_prior
  ['这个是新出现的吗', 'compare_prior'],
  ['和前片相比大小有变化吗', 'compare_prior'],
  ['去年的片子上有吗', 'compare_prior'],
  ['A2比以前大了没', 'compare_prior', { r: ['explicit_id:A2'] }],
  ['change since prior?', 'compare_prior'],
  ['is A1 new?', 'compare_prior', { r: ['explicit_id:A1'] }],
  ['compare to previous study', 'compare_prior'],
  ['did it grow', 'compare_prior'],
  ['和既往影像对比', 'compare_prior'],
  ['has the nodule enlarged since the last exam', 'compare_prior'],
  // explain
  ['空洞是什么意思', 'explain', { s: ['cavitation'] }],
  ['啥是分叶征', 'explain', { s: ['margin_lobulated'] }],
  ['毛刺征怎么定义', 'explain', { s: ['margin_spiculated'] }],
  ['给我讲讲支气管充气征', 'explain', { s: ['air_bronchogram'] }],
  ['胸膜凹陷征指什么', 'explain', { s: ['pleural_indentation'] }],
  ['what is a vacuole sign?', 'explain', { s: ['vacuole_sign'] }],
  ['what does notch sign mean?', 'explain', { s: ['notch_sign'] }],
  ['explain spiculation and show it on A1', 'explain', { s: ['margin_spiculated'] }],
  ['definition of calcification', 'explain', { s: ['calcification'] }],
  ['what is lobulation', 'explain', { s: ['margin_lobulated'] }],
  // checklist
  ['肋膈角有没有变钝', 'checklist', { c: 'pleural_effusion' }],
  ['左肋膈角锐利吗', 'checklist', { c: 'pleural_effusion' }],
  ['are both CP angles sharp', 'checklist', { c: 'pleural_effusion' }],
  ['blunted costophrenic angle?', 'checklist', { c: 'pleural_effusion' }],
  ['胸腔有积液吗', 'checklist', { c: 'pleural_effusion' }],
  ['any pneumothorax on the right', 'checklist', { c: 'pneumothorax' }],
  ['早期肺癌表现符合几条', 'checklist', { c: 'early_lung_cancer' }],
  ['cardiomegaly?', 'checklist', { c: 'cardiomegaly' }],
  // location
  ['A2在不在舌段', 'location', { r: ['explicit_id:A2'] }],
  ['is A1 in the right lower lobe?', 'location', { r: ['explicit_id:A1'] }],
  ['is it behind the heart shadow', 'location'],
  ['A1 in LUL or lingula?', 'location', { r: ['explicit_id:A1'] }],
  ['位于哪个肺叶', 'location'],
  ['where exactly is A2', 'location', { r: ['explicit_id:A2'] }],
  ['是否位于心影后', 'location'],
  ['which zone', 'location'],
  // margin
  ['有没有胸膜尾征', 'margin', { s: ['pleural_indentation'] }],
  ['pleural indentation?', 'margin', { s: ['pleural_indentation'] }],
  ['A1 spiculated?', 'margin', { sx: ['margin_spiculated'] }],
  ['有分叶没有', 'margin', { sx: ['margin_lobulated', 'notch_sign'] }],
  ['有没有切迹', 'margin', { sx: ['notch_sign'] }],
  ['边缘毛糙吗', 'margin'],
  ['edges smooth?', 'margin'],
  ['毛刺多不多', 'margin', { s: ['margin_spiculated'] }],
  // size
  ['长短径各多少', 'size'],
  ['A2 短径', 'size', { r: ['explicit_id:A2'] }],
  ['bigger than 2 cm?', 'size'],
  ['is A1 under 6 mm', 'size', { r: ['explicit_id:A1'] }],
  ['大于1厘米吗', 'size'],
  ['long axis of A2?', 'size', { r: ['explicit_id:A2'] }],
  ['有多大啊', 'size'],
  // distance
  ['A1 A2 distance?', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['A1到A2的距离', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['dist between A1 and A3', 'distance', { r: ['explicit_id:A1', 'explicit_id:A3'] }],
  ['A2 A3 相距', 'distance', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  ['how far apart are A1 and A2', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  // others, mixed, typos
  ['有没有异常', 'overview'],
  ['anything suspicious on this film?', 'overview'],
  ['describe A3', 'describe_finding', { r: ['explicit_id:A3'] }],
  ['A1是啥', 'describe_finding', { r: ['explicit_id:A1'] }],
  ['有钙化吗', 'density', { s: ['calcification'] }],
  ['is A2 solid or ground glass', 'density'],
  ['A1离胸壁多远', 'relation_landmark', { t: ['chest_wall:null'] }],
  ['is it connected to the hilum', 'relation_landmark'],
  ['画出心脏和气管', 'show_anatomy'],
  ['show the lungs', 'show_anatomy'],
  ['CTR多少', 'cardiothoracic_ratio'],
  ['compare A2 with A3', 'compare', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  ['A1和A2有什么区别', 'compare', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['生成报告', 'report'],
  ['what can I ask you', 'help'],
  ['帮我挂个号', 'unknown'],
  ['what dose of steroids', 'unknown'],
  ['A1有空东吗', 'density', { s: ['cavitation'] }],
  ['分页征是什么', 'explain', { s: ['margin_lobulated'] }],
  ['A2 的 long axis', 'size', { r: ['explicit_id:A2'] }],
  ['这个 nodule 需要 CT 吗', 'recommendation'],
  ['A1 是不是 nipple', 'differential', { r: ['explicit_id:A1'] }],
  ['和 prior 比', 'compare_prior'],
  ['calcificaton?', 'density', { s: ['calcification'] }],
];

test('held-out batch heldout6 (issue 14; written after tuning on batch 5 and the fallback, scored once)', () => {
  const s = score(HELDOUT6);
  console.log(summary('heldout6', s));
  for (const m of s.misses) console.log(`  MISS ${m.text}: ${m.miss.join('; ')}`);
  assert.ok(HELDOUT6.length >= 100);
  assert.ok(s.passed / s.total >= 0.95, `${s.passed}/${s.total}`);
});
