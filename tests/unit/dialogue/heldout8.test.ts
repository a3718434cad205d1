// Held-out batch 8 (issue 14): written after all tuning (batches 4–7 and the exploratory probes),
// before being run; scored once and recorded in docs/dialogue.md.
//
// FIRST RUN: 99/107 = 92.5% fully correct (intent 92.5%). Misses: "A1 follow-up interval?" (→ compare_prior),
//   是真结节吗, "is this a true nodule", 和三个月前比, 这个结节是不是新的 (→ differential by the fallback),
//   分叶征的意思, 毛刺代表什么 (→ margin), 你会干什么 (→ unknown). Then tuned on.
import assert from 'node:assert/strict';
import { score, summary, type Row } from './harness';

export const HELDOUT8: Row[] = [
  // recommendation
  ['这个结节需要处理吗', 'recommendation'],
  ['建议几个月后复查', 'recommendation'],
  ['要不要再拍个侧位片', 'recommendation'],
  ['A2下一步怎么走', 'recommendation', { r: ['explicit_id:A2'] }],
  ['还需要做什么', 'recommendation'],
  ['do you think we need further imaging', 'recommendation'],
  ['suggested next step for A1?', 'recommendation', { r: ['explicit_id:A1'] }],
  ['should I order a CT', 'recommendation'],
  ['what follow-up would you recommend', 'recommendation'],
  ['is a repeat film needed', 'recommendation'],
  ['A1 follow-up interval?', 'recommendation', { r: ['explicit_id:A1'] }],
  ['CT or not?', 'recommendation'],
  // differential
  ['这个影是血管吗', 'differential'],
  ['A1有没有可能是乳头', 'differential', { r: ['explicit_id:A1'] }],
  ['是不是肋骨头', 'differential'],
  ['会不会是钙化的肋软骨', 'differential'],
  ['鉴别诊断考虑什么', 'differential'],
  ['是真结节吗', 'differential'],
  ['is this a true nodule', 'differential'],
  ['vessel end on?', 'differential'],
  ['could A2 be a skin fold', 'differential', { r: ['explicit_id:A2'] }],
  ['what would be on your differential', 'differential'],
  ['nipple marker needed? could be nipple', 'differential'],
  // compare_side
  ['对侧相同位置有吗', 'compare_side'],
  ['跟另一边比较', 'compare_side'],
  ['左右肺同一水平对比', 'compare_side'],
  ['A2和对侧比密度高吗', 'compare_side', { r: ['explicit_id:A2'] }],
  ['compare with the opposite side at the same level', 'compare_side'],
  ['does the other lung look the same there', 'compare_side'],
  ['contralateral?', 'compare_side'],
  ['mirror A2', 'compare_side', { r: ['explicit_id:A2'] }],
  // compare_prior
  ['和三个月前比', 'compare_prior'],
  ['这个结节是不是新的', 'compare_prior'],
  ['与旧片比较有没有长大', 'compare_prior'],
  ['A1上次就有吗', 'compare_prior', { r: ['explicit_id:A1'] }],
  ['病灶较前有变化吗', 'compare_prior'],
  ['compared to the prior, any growth?', 'compare_prior'],
  ['is A2 new since last year', 'compare_prior', { r: ['explicit_id:A2'] }],
  ['how does it compare with the previous radiograph', 'compare_prior'],
  ['any interval change in A1', 'compare_prior', { r: ['explicit_id:A1'] }],
  ['has it shrunk', 'compare_prior'],
  // explain
  ['什么叫支气管充气征', 'explain', { s: ['air_bronchogram'] }],
  ['分叶征的意思', 'explain', { s: ['margin_lobulated'] }],
  ['空洞征象是什么', 'explain', { s: ['cavitation'] }],
  ['能解释一下胸膜凹陷吗', 'explain', { s: ['pleural_indentation'] }],
  ['毛刺代表什么', 'explain', { s: ['margin_spiculated'] }],
  ['what is meant by a notch sign', 'explain', { s: ['notch_sign'] }],
  ['explain vacuole sign', 'explain', { s: ['vacuole_sign'] }],
  ['what does a lobulated margin mean', 'explain', { s: ['margin_lobulated'] }],
  ['what is an ill-defined margin', 'explain', { s: ['margin_ill_defined'] }],
  // checklist
  ['肋膈角变钝没有', 'checklist', { c: 'pleural_effusion' }],
  ['CP angle blunting on the right?', 'checklist', { c: 'pleural_effusion' }],
  ['有胸水吗', 'checklist', { c: 'pleural_effusion' }],
  ['气胸有没有', 'checklist', { c: 'pneumothorax' }],
  ['is there a pneumothorax', 'checklist', { c: 'pneumothorax' }],
  ['心影是否增大', 'checklist', { c: 'cardiomegaly' }],
  ['恶性征象有几条', 'checklist', { c: 'early_lung_cancer' }],
  // location
  ['A1在左上叶吗', 'location', { r: ['explicit_id:A1'] }],
  ['is A2 in the RLL', 'location', { r: ['explicit_id:A2'] }],
  ['behind the heart?', 'location'],
  ['在心影后吗', 'location'],
  ['A1在哪一叶', 'location', { r: ['explicit_id:A1'] }],
  ['which lung is it in', 'location'],
  ['location of A2', 'location', { r: ['explicit_id:A2'] }],
  ['is A1 in the lingula or LLL', 'location', { r: ['explicit_id:A1'] }],
  // margin
  ['胸膜凹陷征有吗', 'margin', { s: ['pleural_indentation'] }],
  ['有没有胸膜牵拉征', 'margin', { s: ['pleural_indentation'] }],
  ['any pleural retraction from A2', 'margin', { s: ['pleural_indentation'] }],
  ['spiculation?', 'margin', { sx: ['margin_spiculated'] }],
  ['A1有切迹吗', 'margin', { sx: ['notch_sign'] }],
  ['边缘有没有分叶', 'margin', { s: ['margin_lobulated'] }],
  ['margin well defined?', 'margin'],
  ['边界清吗', 'margin'],
  // size
  ['A2长径', 'size', { r: ['explicit_id:A2'] }],
  ['short axis?', 'size'],
  ['大于5毫米吗', 'size'],
  ['is it above 8mm', 'size'],
  ['size of the nodule in mm', 'size'],
  ['A1多少厘米', 'size', { r: ['explicit_id:A1'] }],
  ['how wide is A2', 'size', { r: ['explicit_id:A2'] }],
  // distance
  ['A1 A2 中心间距', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['dist A2 A3', 'distance', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  ['A1和A3离多远', 'distance', { r: ['explicit_id:A1', 'explicit_id:A3'] }],
  ['edge-to-edge gap A1 A2', 'distance', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['A2 to A3 distance', 'distance', { r: ['explicit_id:A2', 'explicit_id:A3'] }],
  // other intents, mixed, typos
  ['这张片子怎么样', 'overview'],
  ['is the film normal', 'overview'],
  ['说说A1', 'describe_finding', { r: ['explicit_id:A1'] }],
  ['A2 里面有钙化吗', 'density', { s: ['calcification'] }],
  ['any cavitation in A1', 'density', { s: ['cavitation'] }],
  ['A2离肺门多远', 'relation_landmark'],
  ['is A1 touching the diaphragm', 'relation_landmark'],
  ['显示气管', 'show_anatomy'],
  ['心胸比正常吗', 'cardiothoracic_ratio'],
  ['A1和A2谁更可疑', 'compare', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['summarise the findings', 'report'],
  ['你会干什么', 'help'],
  ['给病人开个药', 'unknown'],
  ['what is the patient age', 'unknown'],
  ['A1边园光整吗', 'margin'],
  ['毛刺症是啥意思', 'explain', { s: ['margin_spiculated'] }],
  ['A1 的 size 多大', 'size'],
  ['A2 需要 follow-up 吗', 'recommendation', { r: ['explicit_id:A2'] }],
  ['A1 vs 上次', 'compare_prior', { r: ['explicit_id:A1'] }],
  ['对侧 same level 比一下', 'compare_side'],
  ['is A1 a vesel', 'differential', { r: ['explicit_id:A1'] }],
  ['recomendation?', 'recommendation'],
];

test('held-out batch heldout8 (issue 14; written after tuning on batch 7, scored once, then tuned on)', () => {
  const s = score(HELDOUT8);
  console.log(summary('heldout8', s));
  for (const m of s.misses) console.log(`  MISS ${m.text}: ${m.miss.join('; ')}`);
  assert.ok(HELDOUT8.length >= 100);
  assert.ok(s.passed / s.total >= 0.95, `${s.passed}/${s.total}`);
});
