// Shared harness for the dialogue understanding suites: ontology-backed deps and a table-row
// checker that reports per-field misses and per-intent accuracy.
import path from 'node:path';
import { findAnatomyMentionsIn, findSignMentionsIn, loadOntology } from '../../../server/src/ontology';
import { understand, type UnderstandingDeps } from '../../../server/src/dialogue/understand';
import type { Intent, Understanding } from '../../../server/src/contract';

export const ontology = loadOntology(path.resolve(__dirname, '../../../ontology'), { allowUnresolved: true });
export const deps: UnderstandingDeps = {
  findAnatomy: (t) => findAnatomyMentionsIn(ontology, t),
  findSigns: (t) => findSignMentionsIn(ontology, t),
  signCategory: (id) => ontology.signById.get(id)?.category,
};

/** What a row expects beyond the intent; lists are compared as sets, `s` as a subset. */
export interface Expect {
  an?: string[]; // anatomy "type:id"
  d?: string[]; // descriptors "type:value"
  r?: string[]; // references "type" or "type:value"
  s?: string[]; // sign ids that must be among signsAsked
  sx?: string[]; // signsAsked exactly (order-insensitive)
  t?: string[]; // targets "type:id" (id "null" when the side is unknown)
  c?: string; // checklist id
}
export type Row = [text: string, intent: Intent, expect?: Expect];

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

/** The misses of one row, as readable strings (empty = pass). */
export function checkRow(row: Row, u: Understanding = understand(row[0], deps)): string[] {
  const [, intent, e = {}] = row;
  const miss: string[] = [];
  if (u.intent !== intent) miss.push(`intent ${u.intent} ≠ ${intent}`);
  const an = u.anatomy.map((a) => `${a.type}:${a.id}`);
  if (e.an && !sameSet(an, e.an)) miss.push(`anatomy [${an}] ≠ [${e.an}]`);
  const d = u.descriptors.map((x) => `${x.type}:${x.value}`);
  if (e.d && !sameSet(d, e.d)) miss.push(`descriptors [${d}] ≠ [${e.d}]`);
  if (e.r) {
    const r = u.references.map((x) => (x.value === null ? x.type : `${x.type}:${x.value}`));
    if (!sameSet(r, e.r)) miss.push(`references [${r}] ≠ [${e.r}]`);
  }
  if (e.s && !e.s.every((id) => u.signsAsked.includes(id))) miss.push(`signsAsked [${u.signsAsked}] ⊉ [${e.s}]`);
  if (e.sx && !sameSet(u.signsAsked, e.sx)) miss.push(`signsAsked [${u.signsAsked}] ≠ [${e.sx}]`);
  const t = u.targets.map((x) => `${x.type}:${x.id}`);
  if (e.t && !sameSet(t, e.t)) miss.push(`targets [${t}] ≠ [${e.t}]`);
  if (e.c !== undefined && u.checklistId !== e.c) miss.push(`checklist ${u.checklistId} ≠ ${e.c}`);
  if (intent !== 'checklist' && u.checklistId !== null) miss.push(`checklist ${u.checklistId} on a ${intent} question`);
  return miss;
}

export interface Score {
  total: number;
  passed: number;
  intentCorrect: number;
  perIntent: Map<string, { n: number; ok: number }>;
  misses: { text: string; miss: string[] }[];
}

/** Runs a table; a row passes when the intent and every field it states are right. */
export function score(rows: Row[]): Score {
  const perIntent = new Map<string, { n: number; ok: number }>();
  const misses: Score['misses'] = [];
  let passed = 0;
  let intentCorrect = 0;
  for (const row of rows) {
    const u = understand(row[0], deps);
    const miss = checkRow(row, u);
    const p = perIntent.get(row[1]) ?? { n: 0, ok: 0 };
    p.n++;
    if (!miss.length) {
      p.ok++;
      passed++;
    } else misses.push({ text: row[0], miss });
    if (u.intent === row[1]) intentCorrect++;
    perIntent.set(row[1], p);
  }
  return { total: rows.length, passed, intentCorrect, perIntent, misses };
}

export function summary(name: string, s: Score): string {
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  const per = [...s.perIntent.entries()]
    .sort()
    .map(([k, v]) => `${k} ${v.ok}/${v.n}`)
    .join(', ');
  return (
    `${name}: ${s.passed}/${s.total} rows fully correct (${pct(s.passed, s.total)}), intent ` +
    `${s.intentCorrect}/${s.total} (${pct(s.intentCorrect, s.total)}); per intent: ${per}`
  );
}
