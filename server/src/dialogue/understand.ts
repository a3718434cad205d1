import type { ChecklistId, Intent, LexiconTargetType, TargetType, Understanding } from '../contract';
import {
  ALL_CUE, CHECKLIST_CUES, DEICTIC_CUE, DESCRIPTOR_CUES, EXPLICIT_ID, INTENT_CUES, ORDINAL_CUE, ORDINAL_WORDS,
  RECENT_CUE, SIDE_BEFORE, TARGET_CUES,
} from './cues';
import { normalizeWithMap, type Normalized } from './normalize';

export interface AnatomyMention { text: string; span: [number, number]; type: LexiconTargetType; id: string }
export interface SignMention { signId: string; span: [number, number] }

/** What understanding needs from the ontology (lexicon and sign names). */
export interface UnderstandingDeps {
  findAnatomy(text: string): AnatomyMention[];
  findSigns(text: string): SignMention[];
}

/** Sign ids asked by margin/density words (api.md 10.3). */
const SIGN_GROUPS: { pattern: RegExp; ids: string[] }[] = [
  { pattern: /边缘|边界|轮廓|规则|光整|光滑|margin|border|edge|regular|smooth|contour/, ids: ['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined', 'notch_sign'] },
  { pattern: /毛刺|spicul/, ids: ['margin_spiculated'] },
  { pattern: /分叶|lobul/, ids: ['margin_lobulated', 'notch_sign'] },
  { pattern: /脐凹|切迹|notch/, ids: ['notch_sign'] },
  { pattern: /钙化|calcif/, ids: ['calcification'] },
  { pattern: /空洞|cavit/, ids: ['cavitation'] },
  { pattern: /空泡|vacuol|bubble/, ids: ['vacuole_sign'] },
  { pattern: /支气管充气|充气支气管|air bronchogram/, ids: ['air_bronchogram'] },
  { pattern: /密度|内部|density|internal|inside/, ids: ['homogeneous_density', 'calcification', 'cavitation', 'vacuole_sign', 'air_bronchogram'] },
  { pattern: /胸膜凹陷|胸膜牵拉|牵拉|pleural indentation|pleural tag|\btail\b/, ids: ['pleural_indentation'] },
];

const STRUCTURE_TYPES = new Set<LexiconTargetType>(['structure', 'landmark']);

function allMatches(n: Normalized, re: RegExp): { text: string; span: [number, number]; m: RegExpExecArray }[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  const out: { text: string; span: [number, number]; m: RegExpExecArray }[] = [];
  let m: RegExpExecArray | null;
  while ((m = g.exec(n.text))) {
    if (m[0].length === 0) { g.lastIndex++; continue; }
    out.push({ text: m[0], span: n.span(m.index, m.index + m[0].length), m });
  }
  return out;
}

/**
 * Deterministic question understanding (api.md 10.3): intent, anatomy, descriptors,
 * references, signs asked, landmark targets and the checklist. No external model.
 */
export function understand(rawText: string, deps: UnderstandingDeps): Understanding {
  const n = normalizeWithMap(rawText.trim());
  const text = n.text;
  const originalOffset = rawText.length - rawText.trimStart().length;
  const shift = (s: [number, number]): [number, number] => [s[0] + originalOffset, s[1] + originalOffset];

  const anatomy = deps.findAnatomy(rawText).map((a) => ({ ...a }));
  const references: Understanding['references'] = [];
  for (const r of allMatches(n, EXPLICIT_ID)) references.push({ text: rawText.slice(...shift(r.span)), span: shift(r.span), type: 'explicit_id', value: `A${r.m[1]}` });
  const recent = allMatches(n, RECENT_CUE)[0];
  if (recent) references.push({ text: rawText.slice(...shift(recent.span)), span: shift(recent.span), type: 'recent', value: '2' });
  if (!recent) for (const r of allMatches(n, ALL_CUE).slice(0, 1)) references.push({ text: rawText.slice(...shift(r.span)), span: shift(r.span), type: 'all', value: null });
  for (const r of allMatches(n, DEICTIC_CUE).slice(0, 1)) {
    if (recent && r.span[0] >= recent.span[0] && r.span[1] <= recent.span[1]) continue;
    references.push({ text: rawText.slice(...shift(r.span)), span: shift(r.span), type: 'deictic', value: null });
  }

  const descriptors: Understanding['descriptors'] = [];
  for (const d of DESCRIPTOR_CUES) {
    const hit = allMatches(n, d.pattern)[0];
    if (hit && !descriptors.some((x) => x.type === d.type && x.value === d.value)) {
      descriptors.push({ text: rawText.slice(...shift(hit.span)), span: shift(hit.span), type: d.type, value: d.value });
    }
  }
  // "不规则" also contains "规则": an irregular-shape cue must not also count as a round/oval one.
  const ord = allMatches(n, ORDINAL_CUE)[0];
  if (ord) {
    const word = (ord.m[1] ?? ord.m[3] ?? '').trim();
    const value = ORDINAL_WORDS[word] ?? Number(word);
    if (Number.isFinite(value) && value > 0) descriptors.push({ text: rawText.slice(...shift(ord.span)), span: shift(ord.span), type: 'ordinal', value });
  }

  const targets: Understanding['targets'] = [];
  for (const t of TARGET_CUES) {
    for (const hit of allMatches(n, t.pattern)) {
      const before = text.slice(Math.max(0, hit.m.index - 6), hit.m.index);
      const side = SIDE_BEFORE.exec(before)?.[1];
      const sideName = side ? (side.startsWith('右') || side.startsWith('r') ? 'right' : 'left') : null;
      targets.push({ text: rawText.slice(...shift(hit.span)), span: shift(hit.span), type: t.type, id: targetId(t.type, sideName) });
      break;
    }
  }

  const signsAsked = new Set<string>();
  for (const g of SIGN_GROUPS) if (g.pattern.test(text)) g.ids.forEach((id) => signsAsked.add(id));
  for (const s of deps.findSigns(rawText)) signsAsked.add(s.signId);

  const checklistId: ChecklistId | null = CHECKLIST_CUES.find((c) => c.pattern.test(text))?.id ?? null;
  const hasStructure = anatomy.some((a) => STRUCTURE_TYPES.has(a.type) || a.type === 'side');
  const explicitCount = references.filter((r) => r.type === 'explicit_id').length;
  const hasSubjectRef = references.length > 0 || descriptors.length > 0;

  let intent: Intent = 'unknown';
  let confidence = 0.5;
  for (const cue of INTENT_CUES) {
    if (!cue.pattern.test(text)) continue;
    if (cue.needs === 'target' && targets.length === 0) continue;
    if (cue.needs === 'subject' && !hasSubjectRef && anatomy.length === 0) continue;
    if (cue.needs === 'structure' && (!hasStructure || (hasSubjectRef && !/双肺|两肺|心脏|心影|lungs|heart/.test(text)))) continue;
    intent = cue.intent;
    confidence = 0.9;
    break;
  }
  // A checklist question needs a checklist id; "恶性吗?" on its own is still a checklist.
  if (intent === 'checklist' && !checklistId) intent = 'unknown';
  // "A1和A2的距离" is a distance even if a landmark word appears elsewhere.
  if (intent === 'relation_landmark' && explicitCount >= 2) intent = 'distance';
  // "where is the right hilum" asks for a location, not a relation.
  if (intent === 'relation_landmark' && /在哪|哪里|where/.test(text) && !/距离|多远|far|distance/.test(text)) intent = 'location';
  if (intent === 'unknown' && anatomy.length > 0 && /[?？吗呢]|\bis\b|\bare\b/.test(text)) { intent = 'location'; confidence = 0.4; }

  const asks = asksOf(text, intent);
  return {
    intent, intentConfidence: confidence, normalizedText: rawText.normalize('NFKC').trim(), anatomy, descriptors,
    references, signsAsked: [...signsAsked], targets, asks, checklistId: intent === 'checklist' ? checklistId : null,
  };
}

function targetId(type: TargetType, side: 'right' | 'left' | null): string | null {
  if (type === 'carina') return 'carina';
  if (!side) return null;
  const stem: Record<string, string> = { hilum: 'hilum', pleura: 'pleura', chest_wall: 'chest_wall', diaphragm: 'hemidiaphragm' };
  return stem[type] ? `${stem[type]}_${side}` : null;
}

function asksOf(text: string, intent: Intent): Understanding['asks'] {
  const asks = new Set<Understanding['asks'][number]>();
  if (/距离|多远|相距|distance|how far|apart/.test(text)) asks.add('distance');
  if (/间隙|最近|gap|nearest|closest/.test(text)) asks.add('gap');
  if (/相连|连接|相通|connect|attach|bridge/.test(text)) asks.add('connection');
  if (intent === 'size') asks.add('size');
  if (intent === 'location') asks.add('location');
  if (intent === 'cardiothoracic_ratio') asks.add('ratio');
  if (/几条|几个|多少个|how many|count/.test(text)) asks.add('count');
  if (/是否有|有没有|有无|is there|are there|any\b/.test(text)) asks.add('presence');
  return [...asks];
}
