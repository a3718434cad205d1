import type {
  Anchor,
  Annotation,
  AnswerItem,
  AnswerSection,
  Bilingual,
  Checklist,
  Evidence,
  Lang,
  ResolvedAnchor,
  Turn,
  Understanding,
} from '../contract';
import type { Analysers } from '../analysis/analysers';
import type { Ontology } from '../ontology';
import type { AnalysisEntry, SessionState } from '../store/types';

/** Everything an intent handler may read, plus id allocation. Handlers never touch HTTP. */
export interface TurnContext {
  state: SessionState;
  entry: AnalysisEntry;
  /** The attached prior film's analysis (api.md 8.4), null when none is attached or it has expired. */
  prior?: AnalysisEntry | null;
  lang: Lang;
  understanding: Understanding;
  resolved: ResolvedAnchor[];
  analysers: Analysers;
  ontology: Ontology;
  turnId: string;
  newAnnotationId(): string;
  newAnchorId(): string;
  anchor(id: string): Anchor | undefined;
}

/** What an intent handler returns; the orchestrator assembles the Turn from it. */
export interface IntentResult {
  headline: string;
  sections: AnswerSection[];
  suggestions: string[];
  annotations?: Annotation[];
  removedAnnotationIds?: string[];
  createdAnchors?: Anchor[];
  /** The subject whose lineage root becomes the focus; undefined = unchanged. */
  focusAnchorId?: string | null;
  checklist?: Checklist | null;
  links?: Turn['links'];
  resolvedTargets?: Turn['resolvedTargets'];
  refinementCache?: 'hit' | 'miss' | null;
  /** Anchor ids listed in order (overview), for later ordinal references. */
  listed?: string[];
}

import { tr } from '../report/phrases';
export { tr };

/** The label separator: "A1:…" in Chinese, "A1: …" in English. */
export const sep = (lang: Lang): string => (lang === 'zh' ? ':' : ': ');

export function item(
  text: string,
  anchorIds: string[] = [],
  evidence: Evidence[] = [],
  extra: Partial<AnswerItem> = {},
): AnswerItem {
  return { text, anchorIds, evidence, signId: null, status: null, ...extra };
}

export function section(id: AnswerSection['id'], title: string, items: AnswerItem[]): AnswerSection {
  return { id, title, items };
}

/** A turn that cannot answer: the headline, one note under "Limits" and at most one suggestion. */
export function limitsOnly(l: Lang, headline: Bilingual, note: Bilingual, suggestion: Bilingual | null): IntentResult {
  return {
    headline: tr(l, headline.zh, headline.en),
    sections: [section('limits', tr(l, '限制', 'Limits'), [item(tr(l, note.zh, note.en))])],
    suggestions: suggestion ? [tr(l, suggestion.zh, suggestion.en)] : [],
  };
}
