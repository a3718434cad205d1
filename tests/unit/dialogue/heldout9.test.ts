// Held-out batch 9 (issue 14): written after all tuning (batches 4–8, probes, the fallback overrule),
// before being run; scored once and recorded in docs/dialogue.md as the final unseen-phrasing figure.
// Not tuned on.
//
// FIRST RUN: 105/108 = 97.2% fully correct (intent 97.2%). Misses: "would a CT help here" (→ help),
//   "what imaging next" (→ unknown), 肋骨的问题吗 (→ overview).
import assert from 'node:assert/strict';
import { score, summary, type Row } from './harness';

export const HELDOUT9: Row[] = [
  // recommendation
  ['这个结节后续怎么管理', 'recommendation'],
  ['要不要建议病人做CT', 'recommendation'],
  ['半年后复查可以吗', 'recommendation'],
  ['A2是否需要随访观察', 'recommendation', { r: ['explicit_id:A2'] }],
  ['接下来做什么检查比较好', 'recommendation'],
  ['would a CT help here', 'recommendation'],
  ['what imaging next', 'recommendation'],
  ['any need for follow up of A1', 'recommendation', { r: ['explicit_id:A1'] }],
  ['how would you work this up', 'recommendation'],
  ['recommend CT?', 'recommendation'],
  ['should this patient get a chest CT', 'recommendation'],
  // differential
  ['A1会不会是血管重叠', 'differential', { r: ['explicit_id:A1'] }],
  ['这是不是乳头影啊', 'differential'],
  ['可能是骨岛吗', 'differential'],
  ['肋骨的问题吗', 'differential'],
  ['这个影需要鉴别什么', 'differential'],
  ['is that an end-on vessel or a nodule', 'differential'],
  ['could A2 be a nipple shadow', 'differential', { r: ['explicit_id:A2'] }],
  ['rib or nodule?', 'differential'],
  ['list the differential', 'differential'],
  ['is it an artefact', 'differential'],
  ['could this be pseudo-nodule', 'differential'],
  // compare_side
  ['和对侧肺对比看看', 'compare_side'],
  ['右边同样位置呢', 'compare_side'],
  ['两侧同一部位比一下', 'compare_side'],
  ['A1跟对侧镜像区比较', 'compare_side', { r: ['explicit_id:A1'] }],
  ['compare it to the contralateral side', 'compare_side'],
  ['check the opposite lung at the same spot', 'compare_side'],
  ['is there something similar on the other side', 'compare_side'],
  ['left vs right comparison', 'compare_side'],
  // compare_prior
  ['和去年比有变化没', 'compare_prior'],
  ['比之前那张片子大了吗', 'compare_prior'],
  ['这是新发的吗', 'compare_prior'],
  ['A2跟上次片子对比', 'compare_prior', { r: ['explicit_id:A2'] }],
  ['前片上有没有这个', 'compare_prior'],
  ['is this a new finding compared with the previous study', 'compare_prior'],
  ['has A1 grown', 'compare_prior', { r: ['explicit_id:A1'] }],
  ['any difference from the prior CXR', 'compare_prior'],
  ['stable since last film?', 'compare_prior'],
  ['was it there before', 'compare_prior'],
  // explain
  ['毛刺征是怎么形成的', 'explain', { s: ['margin_spiculated'] }],
  ['什么是胸膜凹陷', 'explain', { s: ['pleural_indentation'] }],
  ['分叶征说明什么', 'explain', { s: ['margin_lobulated'] }],
  ['空泡征是啥', 'explain', { s: ['vacuole_sign'] }],
  ['解释一下支气管充气征', 'explain', { s: ['air_bronchogram'] }],
  ['what is a spiculated margin', 'explain', { s: ['margin_spiculated'] }],
  ['what does cavitation mean', 'explain', { s: ['cavitation'] }],
  ['explain notch sign please', 'explain', { s: ['notch_sign'] }],
  ["what's pleural indentation", 'explain', { s: ['pleural_indentation'] }],
  ['what is a calcified nodule', 'explain', { s: ['calcification'] }],
  // checklist
  ['双侧肋膈角锐利吗', 'checklist', { c: 'pleural_effusion' }],
  ['右肋膈角变钝了没', 'checklist', { c: 'pleural_effusion' }],
  ['costophrenic angles sharp?', 'checklist', { c: 'pleural_effusion' }],
  ['is there any effusion', 'checklist', { c: 'pleural_effusion' }],
  ['有没有气胸的表现', 'checklist', { c: 'pneumothorax' }],
  ['pneumothorax?', 'checklist', { c: 'pneumothorax' }],
  ['心脏增大没有', 'checklist', { c: 'cardiomegaly' }],
  ['符合早期肺癌的表现吗', 'checklist', { c: 'early_lung_cancer' }],
  // location
  ['A1在右下叶吗', 'location', { r: ['explicit_id:A1'] }],
  ['is A2 in the RUL?', 'location', { r: ['explicit_id:A2'] }],
  ['is it behind the heart or in the LLL', 'location'],
  ['这个在心影后方吗', 'location'],
  ['A2是哪个叶的', 'location', { r: ['explicit_id:A2'] }],
  ['which lobe is the nodule in', 'location'],
  ['where is A1?', 'location', { r: ['explicit_id:A1'] }],
  ['在右肺还是左肺', 'location'],
  // margin
  ['有无胸膜凹陷征', 'margin', { s: ['pleural_indentation'] }],
  ['pleural tag?', 'margin', { s: ['pleural_indentation'] }],
  ['A2有毛刺吗', 'margin', { sx: ['margin_spiculated'] }],
  ['is A1 lobulated?', 'margin', { s: ['margin_lobulated'] }],
  ['边缘光不光滑', 'margin'],
  ['margin irregular?', 'margin'],
  ['有没有切迹征', 'margin', { s: ['notch_sign'] }],
  ['轮廓清楚吗', 'margin'],
  // size
  ['A1的长径和短径', 'size', { r: ['explicit_id:A1'] }],
  ['有没有超过1cm', 'size'],
  ['is it more than 2 cm', 'size'],
  ['long axis length?', 'size'],
  ['多大尺寸', 'size'],
  ['size of A2 pls', 'size', { r: ['explicit_id:A2'] }],
  ['大概几毫米', 'size'],
  // distance
  ['A1 A2 距离多少', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['A1到A3多远', 'distance', { r: ['explicit_id:A1', 'explicit_id:A3'] }],
  ['A2 A3 dist pls', 'distance', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  ['distance between A1 and A2 centres', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['how far apart A2 and A3', 'distance', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  // other intents, mixed, typos
  ['片子正常吗', 'overview'],
  ['any lesions?', 'overview'],
  ['A2详细描述一下', 'describe_finding', { r: ['explicit_id:A2'] }],
  ['A1 内部密度怎样', 'density'],
  ['is there calcification in A2', 'density', { s: ['calcification'] }],
  ['A1和肺门相连吗', 'relation_landmark'],
  ['distance from A1 to the pleura', 'relation_landmark'],
  ['标出心脏', 'show_anatomy'],
  ['CTR?', 'cardiothoracic_ratio'],
  ['A1 A2 哪个大', 'compare', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['出报告', 'report'],
  ['能问什么问题', 'help'],
  ['明天安排个MRI', 'unknown'],
  ['今天天气好吗', 'unknown'],
  ['A1有钙话吗', 'density', { s: ['calcification'] }],
  ['A2 边源规则吗', 'margin'],
  ['什么是分页征', 'explain', { s: ['margin_lobulated'] }],
  ['A1 需不需要 CT', 'recommendation', { r: ['explicit_id:A1'] }],
  ['A2 是不是 nipple shadow', 'differential', { r: ['explicit_id:A2'] }],
  ['跟 prior film 比较', 'compare_prior'],
  ['和 contralateral 比较', 'compare_side'],
  ['diffrential?', 'differential'],
];

test('held-out batch heldout9 (issue 14; written after all tuning, scored once, not tuned on)', () => {
  const s = score(HELDOUT9);
  console.log(summary('heldout9', s));
  for (const m of s.misses) console.log(`  MISS ${m.text}: ${m.miss.join('; ')}`);
  assert.ok(HELDOUT9.length >= 100);
  // The first run is recorded in docs/dialogue.md; this floor only guards against regressions.
  assert.ok(s.passed / s.total >= 0.85, `${s.passed}/${s.total}`);
});
