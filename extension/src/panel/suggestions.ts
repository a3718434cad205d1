/**
 * The suggestion chips under the conversation: in the panel's language, and only those whose
 * prerequisites exist on this image now (two user points before "how far apart", the top finding's
 * own side for the hilum question, the report after a checklist). Pure, so it is unit-tested.
 */
import type { Analysis, Anchor, Lang, Turn } from '../api/contract';
import { fill, QUESTIONS, t } from '../i18n/strings';

export type ChipAction = 'storeSr';
export interface Chip {
  text: string;
  question?: string;
  action?: ChipAction;
}

export interface SuggestionInput {
  lang: Lang;
  ready: boolean;
  anchors: Anchor[];
  analysis: Analysis | null;
  /** The assistant turns so far, oldest first. */
  turns: Turn[];
  /** A prior radiograph is attached to the session (api.md 8.4). */
  priorAttached?: boolean;
}

const MAX_CHIPS = 4;
const ask = (text: string): Chip => ({ text, question: text });

/** The side a finding anchor lies on: the analysis says it; else its label does. */
export function sideOf(anchor: Anchor, analysis: Analysis | null): 'left' | 'right' | null {
  const f = analysis?.findings.find((x) => x.id === anchor.findingId);
  if (f?.location?.side) return f.location.side;
  const label = `${anchor.label.zh} ${anchor.label.en}`;
  if (/左|\bleft\b/i.test(label)) return 'left';
  if (/右|\bright\b/i.test(label)) return 'right';
  return null;
}

/** The highest-priority finding anchor (A1 in api.md 8.1's order), or null. */
function topFinding(anchors: Anchor[]): Anchor | null {
  return anchors.find((a) => a.kind === 'finding') ?? null;
}

/** Questions about what the user drew (a distance needs two points, a size a region), not the one just answered. */
function drawingChips(anchors: Anchor[], lang: Lang, lastIntent: string | undefined): Chip[] {
  const user = anchors.filter((a) => a.kind === 'user');
  const points = user.filter((a) => a.geometry.type === 'point').length;
  const regions = user.filter((a) => a.geometry.type === 'ellipse' || a.geometry.type === 'polygon').length;
  return [
    ...(points >= 2 && lastIntent !== 'distance' ? [ask(QUESTIONS.twoPoints[lang])] : []),
    ...(regions >= 1 && lastIntent !== 'size' ? [ask(QUESTIONS.regionSize[lang])] : []),
  ];
}

/** Follow-ups to the last answer's intent. */
function followUps(intent: string | undefined, top: Anchor | null, analysis: Analysis | null, lang: Lang): Chip[] {
  if (intent === 'checklist') return [ask(QUESTIONS.report[lang]), { text: t('storeSr', lang), action: 'storeSr' }];
  if (intent === 'report') return [{ text: t('storeSr', lang), action: 'storeSr' }];
  if (!top) return intent ? [] : [ask(QUESTIONS.overview[lang]), ask(QUESTIONS.ctr[lang]), ask(QUESTIONS.help[lang])];
  const side = sideOf(top, analysis);
  const sideWord = side === null ? '' : lang === 'zh' ? (side === 'left' ? '左' : '右') : side;
  const margin = ask(fill(QUESTIONS.margin[lang], { id: top.id }));
  const hilum = side ? [ask(fill(QUESTIONS.hilum[lang], { id: top.id, side: sideWord }))] : [];
  switch (intent) {
    case undefined:
      return [ask(QUESTIONS.overview[lang]), ask(QUESTIONS.ctr[lang])];
    case 'overview':
      return [margin, ...hilum];
    case 'margin':
    case 'density':
    case 'describe_finding':
    case 'explain':
      return [...hilum, ask(QUESTIONS.checklist[lang])];
    case 'relation_landmark':
      return [ask(QUESTIONS.checklist[lang])];
    default:
      return [margin, ...hilum];
  }
}

/** The chips to offer now, at most four, without repeats. */
export function suggestionChips(s: SuggestionInput): Chip[] {
  if (!s.ready) return [];
  const last = s.turns[s.turns.length - 1];
  const intent = last?.understanding?.intent;
  // With a prior attached, the change since then is the first question until it has been asked.
  const compared = s.turns.some((x) => x.understanding?.intent === 'compare_prior');
  const chips = [
    ...(s.priorAttached && !compared ? [ask(QUESTIONS.prior[s.lang])] : []),
    ...drawingChips(s.anchors, s.lang, intent),
    ...followUps(intent, topFinding(s.anchors), s.analysis, s.lang),
  ];
  const seen = new Set<string>();
  return chips.filter((c) => !seen.has(c.text) && seen.add(c.text)).slice(0, MAX_CHIPS);
}

/**
 * The server's own suggestions, minus those whose prerequisite is missing here: a distance between
 * two points without two points, a lesion question with no lesion, or a hilum on the other side
 * than the top finding.
 */
export function usableServerSuggestions(list: string[], anchors: Anchor[], analysis: Analysis | null): string[] {
  const points = anchors.filter((a) => a.kind === 'user' && a.geometry.type === 'point').length;
  const top = topFinding(anchors);
  const side = top ? sideOf(top, analysis) : null;
  const subjects = anchors.some((a) => a.kind === 'finding' || a.kind === 'user');
  return list.filter((q) => {
    if (/两个点|two points/i.test(q) && points < 2) return false;
    if (!subjects && /病灶|结节|lesion|nodule/i.test(q)) return false;
    if (side === 'left' && /右肺门|right hil/i.test(q)) return false;
    if (side === 'right' && /左肺门|left hil/i.test(q)) return false;
    return true;
  });
}
