// The named steps the long dialogue functions were split into (issue 16), and the issue-14 additions:
// previous-turn carry, run-together ids, the eager refinement cache.
import assert from 'node:assert/strict';
import type { Analysis, Point, Understanding } from '../../../server/src/contract';
import { carryPass, isEllipsis, signIntent, type PreviousTurn } from '../../../server/src/dialogue/carry';
import {
  cueIntent,
  intentFacts,
  normalisePass,
  referencesPass,
  understand,
  type IntentInput,
} from '../../../server/src/dialogue/understand';
import { evidencePhrase, evidenceValue, indeterminateReason } from '../../../server/src/dialogue/evidenceText';
import { prerefineFindings } from '../../../server/src/dialogue/refinement';
import type { AnalysisEntry } from '../../../server/src/store/types';
import { deps, ontology } from './harness';

const category = (id: string) => ontology.signById.get(id)?.category;
const ids = (text: string) => referencesPass(normalisePass(text)).references.map((r) => r.value);

describe('run-together ids', () => {
  test('A1A2, A1和A2, a1/a2, A1-A2 and A1A2A3 name every id', () => {
    assert.deepEqual(ids('A1A2距离'), ['A1', 'A2']);
    assert.deepEqual(ids('A1和A2多远'), ['A1', 'A2']);
    assert.deepEqual(ids('a1/a2 dist'), ['A1', 'A2']);
    assert.deepEqual(ids('A1-A2 distance?'), ['A1', 'A2']);
    assert.deepEqual(ids('a1a2a3'), ['A1', 'A2', 'A3']);
  });
  test('an id inside a word is not an id', () => {
    assert.deepEqual(ids('the area2 is fine'), []);
    assert.deepEqual(ids('data1 x'), []);
    assert.deepEqual(ids('A12 呢'), ['A12']);
  });
});

describe('isEllipsis', () => {
  const spansOf = (text: string): [number, number][] => {
    const src = normalisePass(text);
    const { spans } = referencesPass(src);
    return spans;
  };
  const ell = (text: string) => isEllipsis(normalisePass(text).text, spansOf(text), false);
  test('a pointer plus filler words is an ellipsis, in zh and en', () => {
    for (const q of ['A1有吗?', '那A2呢?', 'A2呢', 'and A2?', 'does A1 have it?', 'what about A1?', 'A1和A3呢'])
      assert.equal(ell(q), true, q);
  });
  test('a question with content words is not', () => {
    for (const q of ['A1多大', 'A2 边缘光滑吗', 'how big is A1', 'A1在哪'] as const) assert.equal(ell(q), false, q);
  });
  test('no pointer, no ellipsis', () => {
    assert.equal(isEllipsis('呢?', [], false), false);
    assert.equal(isEllipsis('呢?', [], true), true); // "另一个呢": the other-one word is the pointer
  });
});

describe('carryPass', () => {
  const prev = (intent: PreviousTurn['intent'], signsAsked: string[] = []): PreviousTurn => ({
    intent,
    signsAsked,
    targets: [],
    asks: [],
  });
  const x = { intent: 'describe_finding' as const, ellipsis: true, explicitIds: 1, termsNamed: 0 };
  test('after an explanation of a sign, the follow-up asks whether the subject shows it', () => {
    const spic = understand('什么是毛刺征?', deps);
    assert.equal(spic.intent, 'explain');
    const c = carryPass(x, spic, category);
    assert.equal(c?.intent, signIntent(spic.signsAsked[0]!, category));
    assert.deepEqual(c?.signsAsked, spic.signsAsked);
  });
  test('after a size, location or margin question the intent repeats', () => {
    for (const i of ['size', 'location', 'margin', 'recommendation'] as const)
      assert.equal(carryPass(x, prev(i), category)?.intent, i);
  });
  test('a two-anchor question repeats only with two ids', () => {
    assert.equal(carryPass(x, prev('distance'), category), null);
    assert.equal(carryPass({ ...x, explicitIds: 2 }, prev('distance'), category)?.intent, 'distance');
  });
  test(
    'nothing is carried without a previous turn, after an ' + 'overview, for a non-ellipsis or a newly named sign',
    () => {
      assert.equal(carryPass(x, null, category), null);
      assert.equal(carryPass(x, prev('overview'), category), null);
      assert.equal(carryPass({ ...x, ellipsis: false }, prev('size'), category), null);
      assert.equal(carryPass({ ...x, termsNamed: 1 }, prev('size'), category), null);
      assert.equal(carryPass({ ...x, intent: 'size' }, prev('margin'), category), null);
    },
  );
});

describe('understand with the previous turn', () => {
  const after = (first: string, next: string): Understanding =>
    understand(next, deps, { previous: understand(first, deps) });
  test('"A1有吗?" after 什么是毛刺征 asks about spiculation on A1', () => {
    const u = after('什么是毛刺征?', 'A1有吗?');
    assert.equal(u.intent, 'margin');
    assert.ok(u.signsAsked.length > 0);
    assert.deepEqual(
      u.references.map((r) => r.value),
      ['A1'],
    );
  });
  test('"does A2 have it" after "what is an air bronchogram" is a density question', () => {
    assert.equal(after('what is an air bronchogram', 'does A2 have it').intent, 'density');
  });
  test('"and A2?" after a size question, 那A2呢 after a margin question', () => {
    assert.equal(after('A1 long and short axis', 'and A2?').intent, 'size');
    assert.equal(after('A1边缘光滑吗', '那A2呢?').intent, 'margin');
  });
  test('the same words without a previous turn describe the anchor', () => {
    assert.equal(understand('and A2?', deps).intent, 'describe_finding');
    assert.equal(understand('A1有吗?', deps).intent, 'describe_finding');
  });
  test('a finding noun names a new subject: not carried', () => {
    assert.notEqual(after('is it a vessel?', 'what about the mass?').intent, 'differential');
  });
});

describe('intent facts and the cue grammar', () => {
  const input = (text: string): IntentInput => {
    const u = understand(text, deps);
    const src = normalisePass(text);
    return {
      src,
      masked: src.text,
      anatomy: u.anatomy,
      references: u.references,
      descriptors: u.descriptors,
      targets: u.targets,
      signs: { signsAsked: u.signsAsked, askedMentions: [], specificIds: [], termIds: [] },
      checklistId: null,
    };
  };
  test('facts: ids counted, pointing and domain', () => {
    const f = intentFacts(input('A1和A2多远'));
    assert.equal(f.explicitCount, 2);
    assert.equal(f.pointing, true);
    assert.equal(f.domain, true);
    assert.equal(intentFacts(input('今天天气怎么样')).domain, false);
  });
  test('the first cue whose needs hold wins; two ids make a distance cue fire', () => {
    const x = input('A1到A2几厘米');
    assert.equal(cueIntent(x, intentFacts(x))?.intent, 'distance');
    const one = input('A1到几厘米');
    assert.notEqual(cueIntent(one, intentFacts(one))?.intent, 'distance');
  });
});

describe('evidence wording', () => {
  test('values: yes/no, px, clock hours, counts', () => {
    assert.equal(evidenceValue({ name: 'x', value: true } as never, 'zh'), '是');
    assert.equal(evidenceValue({ name: 'x', value: 12.4, unit: 'px' } as never, 'en'), '12 px');
    assert.equal(evidenceValue({ name: 'notchClocks', value: '2,7' } as never, 'en'), "2, 7 o'clock");
    assert.equal(evidenceValue({ name: 'notches', value: 2, unit: 'count' } as never, 'en'), '2');
    assert.equal(evidencePhrase({ name: 'notchClocks', value: '' } as never, 'en'), '');
  });
  test('indeterminate reasons: the refinement method first, then the radiograph-insensitive signs', () => {
    const s = (signId: string, why: string) => ({ signId, method: `x (indeterminate: ${why})` }) as never;
    assert.match(indeterminateReason(s('spiculation', 'low contrast'), 'en'), /contrast/);
    assert.match(indeterminateReason(s('calcification', 'low contrast'), 'en'), /contrast/);
    assert.match(indeterminateReason(s('calcification', 'nothing'), 'en'), /calcium/);
    assert.match(indeterminateReason(s('lobulation', 'cavity'), 'zh'), /空洞/);
    assert.equal(indeterminateReason(s('lobulation', 'unknown'), 'en'), '');
  });
});

describe('eager refinement', () => {
  const W = 256;
  const H = 256;
  const disc = (cx: number, cy: number, r: number): Point[] =>
    Array.from({ length: 24 }, (_, i) => [
      cx + r * Math.cos((i * Math.PI) / 12),
      cy + r * Math.sin((i * Math.PI) / 12),
    ]);
  const entryWith = (n: number): AnalysisEntry => {
    const display = new Float32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const near = [60, 130, 200].some((cx) => Math.hypot(x - cx, y - 128) < 14);
        display[y * W + x] = 0.3 + (near ? 0.1 : 0) + 0.002 * Math.sin(x * 1.7 + y);
      }
    const findings = [60, 130, 200].slice(0, n).map((cx, i) => ({
      id: `F${i + 1}`,
      contour: disc(cx, 128, 17),
      location: { side: cx < 128 ? 'right' : 'left' },
    }));
    const analysis = {
      id: `an_eager_${n}`,
      image: { columns: W, rows: H, pixelSpacingMm: [0.5, 0.5], spacingSource: 'PixelSpacing' },
      anatomy: { structures: [] },
      findings,
    } as unknown as Analysis;
    return { analysis, pixels: { width: W, height: H, scale: 1, display } } as unknown as AnalysisEntry;
  };
  test('refines at most three findings, and none when there are none', () => {
    assert.equal(prerefineFindings(entryWith(0)), 0);
    assert.equal(prerefineFindings(entryWith(3), 2), 2);
  });
});
