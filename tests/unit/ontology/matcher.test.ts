// The matcher itself: normalisation and original-text spans, word boundaries, typos,
// stop terms, lexicon search and sign mentions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  findAnatomyMentions,
  findSignMentions,
  loadOntology,
  normalizeWithOffsets,
  OntologyError,
  searchLexicon,
  TermMatcher,
  withinOneEdit,
} from '../../../server/src/ontology';
import { fixtureSign, FIXTURE_SIGNS, makeOntologyCopy } from './fixtures';

test('normalisation keeps a map back to original UTF-16 offsets when NFKC changes lengths', () => {
  const n = normalizeWithOffsets('ﬁ㎝Ｒ'); // ligature → 2, ㎝ → 2, full-width → 1
  assert.equal(n.text, 'ficmr');
  assert.deepEqual(n.startOf.slice(0, 5), [0, 0, 1, 1, 2]);
  assert.deepEqual(n.endOf, [1, 1, 2, 2, 3]);
});

test('spans refer to the original text through ligatures, full-width forms and astral characters', () => {
  const text = '😀ﬁﬁ 看 ＲＩＧＨＴ　ＨＩＬＵＭ';
  const [m] = findAnatomyMentions(text);
  assert.ok(m);
  assert.equal(m.id, 'hilum_right');
  assert.equal(text.slice(...m.span), 'ＲＩＧＨＴ　ＨＩＬＵＭ');
  assert.equal(m.text, 'ＲＩＧＨＴ　ＨＩＬＵＭ');
});

test('abbreviations match whole words only', () => {
  assert.deepEqual(
    findAnatomyMentions('RML').map((m) => m.id),
    ['RML'],
  );
  assert.deepEqual(
    findAnatomyMentions('(RML)').map((m) => m.id),
    ['RML'],
  );
  assert.deepEqual(
    findAnatomyMentions('RML区').map((m) => m.id),
    ['RML'],
  );
  assert.deepEqual(
    findAnatomyMentions('HTRMLX xrul rulers').map((m) => m.id),
    [],
  );
});

test('multi-word Latin terms allow several spaces and hyphens between words', () => {
  assert.equal(findAnatomyMentions('right   upper-lobe')[0]?.id, 'RUL');
  assert.equal(findAnatomyMentions('costo-phrenic angle')[0]?.id, 'costophrenic_angle');
});

test('typo tolerance: one edit in words of 5+ letters, never for short words or lone common words', () => {
  assert.equal(findAnatomyMentions('mediastinun')[0]?.id, 'mediastinum');
  const m = findAnatomyMentions('retrocardaic')[0];
  assert.equal(m?.id, 'retrocardiac');
  assert.equal(m?.typos, 1);
  assert.deepEqual(
    findAnatomyMentions('lobe rull').map((x) => x.id),
    [],
  ); // 4-letter words: exact only
  assert.deepEqual(
    findAnatomyMentions('it might be').map((x) => x.id),
    [],
  ); // might ≠ right
  assert.deepEqual(
    findAnatomyMentions('more power').map((x) => x.id),
    [],
  );
  assert.deepEqual(
    findAnatomyMentions('medisatinum trachae').map((x) => x.id),
    ['mediastinum', 'trachea'],
  );
});

test('withinOneEdit counts substitutions, insertions, deletions and transpositions as one edit', () => {
  assert.ok(withinOneEdit('hilum', 'hilim'));
  assert.ok(withinOneEdit('diaphram', 'diaphragm'));
  assert.ok(withinOneEdit('rihgt', 'right'));
  assert.ok(!withinOneEdit('hilum', 'hulim'));
  assert.ok(!withinOneEdit('lobe', 'lobes1'));
});

test('longest match wins and overlapping shorter terms are not reported', () => {
  assert.deepEqual(
    findAnatomyMentions('左肺上叶舌段').map((m) => m.id),
    ['lingula'],
  );
  assert.deepEqual(
    findAnatomyMentions('右下肺叶').map((m) => m.id),
    ['RLL'],
  );
  assert.deepEqual(
    findAnatomyMentions('右下肺').map((m) => m.id),
    ['zone_right_lower'],
  );
});

test('stop terms consume text without yielding anatomy', () => {
  const matcher = new TermMatcher<string>([
    { term: '气管', payload: 'trachea' },
    { term: '支气管', payload: null },
  ]);
  assert.deepEqual(
    matcher.match('支气管和气管').map((m) => [m.payload, m.span]),
    [['trachea', [4, 6]]],
  );
});

test('the worked example of api.md 15.5 finds 右肺门 at [6, 9]', () => {
  const got = findAnatomyMentions('这个病灶距离右肺门有多远？是否与肺门结构相连？');
  assert.deepEqual(got[0] && { text: got[0].text, span: got[0].span, type: got[0].type, id: got[0].id }, {
    text: '右肺门',
    span: [6, 9],
    type: 'landmark',
    id: 'hilum_right',
  });
  assert.equal(got[1]?.id, 'hilum');
});

test('searchLexicon: exact first, then prefix and containment, each with matchedTerm', () => {
  const r = searchLexicon('RML');
  assert.equal(r[0]?.id, 'lex_rml');
  assert.equal(r[0]?.matchedTerm, 'RML');
  const hil = searchLexicon('hilum');
  assert.equal(hil[0]?.id, 'lex_hilum');
  assert.ok(hil.some((e) => e.id === 'lex_hilum_right'));
  assert.equal(searchLexicon('right hilim')[0]?.id, 'lex_hilum_right'); // typo
  assert.equal(searchLexicon('右肺')[0]?.id, 'lex_lung_right');
  assert.equal(searchLexicon('右肺中叶那个圆形影')[0]?.id, 'lex_rml'); // phrase containing a term
  assert.equal(searchLexicon('ＬＵＬ')[0]?.id, 'lex_lul');
  assert.deepEqual(searchLexicon('   '), []);
  assert.deepEqual(searchLexicon('zzzz'), []);
  const first = searchLexicon('右肺门')[0]!;
  assert.deepEqual(Object.keys(first).sort(), ['abbreviations', 'id', 'matchedTerm', 'preferred', 'target', 'terms']);
});

test('findSignMentions finds sign names and synonyms in zh and en', () => {
  const o = loadOntology(makeOntologyCopy(), { allowUnresolved: true });
  const text = '边缘有没有毛刺或者分叶？Any spiculation or notching? 支气管充气征呢';
  const got = findSignMentions(text, o).map((m) => [m.signId, text.slice(...m.span)]);
  assert.deepEqual(got, [
    ['margin_spiculated', '毛刺'],
    ['margin_lobulated', '分叶'],
    ['margin_spiculated', 'spiculation'],
    ['notch_sign', 'notching'],
    ['air_bronchogram', '支气管充气征'],
  ]);
  assert.equal(findSignMentions('spicullation', o)[0]?.signId, 'margin_spiculated');
});

test('loadOntology throws one clear line per problem', () => {
  const bad = [
    fixtureSign('margin_spiculated', '毛刺征', 'spiculated margin', { measurableBy: 'margin', radlexId: '5713' }),
    fixtureSign('BadId', '坏', 'bad'),
    fixtureSign('notch_sign', '脐凹征', 'notch sign', {
      measurableBy: 'lobulation',
      synonyms: { zh: ['毛刺征'], en: [] },
      related: ['nonexistent_sign'],
    }),
    fixtureSign('margin_lobulated', '分叶征', 'lobulated margin', {
      measurableBy: 'lobulation',
      typicalLocations: [{ type: 'lobe', id: 'RMLX' }],
    }),
  ];
  const dir = makeOntologyCopy(bad);
  assert.throws(
    () => loadOntology(dir, { allowUnresolved: true }),
    (e: unknown) => {
      assert.ok(e instanceof OntologyError);
      const msg = e.message;
      assert.match(msg, /signs\/margin_shape\.json\/signs\/0\/radlexId \[margin_spiculated\]: must match pattern/);
      assert.match(msg, /signs\/margin_shape\.json\/signs\/1\/id.*must match pattern/);
      assert.match(msg, /typicalLocations\/0 \[margin_lobulated\].*RMLX/);
      return true;
    },
  );
  // schema-valid but inconsistent
  const dir2 = makeOntologyCopy([
    fixtureSign('margin_spiculated', '毛刺征', 'spiculated margin', { measurableBy: 'margin' }),
    fixtureSign('notch_sign', '脐凹征', 'notch sign', {
      synonyms: { zh: ['毛刺征', '右肺门'], en: [] },
      related: ['nonexistent_sign'],
    }),
  ]);
  assert.throws(
    () => loadOntology(dir2),
    (e: unknown) => {
      const msg = (e as Error).message;
      assert.match(msg, /\[margin_spiculated\]: measurableBy must be "spiculation"/);
      assert.match(msg, /\[notch_sign\]: zh term "毛刺征" is also a name or synonym of margin_spiculated/);
      assert.match(msg, /\[notch_sign\]: zh term "右肺门" is an anatomy lexicon term \(lex_hilum_right\)/);
      assert.match(msg, /related sign "nonexistent_sign" does not exist/);
      return true;
    },
  );
});

test('loadOntology: unresolved references throw unless allowUnresolved, and bad JSON is reported by file', () => {
  const dir = makeOntologyCopy();
  assert.throws(() => loadOntology(dir), /sign "peripheral_location" does not exist/);
  const o = loadOntology(dir, { allowUnresolved: true });
  assert.ok(o.unresolved.some((u) => u.includes('peripheral_location')));
  assert.equal(o.signs.length, FIXTURE_SIGNS.length);
  const broken = makeOntologyCopy(FIXTURE_SIGNS, (d) =>
    fs.writeFileSync(`${d}/checklists/cardiomegaly.json`, '{ nope'),
  );
  assert.throws(() => loadOntology(broken, { allowUnresolved: true }), /checklists\/cardiomegaly\.json: .*JSON/);
  assert.throws(() => loadOntology('/nonexistent/ontology'), /ontology\.json not found/);
});
