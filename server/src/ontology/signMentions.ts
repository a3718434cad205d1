/** Signs named in a question, by their zh/en names and synonyms. */
import type { Ontology, SignMention } from './types';

/** Sign mentions in `text`, left to right, longest match first, spans in the original text. */
export function findSignMentionsIn(ontology: Ontology, text: string): SignMention[] {
  return ontology.signMatcher.match(text).map((m) => ({
    text: m.text,
    span: m.span,
    signId: m.payload.id,
    matchedTerm: m.matchedTerm,
    typos: m.typos,
  }));
}
