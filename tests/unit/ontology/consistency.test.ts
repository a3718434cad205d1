/** checkConsistency's sections, each on the real ontology with one defect put in. */
import path from 'node:path';
import { checkConsistency, readOntologyParts, type OntologyParts } from '../../../server/src/ontology';

const DIR = path.resolve(__dirname, '../../../ontology');
let clean: OntologyParts;
beforeAll(() => {
  clean = readOntologyParts(DIR).parts;
});
const copy = (): OntologyParts => JSON.parse(JSON.stringify(clean)) as OntologyParts;

test('the shipped ontology has no errors', () => {
  expect(checkConsistency(copy()).errors).toEqual([]);
});

test('sign files: the file name must be the category, and each sign must have it', () => {
  const p = copy();
  const f = p.signFiles[0]!;
  f.file = 'signs/wrong.json';
  f.data.signs[0]!.category = 'nope' as never;
  const { errors } = checkConsistency(p);
  expect(errors).toContain(`signs/wrong.json: file name must be <category>.json (category is ${f.data.category})`);
  expect(errors.some((e) => e.includes(`[${f.data.signs[0]!.id}]: category nope differs`))).toBe(true);
});

test('signs: duplicate ids and self-relations are errors; unknown related signs are unresolved', () => {
  const p = copy();
  const [a, b] = [p.signFiles[0]!.data.signs[0]!, p.signFiles[0]!.data.signs[1]!];
  b.id = a.id;
  a.related = [a.id, 'ghost_sign'];
  const r = checkConsistency(p);
  expect(r.errors.some((e) => e.endsWith(`[${a.id}]: duplicate sign id`))).toBe(true);
  expect(r.errors.some((e) => e.endsWith(`[${a.id}]: related lists the sign itself`))).toBe(true);
  expect(r.unresolved.some((e) => e.endsWith(`related sign "ghost_sign" does not exist`))).toBe(true);
});

test('lexicon: a term owned by two entries, and a stop term that is a term, are errors', () => {
  const p = copy();
  const [a, b] = [p.lexicon.entries[0]!, p.lexicon.entries[1]!];
  b.terms.en.push(a.preferred.en);
  p.lexicon.stopTerms = { zh: [], en: [a.preferred.en] };
  const { errors } = checkConsistency(p);
  expect(errors).toContain(
    `lexicon [${b.id}]: term "${a.preferred.en}" also belongs to ${a.id} (each term maps to one target)`,
  );
  expect(errors).toContain(`lexicon: stop term "${a.preferred.en}" is also a term of ${a.id}`);
});

test('sign terms may not be anatomy lexicon terms', () => {
  const p = copy();
  const sign = p.signFiles[0]!.data.signs[0]!;
  const lex = p.lexicon.entries[0]!;
  sign.synonyms.en.push(lex.preferred.en);
  const { errors } = checkConsistency(p);
  expect(errors.some((e) => e.includes(`en term "${lex.preferred.en}" is an anatomy lexicon term (${lex.id})`))).toBe(
    true,
  );
});

test('checklists: scope, duplicate items, unknown sources; a missing checklist', () => {
  const p = copy();
  const c = p.checklists[0]!;
  c.data.scope = c.data.scope === 'image' ? 'finding' : 'image';
  c.data.items[1]!.id = c.data.items[0]!.id;
  c.data.items[0]!.sources.push('no_such_source');
  const dropped = p.checklists.pop()!;
  const { errors } = checkConsistency(p);
  expect(errors.some((e) => e.startsWith(`${c.file}: scope must be`))).toBe(true);
  expect(errors).toContain(`${c.file} [${c.data.items[0]!.id}]: duplicate item id`);
  expect(errors).toContain(
    `${c.file} [${c.data.items[0]!.id}]: source "no_such_source" is not in the checklist's sources`,
  );
  expect(errors).toContain(`checklists: ${dropped.data.id}.json is missing`);
});

test('sources: one citation per id; no duplicate manifest ids', () => {
  const p = copy();
  const s = p.manifest.sources[0]!;
  p.manifest.sources.push({ ...s }, { ...s, citation: `${s.citation} (other)` });
  const { errors } = checkConsistency(p);
  expect(errors).toContain(`ontology.json: duplicate source id ${s.id}`);
  expect(errors).toContain(`ontology.json: source "${s.id}" has a different citation than in ontology.json`);
});
