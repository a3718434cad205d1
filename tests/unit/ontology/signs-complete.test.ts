// Completeness of the sign entries (written in ontology/signs/ by the sign writers).
// These tests fail until every sign of checklists/REQUIRED_SIGN_IDS.md is written: expected.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkConsistency, FIXED_SIGNS, readOntologyParts } from '../../../server/src/ontology';
import { REPO_ONTOLOGY } from './fixtures';

const { parts } = readOntologyParts(REPO_ONTOLOGY);
const signs = parts.signFiles.flatMap((f) => f.data?.signs ?? []);
const byId = new Map(signs.map((s) => [s.id, s]));

test('at least 217 signs, every one with both languages filled in', () => {
  const full = (b: { zh: string; en: string } | undefined): boolean => !!b && b.zh.trim() !== '' && b.en.trim() !== '';
  const complete = signs.filter(
    (s) => full(s.name) && full(s.definition) && full(s.appearance) && full(s.significance),
  );
  assert.ok(complete.length >= 217, `${complete.length} complete bilingual signs (of ${signs.length})`);
});

test('the 11 fixed analyser signs exist with the measurableBy of api.md 9.2', () => {
  for (const [id, by] of Object.entries(FIXED_SIGNS)) {
    assert.ok(byId.has(id), `missing ${id}`);
    assert.equal(byId.get(id)!.measurableBy, by, id);
  }
});

test('every sign id in REQUIRED_SIGN_IDS.md exists', () => {
  const md = fs.readFileSync(path.join(REPO_ONTOLOGY, 'checklists/REQUIRED_SIGN_IDS.md'), 'utf8');
  const listed = [...md.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]!);
  assert.deepEqual(
    listed.filter((id) => !byId.has(id)),
    [],
  );
});

test('every reference resolves (sign.related, checklist signId and relatedSignIds)', () => {
  assert.deepEqual(checkConsistency(parts).unresolved, []);
});
