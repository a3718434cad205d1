// Coreference chains (api.md 10.5): multi-turn conversations run through understand +
// resolveAnchors against a simulated session. After each turn the focus becomes the subject's
// lineage root (after an overview: the highest-priority finding; after a turn with no subject:
// unchanged), an overview sets the list that ordinals count in, and a drawn anchor becomes the
// focus (api.md 8.3). Each step checks the resolved anchor ids and reasons.
import assert from 'node:assert/strict';
import type { Anchor } from '../../../server/src/contract';
import { Sim, child, three, user, worked, type Step } from './chainsim';

function run(name: string, anchors: Anchor[], steps: Step[]): void {
  test(name, () => {
    const sim = new Sim(anchors);
    steps.forEach((s, i) => {
      const r = sim.turn(s);
      const got = r.map((x) => [x.anchorId, x.reason]);
      assert.deepEqual(got, s.expect, `turn ${i + 1} "${s.text}": got ${JSON.stringify(got)}; ${r[0]?.explanation}`);
      if (s.candidates)
        assert.deepEqual([...r[0]!.candidates].sort(), [...s.candidates].sort(), `turn ${i + 1} candidates`);
      if (s.expect.some(([, reason]) => reason === 'ambiguous'))
        assert.ok(r[0]!.candidates.length >= 2, 'ambiguous lists ≥ 2 candidates');
      if (s.focusAfter !== undefined) assert.equal(sim.focus, s.focusAfter, `turn ${i + 1} focus after`);
      if (s.intent) assert.equal(sim.lastIntent, s.intent, `turn ${i + 1} "${s.text}" intent`);
    });
  });
}

run('1 zh: the worked example (api.md 15)', worked(), [
  {
    text: '肺部是否有异常？',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
    focusAfter: 'A1',
  },
  {
    text: '右肺中叶那个圆形影，边缘是否规则？',
    expect: [['A1', 'anatomy_descriptor_match']],
    candidates: ['A1'],
    focusAfter: 'A1',
  },
  { text: '这个病灶距离右肺门有多远？是否与肺门结构相连？', expect: [['A1', 'last_focused']] },
  {
    text: '如果这是早期肺癌，典型X线表现应该有哪些？当前影像符合几条？',
    expect: [['A1', 'last_focused']],
    focusAfter: 'A1',
  },
]);

run('2 en: the worked example in English', worked(), [
  {
    text: 'Is anything abnormal in the lungs?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  {
    text: 'The round opacity in the right middle lobe — is its margin regular?',
    expect: [['A1', 'anatomy_descriptor_match']],
  },
  {
    text: 'How far is this lesion from the right hilum? Is it connected to the hilar structures?',
    expect: [['A1', 'last_focused']],
  },
  {
    text:
      'If this were early lung cancer, which radiographic features ' +
      'would be typical, and how many does this image show?',
    expect: [['A1', 'last_focused']],
  },
]);

run('3 zh: ordinals over the overview list, then deictics follow the focus', worked(), [
  {
    text: '有没有异常',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: '第二个多大?', expect: [['A2', 'ordinal']], focusAfter: 'A2' },
  { text: '它的边缘光滑吗', expect: [['A2', 'last_focused']] },
  { text: '第一个呢?', expect: [['A1', 'ordinal']], focusAfter: 'A1' },
  { text: '这个离胸膜多远', expect: [['A1', 'last_focused']] },
  { text: '第三个呢', expect: [[null, 'none']], focusAfter: 'A1' },
]);

run('4 en: size ranks, then the focus moves with them', worked(), [
  {
    text: 'Any findings?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: 'The bigger one — where is it?', expect: [['A1', 'size_rank']] },
  { text: 'And the smaller one?', expect: [['A2', 'size_rank']], focusAfter: 'A2' },
  { text: 'How far is it from the left hilum?', expect: [['A2', 'last_focused']] },
  {
    text: 'Compare A1 with A2',
    expect: [
      ['A1', 'explicit_id'],
      ['A2', 'explicit_id'],
    ],
  },
]);

run('5 zh: drawn points — 这两个点, then this point, then findings by id', worked(), [
  {
    text: '这两个点相距多远?',
    draw: [user('A3', [300, 400]), user('A4', [700, 800])],
    expect: [
      ['A3', 'recent_anchors'],
      ['A4', 'recent_anchors'],
    ],
    focusAfter: 'A3',
  },
  { text: '这个点在哪里?', expect: [['A3', 'last_focused']] },
  { text: 'A1有多大', expect: [['A1', 'explicit_id']], focusAfter: 'A1' },
  { text: '它的边缘规则吗', expect: [['A1', 'last_focused']] },
  {
    text: '刚画的两个点距离是多少',
    expect: [
      ['A3', 'recent_anchors'],
      ['A4', 'recent_anchors'],
    ],
  },
]);

run('6 en: ambiguity, a disambiguating lobe, a non-matching lobe (none), a finding type', three(), [
  {
    text: 'Is anything abnormal?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
      ['A3', 'all_findings'],
    ],
  },
  {
    text: 'How big is the right lung nodule?',
    expect: [[null, 'ambiguous']],
    candidates: ['A1', 'A2'],
    focusAfter: 'A1',
  },
  {
    text: 'The one in the right lower lobe, how big is it?',
    expect: [['A2', 'anatomy_descriptor_match']],
    focusAfter: 'A2',
  },
  { text: 'How big is the nodule in the left lower lobe?', expect: [[null, 'none']], focusAfter: 'A2' },
  { text: 'What about the mass?', expect: [['A3', 'anatomy_descriptor_match']], focusAfter: 'A3' },
  { text: 'the nodule in the right lung — is it smooth?', expect: [[null, 'ambiguous']], candidates: ['A1', 'A2'] },
]);

run('7 zh: no finding matches → none, never another lesion; unknown ids', worked(), [
  {
    text: '肺部有异常吗',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: '左肺下叶那个结节多大?', expect: [[null, 'none']], focusAfter: 'A1' },
  { text: 'A9有多大', expect: [[null, 'none']], focusAfter: 'A1' },
  { text: '那A2呢?', expect: [['A2', 'explicit_id']], focusAfter: 'A2' },
  { text: '它离左肺门多远', expect: [['A2', 'last_focused']] },
  { text: '右肺那个椭圆形的结节呢', expect: [[null, 'none']], focusAfter: 'A2' },
  { text: '这个结节在右肺中叶吗?', expect: [['A2', 'last_focused']], focusAfter: 'A2' },
]);

run('8 zh: the request focus (clicked anchor, clicked point) beats the session focus', worked(), [
  {
    text: '这个多大',
    focus: { anchorId: 'A2', reason: 'focus_anchor' },
    expect: [['A2', 'focus_anchor']],
    focusAfter: 'A2',
  },
  { text: '它的边缘呢', expect: [['A2', 'last_focused']] },
  {
    text: '这里是什么?',
    focus: { anchorId: 'A1', reason: 'clicked_point' },
    expect: [['A1', 'clicked_point']],
    focusAfter: 'A1',
  },
  { text: '离肺门多远', expect: [['A1', 'last_focused']] },
  {
    text: 'A2和这个哪个更大',
    focus: { anchorId: 'A1', reason: 'focus_anchor' },
    expect: [
      ['A2', 'explicit_id'],
      ['A1', 'focus_anchor'],
    ],
  },
]);

run('9 en: three drawn points, the two most recent; then an ordinal with no overview yet', worked(), [
  {
    text: 'How far apart are these two points?',
    draw: [user('A3', [100, 100]), user('A4', [200, 200]), user('A5', [300, 300])],
    expect: [
      ['A4', 'recent_anchors'],
      ['A5', 'recent_anchors'],
    ],
    focusAfter: 'A4',
  },
  { text: 'Where is this point?', expect: [['A4', 'last_focused']] },
  { text: 'What about the first one?', expect: [['A1', 'ordinal']] },
  { text: 'Describe A2', expect: [['A2', 'explicit_id']] },
  {
    text: 'how far is this from A1?',
    expect: [
      ['A2', 'last_focused'],
      ['A1', 'explicit_id'],
    ],
  },
]);

run('10 zh: both / 这两个结节 → all findings; 大的那个', worked(), [
  {
    text: '有没有异常',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  {
    text: '两个结节之间的距离是多少',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  {
    text: '比较一下这两个结节',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: '小的那个边缘规则吗', expect: [['A2', 'size_rank']], focusAfter: 'A2' },
  { text: '大的那个呢', expect: [['A1', 'size_rank']], focusAfter: 'A1' },
]);

run(
  '11 en: ids of refinements and measurements resolve to their lineage root',
  [
    ...worked(),
    Object.assign(child('A3', 'refinement', 'A1')),
    child('A4', 'landmark' as never, 'A1'),
    child('A5', 'measurement', 'A1'),
  ].map((a) =>
    a.id === 'A4' ? { ...a, kind: 'landmark' as const, parentId: null, landmarkId: 'hilum_right' as never } : a,
  ),
  [
    { text: 'Describe A3', expect: [['A1', 'explicit_id']], focusAfter: 'A1' },
    { text: 'How big is it?', expect: [['A1', 'last_focused']] },
    { text: 'Is A5 connected to the pleura?', expect: [['A1', 'explicit_id']] },
    { text: 'Tell me about A2', expect: [['A2', 'explicit_id']], focusAfter: 'A2' },
    { text: 'what is the CTR?', expect: [[null, 'none']], focusAfter: 'A2' },
  ],
);

run(
  '12 zh: a single finding — only_candidate, then a non-matching lobe stays none',
  [worked()[0]!],
  [
    { text: '它多大', expect: [['A1', 'only_candidate']], focusAfter: 'A1' },
    { text: '边缘呢', expect: [['A1', 'last_focused']] },
    { text: '右肺下叶那个结节呢', expect: [[null, 'none']], focusAfter: 'A1' },
    { text: '这个离隆突多远', expect: [['A1', 'last_focused']] },
    { text: '有没有气胸', expect: [[null, 'none']], focusAfter: 'A1' },
  ],
);

run('13 mixed zh/en with typos', worked(), [
  {
    text: 'any abnormalites?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: 'the 2nd one, marign smooth?', expect: [['A2', 'ordinal']] },
  { text: 'distnace to the pleura', expect: [['A2', 'last_focused']] },
  { text: 'RML那个nodule多大', expect: [['A1', 'anatomy_descriptor_match']], focusAfter: 'A1' },
  { text: '这个lesion离hilum多远', expect: [['A1', 'last_focused']] },
]);

run('14 en: a drawn region becomes the focus; deictics then follow it', worked(), [
  {
    text: 'Is anything abnormal in the lungs?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  {
    text: 'How big is this region?',
    draw: [user('A3', [400, 500])],
    expect: [['A3', 'last_focused']],
    focusAfter: 'A3',
  },
  {
    text: 'How far is it from A2?',
    expect: [
      ['A3', 'last_focused'],
      ['A2', 'explicit_id'],
    ],
  },
  { text: 'Which lobe is it in?', expect: [['A3', 'last_focused']] },
  { text: 'Back to the first one: is its margin regular?', expect: [['A1', 'ordinal']], focusAfter: 'A1' },
]);

run('15 zh/en terse follow-ups: 那左边呢, the other one, numbered findings', worked(), [
  {
    text: '有异常吗',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
    focusAfter: 'A1',
  },
  { text: '钙化呢', expect: [['A1', 'last_focused']] },
  { text: '那左边呢?', expect: [['A2', 'anatomy_descriptor_match']], focusAfter: 'A2' },
  { text: 'the other one?', expect: [['A1', 'only_candidate']], focusAfter: 'A1' },
  { text: '另一个呢', expect: [['A2', 'only_candidate']], focusAfter: 'A2' },
  { text: '1号多大', expect: [['A1', 'ordinal']], focusAfter: 'A1' },
  { text: 'nodule #2 - where?', expect: [['A2', 'ordinal']], focusAfter: 'A2' },
  { text: 'and the one in the right middle lobe', expect: [['A1', 'anatomy_descriptor_match']], focusAfter: 'A1' },
]);

run('16 zh: "右肺那个" is attributive — it selects, it does not keep the focus', three(), [
  {
    text: '有没有结节',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
      ['A3', 'all_findings'],
    ],
    focusAfter: 'A1',
  },
  { text: '右肺那个多大', expect: [[null, 'ambiguous']], candidates: ['A1', 'A2'], focusAfter: 'A1' },
  { text: '右下肺那个结节有钙化吗', expect: [['A2', 'anatomy_descriptor_match']], focusAfter: 'A2' },
  { text: '这个右肺的结节边缘怎么样', expect: [['A2', 'best_match']], focusAfter: 'A2' },
]);

// Issue 14: the follow-up intents inside conversations.
run('F1 zh: overview → vessel? → recommendation → same place on the other side → what is spiculation', worked(), [
  {
    text: '肺部有异常吗',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
    focusAfter: 'A1',
  },
  { text: '这个影会不会是血管断面?', expect: [['A1', 'last_focused']], focusAfter: 'A1' },
  { text: '那A2呢,是不是乳头影', expect: [['A2', 'explicit_id']], focusAfter: 'A2' },
  { text: '它需要进一步检查吗', expect: [['A2', 'last_focused']] },
  { text: '和对侧同一位置比较一下', expect: [['A2', 'last_focused']], focusAfter: 'A2' },
  { text: '下一步建议怎么做?', expect: [[null, 'none']], focusAfter: 'A2' },
  { text: '什么是毛刺征', expect: [[null, 'none']], focusAfter: 'A2' },
]);

run('F2 en: recommendation, prior and side comparisons keep the right subject', worked(), [
  {
    text: 'Any findings?',
    expect: [
      ['A1', 'all_findings'],
      ['A2', 'all_findings'],
    ],
  },
  { text: 'Could this be a vessel seen end-on?', expect: [['A1', 'last_focused']] },
  { text: 'What do you recommend for it?', expect: [['A1', 'last_focused']] },
  { text: 'Compared with the previous film, is A2 bigger?', expect: [['A2', 'explicit_id']], focusAfter: 'A2' },
  { text: 'Compare it with the same area on the right', expect: [['A2', 'last_focused']], focusAfter: 'A2' },
  { text: 'What is a notch sign, and does A1 have one?', expect: [['A1', 'explicit_id']], focusAfter: 'A1' },
  {
    text: 'Compare A1 with A2',
    expect: [
      ['A1', 'explicit_id'],
      ['A2', 'explicit_id'],
    ],
  },
]);

// Issue 14: conversations as residents type them, with the intent of each turn checked too.
const R = (text: string, intent: string, expect: [string | null, string][], extra: Partial<Step> = {}): Step => ({
  text,
  intent,
  expect,
  ...extra,
});
run('F3 zh: teaching — what a sign means, then on the film, then the mimic', worked(), [
  R('片子有什么问题', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('什么是分叶征?', 'explain', [[null, 'none']], { focusAfter: 'A1' }),
  R('A1有分叶吗', 'margin', [['A1', 'explicit_id']]),
  R('会不会只是血管', 'differential', [['A1', 'last_focused']]),
  R('那要不要做CT', 'recommendation', [[null, 'none']]),
]);
run('F4 en: a resident works through A2', worked(), [
  R('any findings?', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('tell me about A2', 'describe_finding', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
  R('is it spiculated?', 'margin', [['A2', 'last_focused']]),
  R('what does spiculation mean?', 'explain', [[null, 'none']]),
  R('could it be a nipple shadow?', 'differential', [['A2', 'last_focused']]),
  R('and the other side?', 'compare_side', [['A2', 'last_focused']]),
  R('has it changed since the last film?', 'compare_prior', [['A2', 'last_focused']]),
  R('so what do you recommend for it?', 'recommendation', [['A2', 'last_focused']]),
]);
run('F5 mixed: zh/en in one conversation, typos', worked(), [
  R('肺部有没有 nodule', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('A1 的 margin 怎么样', 'margin', [['A1', 'explicit_id']]),
  R('有没有钙话', 'density', [['A1', 'last_focused']]),
  R('A1 A2 dist', 'distance', [
    ['A1', 'explicit_id'],
    ['A2', 'explicit_id'],
  ]),
  R('A2 是不是 vessel', 'differential', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
  R('对侧呢', 'compare_side', [['A2', 'last_focused']]),
  R('需要 follow up 吗', 'recommendation', [[null, 'none']]),
]);
run('F6 zh: effusion and location questions inside a conversation', worked(), [
  R('肺部是否有异常', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('肋膈角锐利吗', 'checklist', [[null, 'none']], { focusAfter: 'A1' }),
  R('A2在左上叶吗', 'location', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
  R('是不是在心影后面', 'location', [['A2', 'last_focused']]),
  R('长径多少', 'size', [['A2', 'last_focused']]),
  R('有没有胸膜凹陷', 'margin', [['A2', 'last_focused']]),
  R('和上次比变大了吗', 'compare_prior', [[null, 'none']]),
]);
run('F7 en: a clicked finding, then the follow-ups stay on it', worked(), [
  R('Is anything abnormal?', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('could this be a nipple shadow?', 'differential', [['A2', 'focus_anchor']], {
    focus: { anchorId: 'A2', reason: 'focus_anchor' },
    focusAfter: 'A2',
  }),
  R('what about a rib?', 'differential', [['A2', 'last_focused']]),
  R('compare with the same spot on the right', 'compare_side', [['A2', 'last_focused']]),
  R('was it on the previous film?', 'compare_prior', [['A2', 'last_focused']]),
  R('next step?', 'recommendation', [[null, 'none']], { focusAfter: 'A2' }),
  // the previous-turn carry (issue 14): "and for A1?" after "next step?" asks the next step for A1
  R('and for A1?', 'recommendation', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
]);
run('F8 zh: 规培医生的连续提问', worked(), [
  R('先看看有没有异常', 'overview', [
    ['A1', 'all_findings'],
    ['A2', 'all_findings'],
  ]),
  R('第二个是什么', 'describe_finding', [['A2', 'ordinal']], { focusAfter: 'A2' }),
  R('它的边缘有毛刺吗', 'margin', [['A2', 'last_focused']]),
  R('毛刺征是什么意思', 'explain', [[null, 'none']], { focusAfter: 'A2' }),
  R('那它和对侧比呢', 'compare_side', [['A2', 'last_focused']]),
  R('会不会是血管断面', 'differential', [['A2', 'last_focused']]),
  R('要不要随访', 'recommendation', [[null, 'none']]),
  R('A2需要CT吗', 'recommendation', [['A2', 'explicit_id']]),
]);
