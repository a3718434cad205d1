import type { ChecklistId, Intent, LexiconTargetType, TargetType, Understanding } from '../contract';
import {
  ALL_CUE,
  ATTRIBUTIVE_AFTER,
  ATTRIBUTIVE_SIGN,
  DOMAIN_WORDS,
  type IntentCue,
  CHECKLIST_CUES,
  DEICTIC_CUE,
  DESCRIPTOR_CUES,
  EXPLICIT_ID,
  INTENT_CUES,
  NOUN_SIGNS,
  ORDINAL_CUE,
  OTHER_CUE,
  PLEURAL_SIGN,
  ORDINAL_WORDS,
  OUT_OF_SCOPE,
  RECENT_COUNT,
  RECENT_CUE,
  SIGN_GROUPS,
  type IntentNeed,
} from './cues';
import { carryPass, isEllipsis, signIntent, type PreviousTurn } from './carry';
import { fallbackIntent } from './fallback';
import { fixZhTypos, normalizeForCues, type Normalized } from './normalize';

export interface AnatomyMention {
  text: string;
  span: [number, number];
  type: LexiconTargetType;
  id: string;
}
export interface SignMention {
  signId: string;
  span: [number, number];
}

/** What understanding needs from the ontology (lexicon and sign names). */
export interface UnderstandingDeps {
  findAnatomy(text: string): AnatomyMention[];
  findSigns(text: string): SignMention[];
  /** The ontology category of a sign id (routes "有没有空洞"-style questions); optional. */
  signCategory?(signId: string): string | undefined;
}

export interface UnderstandOptions {
  /** The request carries a `focus` (clicked anchor or point): adds a `focus` reference. */
  focusAnchorId?: string | null;
  /** The previous turn's question: an elliptical follow-up ("那A2呢", "does A1 have it") asks it again. */
  previous?: PreviousTurn | null;
}

type Span = [number, number];
/** A sign-word group this large is the generic margin/density question, not one sign. */
const GENERIC_GROUP_SIZE = 5;
/** The fallback's posterior needed to override the weak "something is pointed at → describe it" default. */
const OVERRIDE_POSTERIOR = 0.8;
type Match = { text: string; span: Span; index: number; m: RegExpExecArray };

/** Anatomy types that locate a finding (and so select among anchors), as opposed to relation targets. */
const LOCATING: ReadonlySet<LexiconTargetType> = new Set<LexiconTargetType>(['lobe', 'zone', 'band', 'side']);
/** The lungs or a part of them (lobe, zone, one lung): "看看右下肺" examines it rather than draws it. */
const LUNG_REGION = (a: AnatomyMention): boolean =>
  a.type === 'lobe' ||
  a.type === 'zone' ||
  a.type === 'band' ||
  a.type === 'side' ||
  a.id === 'lungs' ||
  a.id === 'lung_right' ||
  a.id === 'lung_left';
const SIDED_STEMS = [
  'hilum',
  'apex',
  'costophrenic_angle',
  'hemidiaphragm',
  'pleura',
  'chest_wall',
  'cardiophrenic_angle',
  'heart_border',
];
const TARGET_OF: Record<string, TargetType> = {
  hilum: 'hilum',
  hilum_right: 'hilum',
  hilum_left: 'hilum',
  pleura: 'pleura',
  pleura_right: 'pleura',
  pleura_left: 'pleura',
  chest_wall: 'chest_wall',
  chest_wall_right: 'chest_wall',
  chest_wall_left: 'chest_wall',
  hemidiaphragm: 'diaphragm',
  hemidiaphragm_right: 'diaphragm',
  hemidiaphragm_left: 'diaphragm',
  carina: 'carina',
};
const TARGET_STEM: Record<TargetType, string> = {
  hilum: 'hilum',
  pleura: 'pleura',
  chest_wall: 'chest_wall',
  diaphragm: 'hemidiaphragm',
  carina: 'carina',
  anchor: 'anchor',
  landmark: 'landmark',
};

function allMatches(text: string, re: RegExp): Match[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  const out: Match[] = [];
  let m: RegExpExecArray | null;
  while ((m = g.exec(text))) {
    if (m[0].length === 0) {
      g.lastIndex++;
      continue;
    }
    out.push({ text: m[0], span: [m.index, m.index + m[0].length], index: m.index, m });
  }
  return out;
}

const overlaps = (a: Span, b: Span): boolean => a[0] < b[1] && b[0] < a[1];
const inside = (a: Span, b: Span): boolean => a[0] >= b[0] && a[1] <= b[1];

/** The side a mention names, if any. */
function sideOf(m: AnatomyMention): 'right' | 'left' | null {
  if (m.type === 'side') return m.id === 'right' || m.id === 'left' ? m.id : null;
  if (m.type === 'lobe') return m.id.startsWith('R') ? 'right' : 'left';
  const s = /(?:^|_)(right|left)(?:_|$)/.exec(m.id);
  return s ? (s[1] as 'right' | 'left') : null;
}

/** Pass 1 — the question normalised (NFKC, lower case, typos, abbreviations) with maps back to the original text. */
export interface Source {
  raw: string;
  /** Normalised, typo-corrected text the cues read. */
  text: string;
  /** Original span of a normalised span; the original text of an original span; normalised span of an original one. */
  orig(s: Span): Span;
  slice(s: Span): string;
  toNorm(s: Span): Span;
}

export function normalisePass(rawText: string): Source {
  const lead = rawText.length - rawText.trimStart().length;
  const n: Normalized = normalizeForCues(rawText.trim());
  return {
    raw: rawText,
    text: n.text,
    orig: (s) => {
      const o = n.span(s[0], s[1]);
      return [o[0] + lead, o[1] + lead];
    },
    slice: (s) => rawText.slice(s[0], s[1]),
    toNorm: (s) => n.inverse(s[0] - lead, s[1] - lead),
  };
}

/**
 * Pass 2 — anatomy through the lexicon (api.md 13.2). A side-less stem next to its sided form
 * ("右肺门 … 肺门结构") is the same thing: the sided one is kept. "画一下肺门": the 下 of 一下 is not
 * the lower zone; a tag question's "right?" ("no calcification, right?") is not the right side.
 */
export function anatomyPass(src: Source, deps: UnderstandingDeps): AnatomyMention[] {
  const anatomyText = fixZhTypos(src.raw)
    .replace(/一下(?=[肺叶野])/g, '一 ')
    .replace(
      /((?:,|，|\bno\b|\bnot\b|n't\b)[^?？]*?)(?<!\b(?:the|on|in|at|to)\s)\bright(?=\s*[?？]+\s*$)/i,
      (_m, pre: string) => `${pre}     `,
    );
  const anatomy: AnatomyMention[] = deps
    .findAnatomy(anatomyText)
    .map((a) => ({ text: a.text, span: [a.span[0], a.span[1]] as Span, type: a.type, id: a.id }));
  return anatomy.filter(
    (a) => !(SIDED_STEMS.includes(a.id) && anatomy.some((b) => b.id === `${a.id}_right` || b.id === `${a.id}_left`)),
  );
}

/** Pass 3 — references (api.md 10.3): explicit ids, recent marks, all, deictic, the request's focus. */
export function referencesPass(
  src: Source,
  focusAnchorId: string | null = null,
): { references: Understanding['references']; spans: Span[] } {
  const text = src.text;
  const references: Understanding['references'] = [];
  const spans: Span[] = [];
  const add = (m: Match, type: Understanding['references'][number]['type'], value: string | null): void => {
    const s = src.orig(m.span);
    references.push({ text: src.slice(s), span: s, type, value });
    spans.push(m.span);
  };
  const seenIds = new Set<string>();
  for (const r of allMatches(text, EXPLICIT_ID)) {
    const id = `A${Number(r.m[1])}`;
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    add(r, 'explicit_id', id);
  }
  const recent = allMatches(text, RECENT_CUE)[0];
  if (recent) {
    const word = /(两|俩|三|2|3|two|three)/.exec(recent.text)?.[1] ?? '两';
    add(recent, 'recent', String(RECENT_COUNT[word] ?? 2));
  }
  const all = recent ? undefined : allMatches(text, ALL_CUE)[0];
  if (all) add(all, 'all', null);
  const deictic = allMatches(text, DEICTIC_CUE).find((d) => !spans.some((s) => overlaps(s, d.span)));
  if (deictic) add(deictic, 'deictic', null);
  if (focusAnchorId) references.push({ text: null, span: null, type: 'focus', value: focusAnchorId });
  return { references, spans };
}

/**
 * Pass 4 — descriptors: shape and border words only when they modify a noun ("圆形影", "the round
 * opacity"), finding type, size rank, ordinal.
 */
export function descriptorsPass(src: Source): { descriptors: Understanding['descriptors']; spans: Span[] } {
  const text = src.text;
  const descriptors: Understanding['descriptors'] = [];
  const spans: Span[] = [];
  const askedWhich = /哪(个|一个)|which/.test(text);
  for (const d of DESCRIPTOR_CUES) {
    for (const hit of allMatches(text, d.pattern)) {
      if (spans.some((s) => overlaps(s, hit.span))) continue;
      if (d.type === 'shape' || d.type === 'border') {
        const after = text.slice(hit.span[1], hit.span[1] + 16);
        if (!ATTRIBUTIVE_AFTER.test(after)) continue;
      }
      if (d.type === 'sizeRank' && askedWhich) continue; // "哪个更大 / which is bigger" is a comparison
      if (descriptors.some((x) => x.type === d.type)) continue;
      const s = src.orig(hit.span);
      descriptors.push({ text: src.slice(s), span: s, type: d.type, value: d.value });
      spans.push(hit.span);
      break;
    }
  }
  const ord = allMatches(text, ORDINAL_CUE).find(
    (o) => !/^第\s*[一二三四五六七八九十\d]+\s*(条|项)$/.test(o.text) || !/几条|符合/.test(text),
  );
  if (ord && !/第\s*[一二三四五六七八九十\d]+\s*(肋|胸椎|前肋|后肋)/.test(text)) {
    const word = (ord.m[1] ?? ord.m[3] ?? ord.m[4] ?? ord.m[5] ?? '').trim();
    const value = ORDINAL_WORDS[word] ?? Number(word);
    if (Number.isFinite(value) && value > 0) {
      const s = src.orig(ord.span);
      descriptors.push({ text: src.slice(s), span: s, type: 'ordinal', value });
      spans.push(ord.span);
    }
  }
  descriptors.sort((a, b) => a.span[0] - b.span[0]);
  return { descriptors, spans };
}

/** The span of a pleural sign named with the pleura inside it ("胸膜凹陷", "pleural tail"), normalised. */
function pleuralSignSpan(src: Source): Span | null {
  const m = PLEURAL_SIGN.exec(src.text);
  return m ? [m.index, m.index + m[0].length] : null;
}

/**
 * Pass 5 — targets: relation surfaces named through the lexicon, not inside a sign's name ("胸膜凹陷"
 * names a sign, not the pleura).
 */
export function targetsPass(
  src: Source,
  anatomy: AnatomyMention[],
  signMentions: SignMention[],
): Understanding['targets'] {
  const pleural = pleuralSignSpan(src);
  const targets: Understanding['targets'] = [];
  const sides = new Set(
    anatomy
      .filter((a) => !TARGET_OF[a.id])
      .map(sideOf)
      .filter((s): s is 'right' | 'left' => s !== null),
  );
  for (const a of anatomy) {
    const type = TARGET_OF[a.id];
    if (!type || signMentions.some((s) => inside(a.span, s.span) && s.span[1] - s.span[0] > a.span[1] - a.span[0]))
      continue;
    if (type === 'pleura' && pleural && inside(src.toNorm(a.span), pleural)) continue;
    const side = sideOf(a) ?? (sides.size === 1 ? [...sides][0]! : null);
    const id = type === 'carina' ? 'carina' : side ? `${TARGET_STEM[type]}_${side}` : null;
    const prev = targets.findIndex((t) => t.type === type);
    if (prev >= 0) {
      if (!targets[prev]!.id && sideOf(a)) targets[prev] = { text: a.text, span: a.span, type, id };
      continue;
    }
    targets.push({ text: a.text, span: a.span, type, id });
  }
  return targets;
}

/** Blanks spans (same length), so cues do not see anatomy or attributive words. */
function blank(s: string, spans: Span[]): string {
  const chars = [...s];
  const units = s.split('');
  if (chars.length !== units.length) {
    let out = s;
    for (const sp of spans) out = out.slice(0, sp[0]) + ' '.repeat(sp[1] - sp[0]) + out.slice(sp[1]);
    return out;
  }
  for (const sp of spans) for (let i = sp[0]; i < sp[1]; i++) units[i] = ' ';
  return units.join('');
}

/** The text the intent cues see: anatomy and attributive descriptors blanked (same length). */
export function maskedText(src: Source, anatomy: AnatomyMention[], descriptors: Understanding['descriptors']): string {
  return blank(src.text, [
    ...anatomy.map((a) => src.toNorm(a.span)),
    ...descriptors.filter((d) => d.type !== 'findingType').map((d) => src.toNorm(d.span)),
  ]);
}

export interface SignsAsked {
  /** api.md 10.3 signsAsked: margin/density word groups plus the ontology's sign names asked about. */
  signsAsked: string[];
  /** Sign names asked about (not the nouns that name the finding, not inside a reference or descriptor). */
  askedMentions: SignMention[];
  /** One sign named by itself ("毛刺", "notch sign"), as opposed to the generic margin/density words. */
  specificIds: string[];
  /** Every sign or term of the ontology named (incl. finding nouns such as 磨玻璃影). */
  termIds: string[];
}

/** Pass 6 — signs asked. */
export function signsPass(
  src: Source,
  masked: string,
  anatomy: AnatomyMention[],
  signMentions: SignMention[],
  descSpans: Span[],
  refSpans: Span[],
): SignsAsked {
  const signsAsked: string[] = [];
  const addSign = (id: string): void => {
    if (!signsAsked.includes(id)) signsAsked.push(id);
  };
  const groups = SIGN_GROUPS.filter((g) => g.pattern.test(masked) && !(g.noAnatomy && anatomy.length));
  for (const g of groups) g.ids.forEach(addSign);
  const askedMentions = signMentions.filter((s) => {
    const sn = src.toNorm(s.span);
    return !NOUN_SIGNS.has(s.signId) && !descSpans.some((d) => overlaps(d, sn)) && !refSpans.some((r) => inside(sn, r));
  });
  for (const s of askedMentions) addSign(s.signId);
  const specificIds = [
    ...new Set([
      ...groups.filter((g) => g.ids.length < GENERIC_GROUP_SIZE).flatMap((g) => g.ids),
      ...askedMentions.map((s) => s.signId),
    ]),
  ];
  const termIds = [
    ...new Set([
      ...specificIds,
      ...signMentions.filter((s) => !refSpans.some((r) => inside(src.toNorm(s.span), r))).map((s) => s.signId),
    ]),
  ];
  return { signsAsked, askedMentions, specificIds, termIds };
}

/** Everything the intent pass reads. */
export interface IntentInput {
  src: Source;
  masked: string;
  anatomy: AnatomyMention[];
  references: Understanding['references'];
  descriptors: Understanding['descriptors'];
  targets: Understanding['targets'];
  signs: SignsAsked;
  checklistId: ChecklistId | null;
}

/** What the intent rules read about a question, computed once (the cue `needs` and the defaults test these). */
export interface IntentFacts {
  explicitCount: number;
  /** Something selects a finding: an id, "this", a recent mark, a selecting descriptor, "the other one". */
  pointing: boolean;
  /** A lobe, zone, band, side or one lung is named (selects among findings). */
  locating: boolean;
  hasSubject: boolean;
  /** Structures and landmarks that can be drawn (not relation targets). */
  drawable: AnatomyMention[];
  findingNoun: boolean;
  /** The question lies in the image's domain (the scored fallback decides only then). */
  domain: boolean;
}

export function intentFacts(x: IntentInput): IntentFacts {
  const { references, descriptors, anatomy } = x;
  const other = OTHER_CUE.test(x.src.text);
  const locating = anatomy.some(
    (a) => LOCATING.has(a.type) || a.id === 'lung_right' || a.id === 'lung_left' || a.id === 'retrocardiac',
  );
  return {
    explicitCount: references.filter((r) => r.type === 'explicit_id').length,
    pointing:
      other ||
      references.some((r) => r.type === 'explicit_id' || r.type === 'deictic' || r.type === 'recent') ||
      descriptors.some((d) => d.type !== 'findingType'),
    locating,
    hasSubject: other || references.length > 0 || descriptors.length > 0 || locating,
    drawable: anatomy.filter(
      (a) =>
        a.type === 'landmark' ||
        ((a.type === 'structure' || a.type === 'lobe' || a.type === 'zone') && !TARGET_OF[a.id]),
    ),
    findingNoun: descriptors.some((d) => d.type === 'findingType'),
    domain:
      DOMAIN_WORDS.test(x.src.text) ||
      anatomy.length > 0 ||
      references.length > 0 ||
      descriptors.length > 0 ||
      x.signs.termIds.length > 0,
  };
}

/** Two anchors are named: two ids, "these two", "both", or one id plus "this". */
const twoAnchors = (x: IntentInput, f: IntentFacts): boolean =>
  f.explicitCount >= 2 ||
  x.references.some((r) => r.type === 'recent' || r.type === 'all') ||
  (f.explicitCount === 1 && x.references.some((r) => r.type === 'deictic'));

/** Each cue need (cues.ts `IntentNeed`) as a test of the question. */
const NEED_TESTS: Record<IntentNeed, (x: IntentInput, f: IntentFacts) => boolean> = {
  target: (x) => x.targets.length > 0,
  noTarget: (x) => x.targets.length === 0,
  twoAnchors,
  structure: (_x, f) => f.drawable.length > 0 && !f.pointing,
  visibleStructure: (_x, f) => f.drawable.some((a) => !LUNG_REGION(a)) && !f.pointing,
  noPointing: (_x, f) => !f.pointing,
  findingNoun: (_x, f) => f.findingNoun,
  noLungRegion: (x) => !x.anatomy.some(LUNG_REGION),
  noAnatomy: (x) => x.anatomy.length === 0,
  subject: (_x, f) => f.hasSubject,
  checklist: (x) => x.checklistId !== null,
  specificSign: (x) => x.signs.specificIds.length > 0,
  anySign: (x) => x.signs.termIds.length > 0,
};

/**
 * The first intent cue whose pattern matches and whose needs hold. "磨玻璃结节多大 / the calcified
 * nodule — where?": a sign word that modifies the noun is not what is asked, unless nothing else is
 * asked ("是磨玻璃结节吗").
 */
export function cueIntent(x: IntentInput, f: IntentFacts): IntentCue | undefined {
  const text = x.src.text;
  const attrSigns = allMatches(text, ATTRIBUTIVE_SIGN).map((m) => m.span);
  const plain = attrSigns.length ? blank(x.masked, attrSigns) : x.masked;
  const pick = (cueText: string): IntentCue | undefined =>
    INTENT_CUES.find(
      (cue) =>
        cue.pattern.test(cue.raw ? text : cueText) && (!cue.needs || cue.needs.every((n) => NEED_TESTS[n](x, f))),
    );
  const first = pick(x.masked);
  const specific =
    first && attrSigns.length && (first.intent === 'density' || first.intent === 'margin') ? pick(plain) : undefined;
  return specific && !['overview', 'describe_finding', 'unknown'].includes(specific.intent) ? specific : first;
}

type Ruled = { intent: Intent; confidence: number };

/** A sign named on its own ("有空洞吗", "any spiculation?", "胸膜有牵拉吗"): its category says where it belongs. */
function signRoute(x: IntentInput, f: IntentFacts, deps: UnderstandingDeps): Ruled | null {
  const route = (id: string): Intent =>
    signIntent(id, (s) => deps.signCategory?.(s)) ?? (f.hasSubject ? 'describe_finding' : 'overview');
  const named = x.signs.askedMentions[0];
  if (named) return { intent: route(named.signId), confidence: 0.75 };
  const pleural = pleuralSignSpan(x.src);
  const inPleuralSign = (a: AnatomyMention): boolean => !!pleural && inside(x.src.toNorm(a.span), pleural);
  if (x.signs.signsAsked.length > 0 && x.anatomy.every((a) => LUNG_REGION(a) || inPleuralSign(a)))
    return { intent: route(x.signs.signsAsked[0]!), confidence: 0.7 };
  return null;
}

/** "右肺门? / the carina?" asks where it is; "气管居中吗 / is the mediastinum widened" is a finding question. */
function anatomyQuestion(x: IntentInput): Ruled | null {
  if (!x.anatomy.length || !/[?吗呢]|\bis\b|\bare\b|^\W*\S{1,12}\W*$|^\W*((what|how) about|and)\b/.test(x.src.text))
    return null;
  const rest = x.masked.replace(
    /[\s\p{P}\p{S}]|吗|呢|么|嘛|\b(the|is|are|a|an|in|on|of|it|where|what|how|about|and)\b/gu,
    '',
  );
  return { intent: rest.length <= 1 ? 'location' : 'overview', confidence: 0.4 };
}

/**
 * The weak defaults: something pointed at → describe it (unless the scored fallback is confident),
 * then anatomy, then the scored fallback.
 */
function weakDefault(x: IntentInput, f: IntentFacts): Ruled {
  const fb = f.domain ? scoredIntent(x.src.text, OVERRIDE_POSTERIOR) : null;
  const usable =
    fb &&
    !(fb.intent === 'checklist' && !x.checklistId) &&
    !((fb.intent === 'distance' || fb.intent === 'compare') && !twoAnchors(x, f));
  if (f.pointing || (f.locating && f.findingNoun))
    return usable
      ? { intent: fb.intent, confidence: Math.round(0.6 * fb.p * 100) / 100 }
      : { intent: 'describe_finding', confidence: 0.5 };
  const anat = anatomyQuestion(x);
  if (anat) return anat;
  // No rule fired: the scored fallback (character n-grams, naive Bayes on the paraphrase bank) may still read it.
  const last = f.domain ? scoredIntent(x.src.text) : null;
  if (last && !(last.intent === 'checklist' && !x.checklistId))
    return { intent: last.intent, confidence: Math.round(0.6 * last.p * 100) / 100 };
  return { intent: 'unknown', confidence: 0.3 };
}

/** Pass 7 — the intent: out of scope, then the cue grammar (cues.ts), then the sign and anatomy fallbacks. */
function ruleIntent(x: IntentInput, deps: UnderstandingDeps): Ruled {
  if (OUT_OF_SCOPE.test(x.src.text)) return { intent: 'unknown', confidence: 0.9 };
  const f = intentFacts(x);
  const cue = cueIntent(x, f);
  // "胸膜凹陷征有没有 / 有无胸膜牵拉": a generic presence cue with a sign named by itself asks about that sign.
  const signNamed = x.signs.askedMentions.length > 0 || x.signs.specificIds.length > 0;
  if (cue && !(cue.intent === 'overview' && signNamed))
    return { intent: cue.intent, confidence: cue.confidence ?? 0.9 };
  return signRoute(x, f, deps) ?? weakDefault(x, f);
}

/** The scored fallback's intent, unless it is a side comparison of a question that names no side. */
function scoredIntent(text: string, minPosterior?: number): ReturnType<typeof fallbackIntent> {
  const fb = fallbackIntent(text, minPosterior);
  return fb && fb.intent === 'compare_side' && !SIDE_WORDS.test(text) ? null : fb;
}

/** Rule answers the scored fallback may overrule, and the intents it may overrule them with (see docs/dialogue.md). */
const OVERRULABLE: ReadonlySet<Intent> = new Set<Intent>([
  'describe_finding',
  'overview',
  'margin',
  'density',
  'size',
  'compare',
  'unknown',
]);
const OVERRULING: ReadonlySet<Intent> = new Set<Intent>([
  'recommendation',
  'differential',
  'compare_prior',
  'compare_side',
  'explain',
  'help',
]);
/** The fallback's posterior needed to overrule a generic rule answer. */
export const OVERRULE_POSTERIOR = 0.99;
/** The fallback may choose a side comparison only when the question says something about sides. */
const SIDE_WORDS =
  /侧|左|右|对称|镜像|对面|两边|\bsides?\b|\blungs?\b|\bleft\b|\bright\b|\bl\b|\br\b|contralateral|opposite|mirror|symmetr/;
/** A presence question ("有…吗", "any …?", "is it …") asks whether a sign is there, not what it means. */
const PRESENCE =
  /有|吗|\bany\b|\b(is|are) (it|there|this|that|a\d+)\b|\bdoes\b|\bdo (you|we) see\b|^\s*[a-z' -]{1,30}\?\s*$/;

/**
 * Pass 7 — the intent: out of scope, then the cue grammar (cues.ts), then the sign and anatomy
 * fallbacks; finally a generic rule answer (describe, overview, margin, density, size, compare, or
 * no answer) yields to the scored fallback when it is all but certain of one of the follow-up
 * intents the generic cues tend to swallow ("毛刺代表什么" is not a margin question).
 */
export function intentPass(x: IntentInput, deps: UnderstandingDeps): { intent: Intent; confidence: number } {
  const rule = ruleIntent(x, deps);
  const text = x.src.text;
  if (!OVERRULABLE.has(rule.intent) || (rule.intent === 'unknown' && OUT_OF_SCOPE.test(text))) return rule;
  const domain =
    DOMAIN_WORDS.test(text) ||
    x.anatomy.length > 0 ||
    x.references.length > 0 ||
    x.descriptors.length > 0 ||
    x.signs.termIds.length > 0;
  const fb = domain ? scoredIntent(text, OVERRULE_POSTERIOR) : null;
  if (!fb || fb.intent === rule.intent || !OVERRULING.has(fb.intent)) return rule;
  const explicit = x.references.filter((r) => r.type === 'explicit_id').length;
  if (
    fb.intent === 'compare_side' &&
    (explicit >= 2 || x.references.some((r) => r.type === 'all' || r.type === 'recent'))
  )
    return rule;
  if (fb.intent === 'explain' && (PRESENCE.test(text) || x.signs.termIds.length === 0)) return rule;
  return { intent: fb.intent, confidence: Math.round(0.6 * fb.p * 100) / 100 };
}

/**
 * Deterministic question understanding (api.md 10.3) as passes over the cue data:
 * normalise → references → anatomy → descriptors → targets → signs asked → intent.
 * No external model.
 */
export function understand(rawText: string, deps: UnderstandingDeps, opts: UnderstandOptions = {}): Understanding {
  const src = normalisePass(rawText);
  const { references, spans: refSpans } = referencesPass(src, opts.focusAnchorId ?? null);
  const anatomy = anatomyPass(src, deps);
  const { descriptors, spans: descSpans } = descriptorsPass(src);
  const signMentions = deps.findSigns(rawText);
  const targets = targetsPass(src, anatomy, signMentions);
  const masked = maskedText(src, anatomy, descriptors);
  const signs = signsPass(src, masked, anatomy, signMentions, descSpans, refSpans);
  const checklistId: ChecklistId | null =
    CHECKLIST_CUES.find((c) => c.pattern.test(masked) || c.pattern.test(src.text))?.id ?? null;
  const ruled = intentPass({ src, masked, anatomy, references, descriptors, targets, signs, checklistId }, deps);
  const carried = carryPass(
    {
      intent: ruled.intent,
      // a finding noun ("what about the mass?") names its subject anew: not an ellipsis
      ellipsis:
        !descriptors.some((d) => d.type === 'findingType') &&
        isEllipsis(src.text, [...refSpans, ...descSpans], OTHER_CUE.test(src.text)),
      explicitIds: references.filter((r) => r.type === 'explicit_id').length,
      termsNamed: signs.termIds.length,
    },
    opts.previous,
    (id) => deps.signCategory?.(id),
  );
  const intent = carried?.intent ?? ruled.intent;
  const asks = carried ? [...new Set([...asksOf(src.text, intent), ...carried.asks])] : asksOf(src.text, intent);
  // "what is spiculation": the sign asked about is the one named, not the whole margin group;
  // a term such as 磨玻璃影 counts.
  const signsAsked = carried
    ? carried.signsAsked
    : intent === 'explain'
      ? signs.specificIds.length
        ? signs.specificIds
        : signs.termIds
      : signs.signsAsked;
  return {
    intent,
    intentConfidence: carried ? 0.7 : ruled.confidence,
    normalizedText: rawText.normalize('NFKC').trim(),
    anatomy,
    descriptors: intent === 'explain' ? withoutSignNouns(descriptors, signMentions) : descriptors,
    references,
    signsAsked,
    targets: carried && !targets.length ? carried.targets : targets,
    asks,
    checklistId: intent === 'checklist' ? checklistId : null,
  };
}

/** "GGO 是什么 / what is a ground-glass opacity": the noun inside a sign's name selects no finding. */
function withoutSignNouns(
  descriptors: Understanding['descriptors'],
  signs: SignMention[],
): Understanding['descriptors'] {
  return descriptors.filter((d) => d.type !== 'findingType' || !signs.some((m) => overlaps(m.span, d.span)));
}

function asksOf(text: string, intent: Intent): Understanding['asks'] {
  const asks = new Set<Understanding['asks'][number]>();
  if (
    /距离|多远|相距|远吗|近吗|distance|how far|apart/.test(text) &&
    (intent === 'distance' || intent === 'relation_landmark')
  )
    asks.add('distance');
  if (/间隙|间距|最近|gap|nearest|closest|edge to edge/.test(text)) asks.add('gap');
  if (/相连|连接|连着|连在|相通|接触|粘连|connect|attach|bridge|contact|touch/.test(text)) asks.add('connection');
  if (intent === 'relation_landmark' && asks.size === 0) asks.add('distance');
  if (intent === 'distance') asks.add('distance');
  if (intent === 'size') asks.add('size');
  if (intent === 'location') asks.add('location');
  if (intent === 'cardiothoracic_ratio') asks.add('ratio');
  if (/几条|几个|多少个|多少条|how many|count|number of/.test(text)) asks.add('count');
  if (
    asks.size === 0 &&
    /是否|有没有|有无|吗|是不是|is there|are there|\bany\b|^(is|are|does|do|has|have)\b|\b(is|are) (it|its|this|that|the)\b/.test(
      text,
    )
  )
    asks.add('presence');
  return [...asks];
}
