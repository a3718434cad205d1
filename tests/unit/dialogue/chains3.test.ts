// Held-out conversation batch C11 (issue 14, remaining gaps): 12 multi-turn conversations (zh, en,
// mixed; colloquial, typos, abbreviations), written and committed before being run. Each turn states
// the intent and the resolved anchors (and, where it matters, the focus after the turn), as in
// chains2.test.ts. Several turns lean on the previous turn: "A1有吗?" after an explain turn asks about
// that sign; "and A2?" / "那A2呢?" repeats the previous question for a new anchor. Scored per turn; the
// first run is recorded in docs/dialogue.md.
//
// FIRST RUN (committed in d43e0f8 before it was run): turns 39/60 = 65.0%, conversations fully right 2/12.
//   Misses: every carried turn (A1有吗?, 那A2呢?, "does A1 have it?", "and A2?", A2呢?, "what about A1?", A1和A3呢,
//   "and A3?", A2 有吗, A1 呢 → describe; "does A2 have it" → explain); A1A2 dist (ids not read); "how dense is
//   this" (→ size); A3是不是肿块 (→ differential); GGO 是什么 (ambiguous anchor); "behind the heart?" after
//   "where is A2" (none); and four film-level follow-ups without a pointer (和上次比呢, 建议下一步, CT?, 和 prior
//   比较) that resolve to the film, as documented for recommendation/compare_prior — my expectation (the focus)
//   contradicted the design; corrected after the run, marked below.
import { ALL2, ALL3, BOTH, NONE, R, scoreConversations, three, user, worked, type Conv } from './chainsim';

export const CONVERSATIONS: Conv[] = [
  {
    name: 'D1 zh: 毛刺征 → A1有吗 → A2呢',
    anchors: worked,
    steps: [
      R('看下片子', 'overview', ALL2),
      R('什么是毛刺征?', 'explain', NONE),
      R('A1有吗?', 'margin', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('那A2呢?', 'margin', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('需要CT吗', 'recommendation', NONE),
    ],
  },
  {
    name: 'D2 en: spiculation → does A1 have it → and A2?',
    anchors: worked,
    steps: [
      R('any nodules', 'overview', ALL2),
      R('what is spiculation?', 'explain', NONE),
      R('does A1 have it?', 'margin', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('and A2?', 'margin', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('could A2 be a vessel', 'differential', [['A2', 'explicit_id']]),
    ],
  },
  {
    name: 'D3 zh: size carry',
    anchors: worked,
    steps: [
      R('有没有结节', 'overview', ALL2),
      R('A1长径多少', 'size', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('那A2呢', 'size', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('超过1公分吗', 'size', [['A2', 'last_focused']]),
      R('和上次比呢', 'compare_prior', NONE), // corrected after the first run: film-level without a pointer
    ],
  },
  {
    name: 'D4 en: distance terse, run-together ids',
    anchors: worked,
    steps: [
      R('read the film pls', 'overview', ALL2),
      R('A1A2 dist', 'distance', BOTH),
      R('A1-A2 which is bigger', 'compare', BOTH),
      R('where is A2', 'location', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('behind the heart?', 'location', [['A2', 'last_focused']]),
    ],
  },
  {
    name: 'D5 mixed: margin carry',
    anchors: worked,
    steps: [
      R('有没有 lesion', 'overview', ALL2),
      R('A1 边缘 smooth 吗', 'margin', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('A2呢?', 'margin', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('有胸膜尾征吗', 'margin', [['A2', 'last_focused']]),
      R('胸膜尾征是什么意思', 'explain', NONE),
    ],
  },
  {
    name: 'D6 zh: 积液 then CP angles',
    anchors: worked,
    steps: [
      R('帮我看看', 'overview', ALL2),
      R('两侧肋膈角锐利吗', 'checklist', NONE),
      R('有没有气胸', 'checklist', NONE),
      R('心胸比', 'cardiothoracic_ratio', NONE),
      R('A1和A2多远', 'distance', BOTH),
    ],
  },
  {
    name: 'D7 en: explain then presence for the focus',
    anchors: worked,
    steps: [
      R('anything abnormal?', 'overview', ALL2),
      R('what does lobulation mean', 'explain', NONE),
      R('does A2 have it', 'margin', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('what about A1?', 'margin', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('compare with the other side', 'compare_side', [['A1', 'last_focused']]),
    ],
  },
  {
    name: 'D8 zh: 三个病灶, 距离 carry',
    anchors: three,
    steps: [
      R('有异常吗', 'overview', ALL3),
      R('A1离A2多远', 'distance', BOTH),
      R('A1和A3呢', 'distance', [
        ['A1', 'explicit_id'],
        ['A3', 'explicit_id'],
      ]),
      R('A3是不是肿块', 'describe_finding', [['A3', 'explicit_id']], { focusAfter: 'A3' }),
      R('建议下一步', 'recommendation', NONE), // corrected after the first run (as above)
    ],
  },
  {
    name: 'D9 en: drawn region vs other side',
    anchors: worked,
    steps: [
      R('any findings', 'overview', ALL2),
      R('how dense is this', 'density', [['A3', 'last_focused']], { draw: [user('A3', [420, 520])], focusAfter: 'A3' }),
      R('same spot on the other side?', 'compare_side', [['A3', 'last_focused']]),
      R('could it be a rib', 'differential', [['A3', 'last_focused']]),
      R('CT?', 'recommendation', NONE), // corrected after the first run (as above)
    ],
  },
  {
    name: 'D10 zh typos',
    anchors: worked,
    steps: [
      R('有没有节结', 'overview', ALL2),
      R('A1有没有分页', 'margin', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('A2钙话吗', 'density', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('跟对测比比', 'compare_side', [['A2', 'last_focused']]),
      R('什么是胸膜凹陷', 'explain', NONE),
    ],
  },
  {
    name: 'D11 en: location carry',
    anchors: three,
    steps: [
      R('any nodules or masses', 'overview', ALL3),
      R('which lobe is A1 in', 'location', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('and A3?', 'location', [['A3', 'explicit_id']], { focusAfter: 'A3' }),
      R('long and short axis?', 'size', [['A3', 'last_focused']]),
      R('ddx', 'differential', [['A3', 'last_focused']]),
    ],
  },
  {
    name: 'D12 mixed: explain GGO then A2有吗',
    anchors: worked,
    steps: [
      R('看一下', 'overview', ALL2),
      R('GGO 是什么', 'explain', NONE),
      R('A2 有吗', 'density', [['A2', 'explicit_id']], { focusAfter: 'A2' }),
      R('A1 呢', 'density', [['A1', 'explicit_id']], { focusAfter: 'A1' }),
      R('和 prior 比较', 'compare_prior', NONE), // corrected after the first run (as above)
    ],
  },
];

/** Turns right (intent, anchors, focus), conversations fully right, and per-intent counts. */

describe('held-out conversations C11 (issue 14 remaining gaps; written before being run, scored once)', () => {
  test('scores the conversations per turn', () => {
    const s = scoreConversations(CONVERSATIONS);
    const per = [...s.perIntent.entries()]
      .sort()
      .map(([k, v]) => `${k} ${v.ok}/${v.n}`)
      .join(', ');
    const pct = ((100 * s.ok) / s.turns).toFixed(1);
    console.log(
      `C11: turns ${s.ok}/${s.turns} (${pct}%), conversations fully right ${s.convOk}/${CONVERSATIONS.length}`,
    );
    console.log(`C11 per intent: ${per}`);
    for (const m of s.misses) console.log(`  MISS ${m}`);
    expect(CONVERSATIONS.length).toBeGreaterThanOrEqual(10);
    // The first run is recorded in docs/dialogue.md; this floor only guards against regressions.
    expect(s.ok / s.turns).toBeGreaterThanOrEqual(0.85);
  });
});
