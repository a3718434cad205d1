import type { ChecklistId, Intent } from '../contract';
import cuesEn from '../../../ontology/dialogue/cues.en.json';
import cuesZh from '../../../ontology/dialogue/cues.zh.json';
import benignNodule from '../../../ontology/checklists/benign_nodule.json';
import cardiomegaly from '../../../ontology/checklists/cardiomegaly.json';
import earlyLungCancer from '../../../ontology/checklists/early_lung_cancer.json';
import pleuralEffusion from '../../../ontology/checklists/pleural_effusion.json';
import pneumothorax from '../../../ontology/checklists/pneumothorax.json';

/**
 * The question grammar. The cue words and patterns are data, one file per language
 * (ontology/dialogue/cues.zh.json, cues.en.json, schema-checked at startup): the alternatives of both
 * files under one key are joined into one pattern. This module holds the grammar over them: the
 * cue order, what each cue needs, which text it reads. Patterns run on NFKC, lower-cased, typo-corrected text
 * (normalize.ts `normalizeForCues`). Intent cues run on the text with anatomy mentions and
 * attributive descriptors blanked out ("右肺中叶那个圆形影" must not vote for anything, and
 * "right heart border" is not a margin question), except cues marked `raw`.
 *
 * Intent cues are tried in table order; the first whose pattern matches and whose `needs`
 * holds wins. The order is from the most specific request to the most generic question:
 * out of scope → help → report → checklist → ratio → compare → two-anchor distance →
 * landmark relation → show → margin → density → size → location → overview → describe.
 * A question with several cues ("这个结节多大,边缘光滑吗") takes the earlier one.
 * Besides that spine: diagnostic questions ("是不是结节", "could it be TB") → describe before ratio;
 * "A1 bigger than A2" → compare; "看看右下肺" (a lung region, nothing pointed at) → overview;
 * border-clarity words with no anatomy → margin; a finding noun asked for presence → overview;
 * a bare "A1离肺门 / A1 to carina" → relation; follow-up openers ("那…", "and …", "the one …") → describe.
 * understand.ts also lets an attributive sign word ("磨玻璃结节多大") yield to a more specific question,
 * and falls back on named signs, then on "anatomy + predicate" (→ overview) vs bare anatomy (→ location).
 */
export type IntentNeed =
  | 'target' // a relation target (hilum, pleura, chest wall, diaphragm, carina) in the question
  | 'noTarget'
  | 'twoAnchors' // two explicit ids, "these two points", "both", or one id plus "this"
  | 'structure' // a drawable structure or landmark
  | 'visibleStructure' // a structure other than the lungs or a lung region (for weak "看看/look at")
  | 'noLungRegion' // no lung, lobe, zone, band or side named
  | 'findingNoun' // a finding-type noun (结节, mass, opacity …)
  | 'noAnatomy' // no anatomy named at all
  | 'noPointing' // no explicit id, deictic, recent mark or selecting descriptor
  | 'subject' // something that picks an anchor: a reference, a descriptor or location anatomy
  | 'checklist' // a checklist id
  | 'specificSign' // a sign named by itself (毛刺, notch sign, 空洞 …), not only the generic margin/density words
  | 'anySign'; // any sign or term of the ontology named (incl. finding nouns such as 磨玻璃影)
export interface IntentCue {
  intent: Intent;
  pattern: RegExp;
  needs?: IntentNeed[];
  raw?: boolean;
  confidence?: number;
  note?: string;
}

/** A cue file (ontology/dialogue/cues.<lang>.json): regular-expression alternatives by section and key. */
export interface CueFile {
  lang: 'zh' | 'en';
  outOfScope: string[];
  domain: string[];
  intents: Record<string, string[]>;
  descriptors: Record<string, string[]>;
  signGroups: Record<string, string[]>;
  references: Record<string, string[]>;
  attributive: { after: string[]; pleuralSign: string[]; signWord: string[] };
  ellipsis?: string[];
}
export const CUE_FILES: CueFile[] = [cuesZh as CueFile, cuesEn as CueFile];

type Section = Exclude<keyof CueFile, 'lang' | 'outOfScope' | 'domain' | 'attributive' | 'ellipsis'>;
/** All alternatives (zh first, then en) as one pattern; a key no file fills never matches. */
function join(alternatives: string[]): RegExp {
  return new RegExp(alternatives.length ? alternatives.join('|') : '(?!)');
}
export function cuePattern(section: Section, key: string, files: CueFile[] = CUE_FILES): RegExp {
  return join(files.flatMap((f) => f[section][key] ?? []));
}
const attributive = (key: keyof CueFile['attributive']): RegExp => join(CUE_FILES.flatMap((f) => f.attributive[key]));

/** Words that place a question in the image's domain (the scored fallback decides only for these). */
export const DOMAIN_WORDS = join(CUE_FILES.flatMap((f) => f.domain));

/** Filler words of an elliptical follow-up ("那A2呢", "and A2?", "does A1 have it"), all occurrences. */
export const ELLIPSIS_WORDS = new RegExp(join(CUE_FILES.flatMap((f) => f.ellipsis ?? [])).source, 'g');

/** Outside the image's scope: scheduling, drugs, treatment decisions, small talk (→ unknown). */
export const OUT_OF_SCOPE = join(CUE_FILES.flatMap((f) => f.outOfScope));

/**
 * The intent cues in the order they are tried (the first whose pattern matches and whose needs
 * hold wins). Ids are the keys of `intents` in the cue files.
 */
export const INTENT_GRAMMAR: { id: string; intent: Intent; needs?: IntentNeed[]; raw?: boolean }[] = [
  { id: 'explain', intent: 'explain', needs: ['anySign'], raw: true },
  { id: 'explain_weak', intent: 'explain', needs: ['specificSign'], raw: true },
  { id: 'explain_term', intent: 'explain', needs: ['anySign'], raw: true },
  { id: 'compare_prior', intent: 'compare_prior', raw: true },
  { id: 'compare_side', intent: 'compare_side', raw: true },
  { id: 'differential', intent: 'differential', raw: true },
  { id: 'recommendation', intent: 'recommendation' },
  { id: 'help', intent: 'help' },
  { id: 'report', intent: 'report' },
  { id: 'checklist', intent: 'checklist', needs: ['checklist'], raw: true },
  { id: 'diagnosis', intent: 'describe_finding', raw: true },
  { id: 'cardiothoracic_ratio', intent: 'cardiothoracic_ratio', raw: true },
  { id: 'compare', intent: 'compare' },
  { id: 'compare_than', intent: 'compare', needs: ['twoAnchors'] },
  { id: 'distance_two', intent: 'distance', needs: ['twoAnchors'] },
  { id: 'relation', intent: 'relation_landmark', needs: ['target'] },
  { id: 'distance', intent: 'distance', needs: ['noTarget'] },
  { id: 'show', intent: 'show_anatomy', needs: ['structure'] },
  { id: 'show_all', intent: 'show_anatomy' },
  { id: 'show_look', intent: 'show_anatomy', needs: ['visibleStructure'] },
  { id: 'overview_look', intent: 'overview', needs: ['noPointing'] },
  { id: 'margin', intent: 'margin' },
  { id: 'margin_clarity', intent: 'margin', needs: ['noAnatomy'] },
  { id: 'density', intent: 'density' },
  { id: 'size', intent: 'size' },
  { id: 'location', intent: 'location' },
  { id: 'overview', intent: 'overview' },
  { id: 'overview_noun', intent: 'overview', needs: ['findingNoun', 'noPointing'] },
  { id: 'relation_bare', intent: 'relation_landmark', needs: ['target', 'subject'] },
  { id: 'describe', intent: 'describe_finding', needs: ['subject'] },
];
export const INTENT_CUES: IntentCue[] = INTENT_GRAMMAR.map((g) => ({ ...g, pattern: cuePattern('intents', g.id) }));

/** Checklist ids by cue (api.md 10.4). Order matters: the first that matches wins. */
/** The trigger words live in each checklist's JSON (`triggers`, per language; schema-checked with the checklist). */
type Triggers = { id: string; triggers: { zh: string[]; en: string[] } };
const CHECKLIST_ORDER: Triggers[] = [
  benignNodule,
  earlyLungCancer,
  pneumothorax,
  pleuralEffusion,
  cardiomegaly,
] as Triggers[];
export const CHECKLIST_CUES: { id: ChecklistId; pattern: RegExp }[] = CHECKLIST_ORDER.map((c) => ({
  id: c.id as ChecklistId,
  pattern: join([...c.triggers.zh, ...c.triggers.en]),
}));

/**
 * Descriptor cues (api.md 10.3): shape, border, finding type, size rank; tried in this order (irregular
 * before round).
 */
export interface DescriptorCue {
  type: 'shape' | 'border' | 'findingType' | 'sizeRank';
  value: string;
  pattern: RegExp;
}
const DESCRIPTOR_ORDER: [DescriptorCue['type'], string][] = [
  ['shape', 'irregular'],
  ['shape', 'oval'],
  ['shape', 'round'],
  ['shape', 'streaky'],
  ['shape', 'linear'],
  ['border', 'well_defined'],
  ['border', 'ill_defined'],
  ['findingType', 'mass'],
  ['findingType', 'nodule'],
  ['findingType', 'opacity'],
  ['sizeRank', 'largest'],
  ['sizeRank', 'smallest'],
];
export const DESCRIPTOR_CUES: DescriptorCue[] = DESCRIPTOR_ORDER.map(([type, value]) => ({
  type,
  value,
  pattern: cuePattern('descriptors', `${type}:${value}`),
}));
/** Shape and border words are descriptors only when they modify a noun (attributive), not when they are asked about. */
export const ATTRIBUTIVE_AFTER = attributive('after');

export const ORDINAL_CUE =
  /第\s*([一二三四五六七八九十\d]+)\s*(个|处|枚|项|号|条)?|\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b(?! (?:of all|time|opinion|look))|(?:\b(?:number|no\.?)|#|\b(?:nodule|lesion|finding|mass)\s*#?|(?:结节|病灶|病变)\s*#?)\s*(\d|one|two|three|four|five)\b(?!\s*(?:mm|cm|毫米|厘米|公分|个|处|枚))|(?<![a-z\d])([一二三四五六七八九十\d])\s*号(?!线)/;
export const ORDINAL_WORDS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  '5th': 5,
};

/** Reference cues (api.md 10.3). */
const USER_MARK = '(点|标记|区域|位置|圈|框|地方|处)';
export const RECENT_CUE = new RegExp(
  `(这|那|(刚才|刚刚|刚|我)(画|标)的)\\s*(两|俩|2|三|3)\\s*个?\\s*${USER_MARK}|(两|2)\\s*(个)?\\s*点之间|我(刚)?画的(两个)?${USER_MARK}` +
    `|\\b(these|those|the|my) (two|2|three|3) (points|marks|regions|spots|dots|areas|annotations)\\b|\\bboth ` +
    `(points|marks|dots|spots)\\b|\\bthe points i (drew|marked|placed)\\b`,
);
export const RECENT_COUNT: Record<string, number> = { 两: 2, 俩: 2, '2': 2, two: 2, 三: 3, '3': 3, three: 3 };
export const ALL_CUE = cuePattern('references', 'all');
export const DEICTIC_CUE = cuePattern('references', 'deictic');
// Run-together ids count ("a1a2", "a1a2a3"): an id may follow another id directly.
export const EXPLICIT_ID = /(?:(?<![a-z0-9])|(?<=a\d{1,3}))a-?(\d{1,3})(?![0-9])(?!(?!a\d)[a-z])/g;

/** Sign-id groups asked by margin/density words (api.md 10.3), in the order the handlers list them. */
export const MARGIN_IDS = [
  'margin_smooth',
  'margin_lobulated',
  'margin_spiculated',
  'margin_ill_defined',
  'notch_sign',
];
export const DENSITY_IDS = ['homogeneous_density', 'calcification', 'cavitation', 'vacuole_sign', 'air_bronchogram'];
const SIGN_GROUP_IDS: { key: string; ids: string[]; noAnatomy?: boolean }[] = [
  { key: 'margin', ids: MARGIN_IDS },
  { key: 'spiculated', ids: ['margin_spiculated'] },
  { key: 'fuzzy', ids: ['margin_ill_defined', 'margin_spiculated'] },
  { key: 'lobulated', ids: ['margin_lobulated', 'notch_sign'] },
  { key: 'notch', ids: ['notch_sign'] },
  { key: 'calcification', ids: ['calcification'] },
  { key: 'ill_defined', ids: ['margin_ill_defined'] },
  { key: 'well_defined', ids: ['margin_smooth', 'margin_ill_defined'] },
  { key: 'unclear', ids: ['margin_ill_defined'], noAnatomy: true },
  { key: 'clear', ids: ['margin_smooth', 'margin_ill_defined'], noAnatomy: true },
  { key: 'cavitation', ids: ['cavitation'] },
  { key: 'vacuole', ids: ['vacuole_sign'] },
  { key: 'air_bronchogram', ids: ['air_bronchogram'] },
  { key: 'density', ids: DENSITY_IDS },
  { key: 'pleural_indentation', ids: ['pleural_indentation'] },
];
export const SIGN_GROUPS: { pattern: RegExp; ids: string[]; noAnatomy?: boolean }[] = SIGN_GROUP_IDS.map((g) => ({
  pattern: cuePattern('signGroups', g.key),
  ids: g.ids,
  noAnatomy: g.noAnatomy,
}));

/**
 * Which intent a named sign implies when no cue word did: the ontology's sign category
 * decides (margin_shape → margin, density_content → density), with these id lists as the
 * fallback when the category is not available. Finding-type and shape nouns never route.
 */
export const NOUN_SIGNS = new Set([
  'nodule',
  'mass',
  'opacity',
  'micronodule',
  'shape_round',
  'shape_oval',
  'shape_irregular',
  'linear_opacity',
  'consolidation',
  'ground_glass_opacity',
]);
export const SIGN_INTENT_BY_CATEGORY: Record<string, Intent> = { margin_shape: 'margin', density_content: 'density' };
export const SIGN_INTENT_BY_ID: Record<string, Intent> = {
  air_bronchogram: 'density',
  pleural_indentation: 'margin',
};

/** "the other one / 另一个": the anchor other than the current focus (resolve.ts). */
export const OTHER_CUE = cuePattern('references', 'other');
/** A pleural sign named with the pleura inside it ("胸膜有牵拉", "pleural tail"): the pleura is not a relation target. */
export const PLEURAL_SIGN = attributive('pleuralSign');
/** Density and margin words used attributively ("磨玻璃结节", "the calcified nodule"): they name the finding. */
export const ATTRIBUTIVE_SIGN = attributive('signWord');
