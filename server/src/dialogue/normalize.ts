/**
 * NFKC + lower-case normalisation that remembers where each normalised UTF-16 unit came
 * from, so spans can be reported on the ORIGINAL text (api.md 1.6). `correctTypos` then
 * rewrites misspelt cue words ("distnace", "calcificaiton", "marign", 边源) to their
 * dictionary form, keeping the map: a rewritten word maps back to the whole original word.
 */
import { withinOneEdit } from '../ontology/termMatcher';

export interface Normalized {
  text: string;
  /** Original [start, end) of a normalised [start, end). */
  span(start: number, end: number): [number, number];
  /** Normalised indices [start, end) covered by an original span (for masking). */
  inverse(start: number, end: number): [number, number];
}

function build(text: string, starts: number[], ends: number[], originalLength: number): Normalized {
  return {
    text,
    span: (s, e) => {
      if (s >= text.length) return [originalLength, originalLength];
      const a = starts[s]!;
      const b = e > s ? ends[e - 1]! : a;
      return [a, Math.max(a, b)];
    },
    inverse: (os, oe) => {
      let s = -1;
      let e = -1;
      for (let i = 0; i < text.length; i++) {
        if (starts[i]! >= os && ends[i]! <= oe) { if (s < 0) s = i; e = i + 1; }
      }
      return s < 0 ? [0, 0] : [s, e];
    },
  };
}

interface Mapped { text: string; starts: number[]; ends: number[]; length: number }

function mapNormalize(original: string): Mapped {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of original) {
    const n = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) { starts.push(i); ends.push(i + ch.length); }
    text += n;
    i += ch.length;
  }
  return { text, starts, ends, length: original.length };
}

export function normalizeWithMap(original: string): Normalized {
  const m = mapNormalize(original);
  return build(m.text, m.starts, m.ends, m.length);
}

/**
 * Cue words whose one-edit misspellings are corrected (Latin words of 5+ letters). Only
 * words that drive intents, descriptors or references; ordinary English words one edit
 * away from one of these are protected below.
 */
const VOCAB = [
  'distance', 'distant', 'calcification', 'calcifications', 'calcified', 'margin', 'margins', 'border', 'borders',
  'spiculated', 'spiculation', 'spicules', 'lobulated', 'lobulation', 'cavity', 'cavitation', 'cavitary', 'density',
  'diameter', 'measure', 'measurement', 'nodule', 'nodules', 'lesion', 'lesions', 'opacity', 'opacities', 'pleura',
  'pleural', 'hilum', 'hilar', 'compare', 'comparison', 'report', 'cardiothoracic', 'pneumothorax', 'effusion',
  'cardiomegaly', 'describe', 'description', 'location', 'located', 'abnormal', 'abnormality', 'abnormalities',
  'regular', 'irregular', 'smooth', 'internal', 'inside', 'connected', 'connection', 'attached', 'bronchogram',
  'homogeneous', 'heterogeneous', 'largest', 'smallest', 'bigger', 'biggest', 'smaller', 'larger', 'second',
  'third', 'anything', 'findings', 'finding', 'structures', 'highlight', 'outline', 'summary', 'summarize',
  'summarise', 'between', 'checklist', 'malignant', 'malignancy', 'benign', 'cancer', 'carcinoma', 'vacuole',
  'bubble', 'diaphragm', 'carina', 'contour', 'rounded', 'defined', 'typical', 'features', 'criteria', 'suspicious',
  'where', 'which', 'cardiac', 'ratio', 'heart', 'lungs', 'mediastinum', 'trachea', 'clavicle', 'enlarged',
];
const VOCAB_SET = new Set(VOCAB);
/** Real words one edit from a cue word: never "corrected". */
const PROTECTED = new Set([
  'order', 'there', 'where', 'these', 'those', 'whose', 'while', 'white', 'whale', 'whine', 'witch', 'wench',
  'hearth', 'heard', 'hears', 'heartily', 'ration', 'rations', 'radio', 'patio', 'lung', 'lunge', 'lunges',
  'inside', 'insider', 'beside', 'cancel', 'cancers', 'dancer', 'canter', 'larder', 'ladder', 'bigger', 'finger',
  'finding', 'findings', 'features', 'creature', 'secondly', 'seconds', 'thirds', 'report', 'repeat', 'measures',
  'treasure', 'pleasure', 'outlines', 'rounded', 'bounded', 'founded', 'sounded', 'defined', 'refined', 'carinas',
  'smoothly', 'reported', 'compared', 'bubbles', 'effusions', 'nodular', 'lesional', 'margins', 'borders',
]);
/** Common Chinese input-method slips (same length, so spans are unaffected). */
const ZH_TYPOS: [RegExp, string][] = [
  [/边源|边延|边园/g, '边缘'], [/钙花|钙华/g, '钙化'], [/距里|巨离/g, '距离'], [/心胸必|心胸毕/g, '心胸比'],
  [/空动/g, '空洞'], [/结接/g, '结节'], [/多园/g, '多远'], [/分页征/g, '分叶征'], [/毛次/g, '毛刺'], [/肺们/g, '肺门'],
];

/** Short cue words (under 5 letters, too short for edit distance) and their common slips. */
const SHORT_TYPOS: Record<string, string> = {
  wher: 'where', whre: 'where', sho: 'show', shwo: 'show', hsow: 'show', szie: 'size', siez: 'size', sise: 'size',
  hwo: 'how', waht: 'what', wat: 'what', whats: "what's", lsit: 'list',
};

/** Same-length Chinese input-method slips fixed in any text (the anatomy lexicon sees them too). */
export function fixZhTypos(text: string): string {
  let out = text;
  for (const [re, to] of ZH_TYPOS) out = out.replace(re, to);
  return out;
}

/** The corrected form of one Latin word, or null when it needs none. */
function correctWord(w: string): string | null {
  if (SHORT_TYPOS[w] && SHORT_TYPOS[w] !== w) return SHORT_TYPOS[w]!;
  if (w.length < 5 || VOCAB_SET.has(w) || PROTECTED.has(w)) return null;
  for (const v of VOCAB) if (Math.abs(v.length - w.length) <= 1 && withinOneEdit(w, v)) return v;
  return null;
}

/** Normalises and corrects misspelt cue words; spans still map to the original text. */
export function normalizeForCues(original: string): Normalized {
  const m = mapNormalize(original);
  let text = m.text;
  for (const [re, to] of ZH_TYPOS) text = text.replace(re, to);
  const starts: number[] = [];
  const ends: number[] = [];
  let out = '';
  const word = /[a-z]+/g;
  let last = 0;
  let hit: RegExpExecArray | null;
  while ((hit = word.exec(text))) {
    const fixed = correctWord(hit[0]);
    if (!fixed) continue;
    for (let i = last; i < hit.index; i++) { starts.push(m.starts[i]!); ends.push(m.ends[i]!); }
    out += text.slice(last, hit.index);
    const s = m.starts[hit.index]!;
    const e = m.ends[hit.index + hit[0].length - 1]!;
    for (let k = 0; k < fixed.length; k++) { starts.push(s); ends.push(e); }
    out += fixed;
    last = hit.index + hit[0].length;
  }
  for (let i = last; i < text.length; i++) { starts.push(m.starts[i]!); ends.push(m.ends[i]!); }
  out += text.slice(last);
  return build(out, starts, ends, m.length);
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/** Turn language per api.md 1.6: CJK → zh, else Latin → en, else the session's. */
export function detectLanguage(text: string, fallback: 'zh' | 'en'): 'zh' | 'en' {
  const stripped = text.normalize('NFKC').replace(/\bA\d+\b/gi, ' ').replace(/\b(RUL|RML|RLL|LUL|LLL|CTR|CT|PA|AP|mm|cm)\b/gi, ' ');
  if (CJK.test(stripped)) return 'zh';
  if (/[a-z]/i.test(stripped)) return 'en';
  return fallback;
}
