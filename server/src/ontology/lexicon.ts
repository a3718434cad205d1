/** The anatomy lexicon at work: mentions in a question, and GET /api/v1/ontology/lexicon?q=. */
import { foldText } from './normalize';
import { withinOneEdit } from './termMatcher';
import type { Bilingual } from '../contract';
import type { AnatomyMention, LexiconEntry, Ontology } from './types';

/** Anatomy named in `text` (api.md 10.3 `anatomy`), left to right, longest match first, spans in the original text. */
export function findAnatomyMentionsIn(ontology: Ontology, text: string): AnatomyMention[] {
  return ontology.anatomyMatcher.match(text).map((m) => ({
    text: m.text,
    span: m.span,
    type: m.payload.target.type,
    id: m.payload.target.id,
    entryId: m.payload.id,
    matchedTerm: m.matchedTerm,
    typos: m.typos,
  }));
}

/** The lexicon's preferred name of an anatomy id (structure, landmark, lobe, zone, region); null if none. */
export function anatomyNameIn(ontology: Ontology, targetId: string): Bilingual | null {
  return ontology.lexicon.find((e) => e.target.id === targetId)?.preferred ?? null;
}

/** Lexicon entries matching `q`, best first, each with `matchedTerm` (api.md 13.2). */
export function searchLexiconIn(ontology: Ontology, q: string): (LexiconEntry & { matchedTerm: string })[] {
  const qf = foldText(q).trim();
  if (!qf) return [];
  const best = new Map<string, { score: number; term: string; order: number }>();
  const offer = (e: LexiconEntry, order: number, score: number, term: string): void => {
    const prev = best.get(e.id);
    if (!prev || score > prev.score || (score === prev.score && term.length < prev.term.length))
      best.set(e.id, { score, term, order });
  };
  ontology.lexicon.forEach((e, order) => {
    for (const term of [e.preferred.zh, e.preferred.en, ...e.terms.zh, ...e.terms.en, ...e.abbreviations]) {
      const tf = foldText(term).trim();
      if (tf === qf) offer(e, order, 100, term);
      else if (qf.length >= 5 && /^[a-z0-9 -]+$/.test(qf) && withinOneEdit(qf, tf)) offer(e, order, 90, term);
      else if (tf.startsWith(qf) && (qf.length >= 2 || !/^[a-z0-9]/.test(qf)))
        offer(e, order, 70 - Math.min(19, tf.length - qf.length), term);
      else if (tf.includes(qf) && qf.length >= 2) offer(e, order, 50 - Math.min(9, tf.length - qf.length), term);
    }
  });
  // a phrase that contains anatomy ("右肺中叶那个圆形影") finds it through the matcher
  for (const m of findAnatomyMentionsIn(ontology, q)) {
    const e = ontology.lexiconById.get(m.entryId)!;
    offer(e, ontology.lexicon.indexOf(e), m.typos ? 75 : 80, m.matchedTerm);
  }
  return [...best.entries()]
    .sort((a, b) => b[1].score - a[1].score || a[1].order - b[1].order)
    .map(([id, s]) => ({ ...ontology.lexiconById.get(id)!, matchedTerm: s.term }));
}
