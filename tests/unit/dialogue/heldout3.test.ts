// Held-out batch 3: written AFTER all the fixes prompted by heldout2 and the exploratory probes,
// run once, and NOT tuned on afterwards (only obvious test-data mistakes may be corrected).
//
// FIRST RUN: 40 rows, 39/40 = 97.5% fully correct (intent 39/40 = 97.5%).
//   Miss: 帮忙量下A1 (→ describe_finding: the colloquial 量下, without 一, is not a size cue). Left unfixed.
import assert from 'node:assert/strict';
import { score, summary, type Row } from './harness';

export const HELDOUT3: Row[] = [
  ['A3边缘呢', 'margin', { r: ['explicit_id:A3'] }],
  ['内部有没有钙化灶', 'density', { s: ['calcification'] }],
  ['帮忙量下A1', 'size', { r: ['explicit_id:A1'] }],
  ['A2离左侧胸壁多远', 'relation_landmark', { r: ['explicit_id:A2'], t: ['chest_wall:chest_wall_left'] }],
  ['这个跟隆突的关系', 'relation_landmark', { r: ['deictic'], t: ['carina:carina'] }],
  ['结节是否贴着胸膜', 'relation_landmark', { t: ['pleura:null'] }],
  ['A1和A3之间隔多远', 'distance', { r: ['explicit_id:A1', 'explicit_id:A3'] }],
  ['把气管标一下', 'show_anatomy', { an: ['structure:trachea'] }],
  ['右肺门呢', 'location', { t: ['hilum:hilum_right'] }],
  ['心胸比正常吗?', 'cardiothoracic_ratio'],
  ['左边有气胸吗', 'checklist', { c: 'pneumothorax' }],
  ['看着像恶性吗', 'checklist', { c: 'early_lung_cancer' }],
  ['A1 A2 对比', 'compare', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['给个总结', 'report'],
  ['这片子还有别的问题吗', 'overview'],
  ['左下肺野有没有病灶', 'overview'],
  ['第三个在哪', 'location', { d: ['ordinal:3'] }],
  ['小的那个有空洞吗', 'density', { d: ['sizeRank:smallest'], s: ['cavitation'] }],
  ['ＡＩ能做啥', 'help'],
  ['明天能做增强CT吗', 'unknown'],
  ['margins on A2?', 'margin', { r: ['explicit_id:A2'] }],
  ['is A1 lobulated', 'margin', { r: ['explicit_id:A1'], s: ['margin_lobulated'] }],
  ['any calcification in the right lower lobe nodule?', 'density', { an: ['lobe:RLL'], s: ['calcification'] }],
  ['how large is the mass?', 'size', { d: ['findingType:mass'] }],
  ['size of the biggest one', 'size', { d: ['sizeRank:largest'] }],
  ['which zone is the second nodule in', 'location', { d: ['ordinal:2', 'findingType:nodule'] }],
  [
    'how far is it from the right hemidiaphragm',
    'relation_landmark',
    { r: ['deictic'], t: ['diaphragm:hemidiaphragm_right'] },
  ],
  ['does A2 touch the chest wall?', 'relation_landmark', { r: ['explicit_id:A2'], t: ['chest_wall:null'] }],
  ['distance between these two points', 'distance', { r: ['recent:2'] }],
  ['outline the left lung please', 'show_anatomy', { an: ['structure:lung_left'] }],
  ["what's the cardiothoracic ratio?", 'cardiothoracic_ratio'],
  ['any sign of effusion on the left?', 'checklist', { c: 'pleural_effusion' }],
  ['could A1 be malignant', 'checklist', { r: ['explicit_id:A1'], c: 'early_lung_cancer' }],
  ['A1 or A2 - which looks more suspicious?', 'compare', { r: ['explicit_id:A1', 'explicit_id:A2'] }],
  ['draft a report for me', 'report'],
  ['any abnormality in the left lung?', 'overview', { an: ['structure:lung_left'] }],
  ['what about the first one?', 'describe_finding', { d: ['ordinal:1'] }],
  ['is it ill defined?', 'margin', { r: ['deictic'] }],
  ['pls tell me what A2 is', 'describe_finding', { r: ['explicit_id:A2'] }],
  ['book a follow-up CT', 'unknown'],
];

test('held-out batch heldout3 (written after all fixes, never tuned on)', () => {
  const s = score(HELDOUT3);
  console.log(summary('heldout3', s));
  for (const m of s.misses) console.log(`  MISS ${m.text}: ${m.miss.join('; ')}`);
  assert.ok(HELDOUT3.length >= 30);
  assert.ok(s.passed / s.total >= 0.85, `${s.passed}/${s.total}`);
});
