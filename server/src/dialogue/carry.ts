import type { Intent, Understanding } from '../contract';
import { ELLIPSIS_WORDS, OTHER_CUE, SIGN_INTENT_BY_CATEGORY, SIGN_INTENT_BY_ID } from './cues';

/**
 * Previous-turn carry (issue 14): an elliptical follow-up ("那A2呢?", "and A2?", "A1有吗?", "does A1
 * have it?") is only a pointer and filler words; it asks the previous turn's question again for the new
 * subject — after an explanation of a sign, whether the subject shows that sign.
 */
export type PreviousTurn = Pick<Understanding, 'intent' | 'signsAsked' | 'targets' | 'asks'>;

/** Intents a follow-up may take over (an overview, a report or a checklist is not asked again of one anchor). */
const CARRIED: ReadonlySet<Intent> = new Set<Intent>([
  'describe_finding',
  'margin',
  'density',
  'size',
  'location',
  'distance',
  'relation_landmark',
  'compare',
  'differential',
  'recommendation',
  'compare_side',
  'compare_prior',
  'explain',
]);
/** What an elliptical follow-up reads as on its own (a pointer alone is "describe it"). */
const ELLIPTICAL: ReadonlySet<Intent> = new Set<Intent>(['describe_finding', 'overview', 'explain', 'unknown']);
/** Intents about two anchors: carried only when the follow-up names two. */
const TWO_ANCHORS: ReadonlySet<Intent> = new Set<Intent>(['distance', 'compare']);

const OTHER_ALL = new RegExp(OTHER_CUE.source, 'g');

/** The text without the given spans (replaced by spaces). */
function withoutSpans(text: string, spans: [number, number][]): string {
  let out = text;
  for (const [a, b] of spans) out = out.slice(0, a) + ' '.repeat(Math.max(0, b - a)) + out.slice(b);
  return out;
}

/** True when the question is a pointer (its spans given) plus filler words only. */
export function isEllipsis(normText: string, pointerSpans: [number, number][], otherWord: boolean): boolean {
  if (!pointerSpans.length && !otherWord) return false;
  const rest = withoutSpans(normText, pointerSpans).replace(OTHER_ALL, ' ').replace(ELLIPSIS_WORDS, ' ');
  return rest.replace(/[\s\p{P}\p{S}]/gu, '') === '';
}

/** The intent a sign question goes to (a margin sign → margin, a density sign → density). */
export function signIntent(signId: string, category: (id: string) => string | undefined): Intent | undefined {
  return SIGN_INTENT_BY_ID[signId] ?? SIGN_INTENT_BY_CATEGORY[category(signId) ?? ''];
}

export interface CarryInput {
  intent: Intent;
  ellipsis: boolean;
  explicitIds: number;
  /** Signs or terms named in this question (a sign named anew is a new question). */
  termsNamed: number;
}

/** The previous turn's question for this follow-up, or null when the question stands on its own. */
export function carryPass(
  x: CarryInput,
  previous: PreviousTurn | null | undefined,
  category: (id: string) => string | undefined,
): PreviousTurn | null {
  if (!previous || !x.ellipsis || !ELLIPTICAL.has(x.intent) || !CARRIED.has(previous.intent)) return null;
  if (x.termsNamed > 0) return null;
  if (TWO_ANCHORS.has(previous.intent) && x.explicitIds < 2) return null;
  if (previous.intent !== 'explain') return previous;
  const sign = previous.signsAsked[0];
  if (!sign) return null;
  return {
    intent: signIntent(sign, category) ?? 'describe_finding',
    signsAsked: previous.signsAsked,
    targets: [],
    asks: [],
  };
}
