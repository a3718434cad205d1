// The understanding passes one by one (normalise → references → anatomy → descriptors → targets →
// signs asked → intent), the typo/homophone/abbreviation tables and the cue data files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  anatomyPass,
  descriptorsPass,
  intentPass,
  maskedText,
  normalisePass,
  referencesPass,
  signsPass,
  targetsPass,
} from '../../../server/src/dialogue/understand';
import {
  fixZhTypos,
  normalizeForCues,
  normalizeWithMap,
  segmentRunTogether,
  zhVariants,
} from '../../../server/src/dialogue/normalize';
import { normalizeWithOffsets } from '../../../server/src/ontology/normalize';
import { CUE_FILES, INTENT_GRAMMAR } from '../../../server/src/dialogue/cues';
import { createValidators } from '../../../server/src/ontology/schemas';
import { deps } from './harness';

const ONTOLOGY = path.resolve(__dirname, '../../../ontology');

test('normalise: Chinese homophone slips of domain words are read as the word (same length, spans kept)', () => {
  const rows: [string, string][] = [
    ['A1有钙话吗', 'A1有钙化吗'],
    ['毛次多吗', '毛刺多吗'],
    ['肋隔角锐利吗', '肋膈角锐利吗'],
    ['结接多大', '结节多大'],
    ['肺们在哪', '肺门在哪'],
    ['有空动吗', '有空洞吗'],
    ['距里肺门多远', '距离肺门多远'],
    ['心胸必多少', '心胸比多少'],
    ['有分页吗', '有分叶吗'],
    ['边源光滑吗', '边缘光滑吗'],
    ['胸模凹陷', '胸膜凹陷'],
    ['有没有积页', '有没有积液'],
    ['是不是学管', '是不是血管'],
    ['要不要随方', '要不要随访'],
    ['见别诊断', '鉴别诊断'],
  ];
  for (const [wrong, right] of rows) {
    assert.equal(fixZhTypos(wrong), right, wrong);
    assert.equal(fixZhTypos(wrong).length, wrong.length);
  }
  // Ordinary words are left alone.
  for (const ok of ['画一下肺门', '说话', '花园', '边缘光滑', '钙化', '结节', '这个结节距离肺门多远'])
    assert.equal(fixZhTypos(ok), ok, ok);
  const variants = zhVariants();
  assert.ok(variants.size > 100, 'the table generates the variants');
  assert.ok(
    ![...variants.keys()].some((k) => ['钙化', '毛刺', '结节', '边缘'].includes(k)),
    'no domain word is a variant',
  );
});

test('normalise: English edit distance, abbreviations, protected words, run-together words, full-width forms', () => {
  const rows: [string, string][] = [
    ['calcifcation in A1?', 'calcification in a1?'],
    ['marign of A2', 'margin of a2'],
    ['A1 A2 dist', 'a1 a2 distance'],
    ['size pls', 'size please'],
    ['define pleural indentation', 'define pleural indentation'],
    ['is there a mass anywhere', 'is there a mass anywhere'],
    ['ＡＩ有毛刺吗？', 'ai有毛刺吗?'],
    ['A１，A２ 距离', 'a1,a2 距离'],
  ];
  for (const [q, want] of rows) assert.equal(normalizeForCues(q).text, want, q);
  assert.equal(segmentRunTogether('whereisa', true), 'where is a');
  assert.equal(segmentRunTogether('howbigisa', true), 'how big is a');
  assert.equal(segmentRunTogether('anywhere', false), null);
  assert.equal(segmentRunTogether('therefore', false), null);
  // Spans still point into the original text after a rewrite.
  const src = normalisePass('whereisA1');
  const refs = referencesPass(src).references;
  assert.deepEqual(
    refs.map((r) => r.value),
    ['A1'],
  );
  assert.equal(refs[0]!.text, 'whereisA1');
});

test('references pass: ids, recent marks, all, deictic, focus', () => {
  const rows: [string, string[]][] = [
    ['A1和A2相距多远', ['explicit_id:A1', 'explicit_id:A2']],
    ['这两个点相距多远', ['recent:2']],
    ['所有结节多大', ['all']],
    ['这个结节边缘规则吗', ['deictic']],
    ['is it spiculated', ['deictic']],
    ['how big is a-3', ['explicit_id:A3']],
  ];
  for (const [q, want] of rows)
    assert.deepEqual(
      referencesPass(normalisePass(q)).references.map((r) => (r.value ? `${r.type}:${r.value}` : r.type)),
      want,
      q,
    );
  assert.deepEqual(
    referencesPass(normalisePass('这个呢'), 'A4').references.map((r) => r.type),
    ['deictic', 'focus'],
  );
});

test('anatomy, descriptors and targets passes', () => {
  const a = anatomyPass(normalisePass('右肺中叶那个圆形影'), deps);
  assert.deepEqual(
    a.map((m) => `${m.type}:${m.id}`),
    ['lobe:RML'],
  );
  assert.deepEqual(
    anatomyPass(normalisePass('is A1 in the RUL?'), deps).map((m) => m.id),
    ['RUL'],
  );
  assert.deepEqual(
    anatomyPass(normalisePass('肋隔角锐利吗'), deps).map((m) => m.id),
    ['costophrenic_angle'],
    'anatomy sees the corrected slip',
  );
  assert.deepEqual(anatomyPass(normalisePass('no calcification, right?'), deps), [], 'a tag question is not a side');
  const d = descriptorsPass(normalisePass('右肺中叶那个圆形影')).descriptors;
  assert.deepEqual(
    d.map((x) => `${x.type}:${x.value}`),
    ['shape:round'],
  );
  assert.deepEqual(
    descriptorsPass(normalisePass('边缘规则吗')).descriptors,
    [],
    'an asked shape word is not a descriptor',
  );
  assert.deepEqual(
    descriptorsPass(normalisePass('第二个呢')).descriptors.map((x) => x.value),
    [2],
  );
  const src = normalisePass('这个病灶距离右肺门有多远');
  const t = targetsPass(src, anatomyPass(src, deps), deps.findSigns(src.raw));
  assert.deepEqual(
    t.map((x) => `${x.type}:${x.id}`),
    ['hilum:hilum_right'],
  );
  const sign = normalisePass('有没有胸膜凹陷');
  assert.deepEqual(
    targetsPass(sign, anatomyPass(sign, deps), deps.findSigns(sign.raw)),
    [],
    'the pleura inside a sign name is no target',
  );
});

test('signs pass: one sign asked is that sign; generic margin words are the five margin signs', () => {
  const run = (q: string) => {
    const src = normalisePass(q);
    const anatomy = anatomyPass(src, deps);
    const { descriptors, spans } = descriptorsPass(src);
    return signsPass(
      src,
      maskedText(src, anatomy, descriptors),
      anatomy,
      deps.findSigns(q),
      spans,
      referencesPass(src).spans,
    );
  };
  assert.deepEqual(run('有毛刺吗').signsAsked, ['margin_spiculated']);
  assert.deepEqual(run('is it spiculated?').specificIds, ['margin_spiculated']);
  assert.equal(run('边缘规则吗').signsAsked.length, 5);
  assert.deepEqual(run('边缘规则吗').specificIds, []);
  assert.ok(run('any pleural tail?').signsAsked.includes('pleural_indentation'));
});

test('intent pass: the cue grammar over the passes, table-driven', () => {
  const rows: [string, string][] = [
    ['什么是毛刺征', 'explain'],
    ['A1是什么', 'describe_finding'],
    ['和上次比变大了吗', 'compare_prior'],
    ['A1和A2比较一下', 'compare'],
    ['和对侧比较一下', 'compare_side'],
    ['会不会是血管', 'differential'],
    ['下一步怎么办', 'recommendation'],
    ['肋膈角锐利吗', 'checklist'],
    ['左侧肋膈角在哪', 'location'],
    ['is A1 bigger than 1 cm?', 'size'],
    ['is A1 bigger than A2?', 'compare'],
    ['今天天气怎么样', 'unknown'],
    ['book a follow-up CT', 'unknown'],
    ['Can you order a CT scan for tomorrow?', 'unknown'],
    ['should we get a CT?', 'recommendation'],
  ];
  for (const [q, want] of rows) {
    const src = normalisePass(q);
    const anatomy = anatomyPass(src, deps);
    const { references, spans: refSpans } = referencesPass(src);
    const { descriptors, spans } = descriptorsPass(src);
    const mentions = deps.findSigns(q);
    const masked = maskedText(src, anatomy, descriptors);
    const got = intentPass(
      {
        src,
        masked,
        anatomy,
        references,
        descriptors,
        targets: targetsPass(src, anatomy, mentions),
        signs: signsPass(src, masked, anatomy, mentions, spans, refSpans),
        checklistId: /肋膈角锐利/.test(q) ? 'pleural_effusion' : null,
      },
      deps,
    );
    assert.equal(got.intent, want, q);
  }
});

test('cue data: both language files pass their schema, every grammar id has words, no orphan keys', () => {
  const v = createValidators(ONTOLOGY);
  for (const f of ['cues.zh.json', 'cues.en.json']) {
    const data = JSON.parse(fs.readFileSync(path.join(ONTOLOGY, 'dialogue', f), 'utf8'));
    assert.deepEqual(v.validate('dialogue-cues', data, f), []);
  }
  assert.deepEqual(
    v.validate(
      'dialogue-typos',
      JSON.parse(fs.readFileSync(path.join(ONTOLOGY, 'dialogue/typos.json'), 'utf8')),
      'typos.json',
    ),
    [],
  );
  assert.deepEqual(
    v.validate(
      'dialogue-mimics',
      JSON.parse(fs.readFileSync(path.join(ONTOLOGY, 'dialogue/mimics.json'), 'utf8')),
      'mimics.json',
    ),
    [],
  );
  assert.ok(
    v.validate('dialogue-cues', { lang: 'zh', intents: {} }, 'broken.json').length > 0,
    'a broken file is rejected',
  );
  const ids = new Set(INTENT_GRAMMAR.map((g) => g.id));
  for (const g of INTENT_GRAMMAR)
    assert.ok(
      CUE_FILES.some((f) => (f.intents[g.id] ?? []).length > 0),
      `cue ${g.id} has words`,
    );
  for (const f of CUE_FILES)
    for (const k of Object.keys(f.intents)) assert.ok(ids.has(k), `${f.lang}: ${k} is used by the grammar`);
  const zh = CUE_FILES.find((f) => f.lang === 'zh')!;
  assert.ok(
    Object.values(zh.intents)
      .flat()
      .every((a) => /[\u3400-\u9fff]/.test(a)),
    'the zh file holds Chinese alternatives',
  );
  const en = CUE_FILES.find((f) => f.lang === 'en')!;
  assert.ok(
    Object.values(en.intents)
      .flat()
      .every((a) => !/[\u3400-\u9fff]/.test(a)),
    'the en file holds no Chinese',
  );
});

test(
  'scored fallback: 5-fold cross-validated accuracy of the ' +
    'n-gram model on the paraphrase bank; off-topic stays unknown',
  async () => {
    const { train, classify, fallbackIntent } = await import('../../../server/src/dialogue/fallback');
    const bank = JSON.parse(fs.readFileSync(path.join(ONTOLOGY, 'dialogue/paraphrases.json'), 'utf8'))
      .intents as Record<string, string[]>;
    const rows = Object.entries(bank).flatMap(([intent, qs]) => qs.map((q, i) => ({ q, intent, fold: i % 5 })));
    let ok = 0;
    for (let k = 0; k < 5; k++) {
      const trainBank: Record<string, string[]> = {};
      for (const r of rows) if (r.fold !== k) (trainBank[r.intent] ??= []).push(r.q);
      const m = train(trainBank as never);
      for (const r of rows.filter((x) => x.fold === k))
        if (classify(m, normalizeForCues(r.q).text)[0]!.intent === r.intent) ok++;
    }
    const acc = ok / rows.length;
    console.log(`fallback 5-fold CV accuracy: ${ok}/${rows.length} = ${(100 * acc).toFixed(1)}%`);
    assert.ok(acc >= 0.7, `${(100 * acc).toFixed(1)}%`);
    for (const q of ['lol', 'ok thanks', '谢谢', 'what is the meaning of life'])
      assert.equal(fallbackIntent(normalizeForCues(q).text), null, q);
  },
);

test('one normaliser: the dialogue and the lexicon see the same NFKC/lower-case text and offsets', () => {
  for (const q of ['ＲＭＬ那个结节？', 'Is A1 in the RUL?', 'cafe\u0301 ﬁne', 'A１，A２\t距离', '𝐀1 多大']) {
    const a = normalizeWithMap(q);
    const b = normalizeWithOffsets(q);
    assert.equal(a.text, b.text, q);
    for (let i = 0; i < a.text.length; i++)
      assert.deepEqual(a.span(i, i + 1), [b.startOf[i], b.endOf[i]], `${q} @${i}`);
  }
});

test('region statistics by scanlines match a brute-force count', async () => {
  const { regionStats } = await import('../../../server/src/dialogue/intents/imageStats');
  const { pointInPolygon } = await import('../../../server/src/geometry/polygon');
  const W = 200,
    H = 150;
  const display = new Float32Array(W * H).map((_, i) => ((i * 7919) % 101) / 100);
  const poly: [number, number][] = [
    [20, 30],
    [120, 20],
    [160, 90],
    [90, 130],
    [30, 100],
    [60, 70],
  ];
  const got = regionStats({ display, width: W, height: H }, poly);
  let n = 0,
    sum = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (pointInPolygon([x + 0.5, y + 0.5], poly)) {
        n++;
        sum += display[y * W + x]!;
      }
  assert.ok(Math.abs(got.mean - sum / n) < 0.02, `${got.mean} vs ${sum / n}`);
  assert.ok(got.n > (0.8 * n) / 4 && got.n <= n, `${got.n} samples of ${n}`);
});
