/**
 * The ontology module: load and validate `ontology/` once (loadOntology), then look things up.
 * The helpers without an explicit ontology use the default one: the one set with
 * setDefaultOntology (the server does this at startup), else `<repo>/ontology` loaded lazily
 * with unresolved sign references tolerated.
 */
import path from 'node:path';
import { anatomyNameIn, findAnatomyMentionsIn, searchLexiconIn } from './lexicon';
import { loadOntology } from './load';
import { findSignMentionsIn } from './signMentions';
import type { Bilingual } from '../contract';
import type { AnatomyMention, LexiconEntry, Ontology, SignMention } from './types';

export { loadOntology, readOntologyParts, OntologyError } from './load';
export { checkConsistency, type OntologyParts } from './consistency';
export { normalizeWithOffsets } from './normalize';
export { TermMatcher, withinOneEdit } from './termMatcher';
export { findAnatomyMentionsIn, searchLexiconIn } from './lexicon';
export { findSignMentionsIn } from './signMentions';
export { parseRule, evaluateRule, type EvidenceValues } from './rules';
export * from './types';

/** `<repo>/ontology`. */
const DEFAULT_ONTOLOGY_DIR = path.resolve(__dirname, '../../../ontology');

let current: Ontology | null = null;

/** Makes `o` the ontology the helpers below use by default. */
export function setDefaultOntology(o: Ontology): void {
  current = o;
}

/** The default ontology (see the module comment). */
export function getOntology(): Ontology {
  current ??= loadOntology(DEFAULT_ONTOLOGY_DIR, { allowUnresolved: true });
  return current;
}

/** Anatomy mentions in `text` (lexicon, api.md 13.2): `{ text, span, type, id, entryId, matchedTerm, typos }[]`. */
export function findAnatomyMentions(text: string, ontology: Ontology = getOntology()): AnatomyMention[] {
  return findAnatomyMentionsIn(ontology, text);
}

/** Lexicon entries for GET /api/v1/ontology/lexicon?q=, best first, each with `matchedTerm`. */
export function searchLexicon(
  q: string,
  ontology: Ontology = getOntology(),
): (LexiconEntry & { matchedTerm: string })[] {
  return searchLexiconIn(ontology, q);
}

/** The lexicon's preferred name of an anatomy id (`heart` → 心影 / heart); null when the lexicon has none. */
export function anatomyName(targetId: string, ontology: Ontology = getOntology()): Bilingual | null {
  return anatomyNameIn(ontology, targetId);
}

/** Sign mentions in `text` by names and synonyms (zh/en): `{ text, span, signId, matchedTerm, typos }[]`. */
export function findSignMentions(text: string, ontology: Ontology = getOntology()): SignMention[] {
  return findSignMentionsIn(ontology, text);
}
