/**
 * NFKC + lower-case normalisation (the ontology's, ontology/normalize.ts) that remembers where each
 * normalised UTF-16 unit came from, so spans can be reported on the ORIGINAL text (api.md 1.6). `correctTypos` then
 * rewrites misspelt cue words ("distnace", "calcificaiton", "marign", 边源) to their
 * dictionary form, keeping the map: a rewritten word maps back to the whole original word.
 */
import typoData from '../../../ontology/dialogue/typos.json';
import { normalizeWithOffsets } from '../ontology/normalize';
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
        if (starts[i]! >= os && ends[i]! <= oe) {
          if (s < 0) s = i;
          e = i + 1;
        }
      }
      return s < 0 ? [0, 0] : [s, e];
    },
  };
}

interface Mapped {
  text: string;
  starts: number[];
  ends: number[];
  length: number;
}

/**
 * The base layer is the ontology's normaliser (NFKC + lower case per character cluster, with
 * offsets back to the original), so the lexicon and the dialogue read the same text; the typo layer
 * below works on top of it.
 */
function mapNormalize(original: string): Mapped {
  const n = normalizeWithOffsets(original);
  return {
    text: n.text,
    starts: n.startOf.slice(0, n.text.length),
    ends: n.endOf.slice(0, n.text.length),
    length: original.length,
  };
}

export function normalizeWithMap(original: string): Normalized {
  const m = mapNormalize(original);
  return build(m.text, m.starts, m.ends, m.length);
}

interface TypoData {
  zh: {
    homophones: { pinyin: string; chars: string }[];
    domainWords: string[];
    fixed: { right: string; wrong: string[] }[];
  };
  en: { vocab: string[]; protected: string[]; short: Record<string, string>; segmentWords: string[] };
}
const TYPOS = typoData as TypoData;

/**
 * Cue words whose one-edit misspellings are corrected (Latin words of 5+ letters), real words one
 * edit from one of them that are never "corrected", and short slips and abbreviations
 * ("dist", "pls", "wher"): ontology/dialogue/typos.json.
 */
const VOCAB = TYPOS.en.vocab;
const VOCAB_SET = new Set(VOCAB);
const PROTECTED = new Set(TYPOS.en.protected);
const SHORT_TYPOS: Record<string, string> = TYPOS.en.short;

/**
 * Chinese homophone slips (钙话 → 钙化, 毛次 → 毛刺, 肋隔角 → 肋膈角): every one-character
 * substitution of a domain word by a character of its pinyin group, plus the fixed slips. All
 * are the same length as the word, so spans are unaffected. A variant that is itself a domain
 * word is left alone.
 */
export function zhVariants(data: TypoData['zh'] = TYPOS.zh): Map<string, string> {
  const groupOf = new Map<string, Set<string>>();
  for (const g of data.homophones) {
    for (const c of g.chars) {
      const set = groupOf.get(c) ?? new Set<string>();
      for (const d of g.chars) if (d !== c) set.add(d);
      groupOf.set(c, set);
    }
  }
  const words = new Set(data.domainWords);
  const out = new Map<string, string>();
  for (const w of data.domainWords) {
    const chars = [...w];
    chars.forEach((c, i) => {
      for (const d of groupOf.get(c) ?? []) {
        const v = [...chars.slice(0, i), d, ...chars.slice(i + 1)].join('');
        if (!words.has(v) && !out.has(v)) out.set(v, w);
      }
    });
  }
  for (const f of data.fixed) for (const v of f.wrong) if (v.length === f.right.length) out.set(v, f.right);
  return out;
}
const ZH_VARIANTS = zhVariants();
const ZH_RE = new RegExp([...ZH_VARIANTS.keys()].sort((a, b) => b.length - a.length).join('|'), 'g');

/** Same-length Chinese input-method slips fixed in any text (the anatomy lexicon sees them too). */
export function fixZhTypos(text: string): string {
  return text.replace(ZH_RE, (m) => ZH_VARIANTS.get(m) ?? m);
}

/** The corrected form of one Latin word, or null when it needs none. */
function correctWord(w: string): string | null {
  if (SHORT_TYPOS[w] && SHORT_TYPOS[w] !== w) return SHORT_TYPOS[w]!;
  if (w.length < 5 || VOCAB_SET.has(w) || PROTECTED.has(w)) return null;
  for (const v of VOCAB) if (Math.abs(v.length - w.length) <= 1 && withinOneEdit(w, v)) return v;
  return null;
}

const SEGMENT = new Set(TYPOS.en.segmentWords);
/** Shortest tokens that are split when run together ("whereisa" + "1"). */
const MIN_RUN_TOGETHER = 7;

/**
 * "whereisa1" → "where is a1": splits a run-together token into known words (fewest pieces);
 * a final "a" is allowed only before a digit (an anchor id). Null when no split exists.
 */
export function segmentRunTogether(w: string, beforeDigit: boolean): string | null {
  if (w.length < MIN_RUN_TOGETHER || VOCAB_SET.has(w) || PROTECTED.has(w)) return null;
  const best: (string[] | null)[] = [[]];
  for (let i = 1; i <= w.length; i++) {
    best[i] = null;
    for (let j = Math.max(0, i - 14); j < i; j++) {
      const prev = best[j];
      const piece = w.slice(j, i);
      const ok = SEGMENT.has(piece) || VOCAB_SET.has(piece) || (piece === 'a' && i === w.length && beforeDigit);
      if (prev && ok && (!best[i] || prev.length + 1 < best[i]!.length)) best[i] = [...prev, piece];
    }
  }
  const parts = best[w.length];
  // Two known words run together are often one real word ("anywhere"): demand three pieces or an anchor id.
  return parts && (parts.length >= 3 || (parts.length === 2 && parts[1] === 'a')) ? parts.join(' ') : null;
}

/** Normalises and corrects misspelt cue words; spans still map to the original text. */
export function normalizeForCues(original: string): Normalized {
  const m = mapNormalize(original);
  let text = m.text;
  text = fixZhTypos(text);
  const starts: number[] = [];
  const ends: number[] = [];
  let out = '';
  const word = /[a-z]+/g;
  let last = 0;
  let hit: RegExpExecArray | null;
  while ((hit = word.exec(text))) {
    const fixed = correctWord(hit[0]) ?? segmentRunTogether(hit[0], /\d/.test(text[hit.index + hit[0].length] ?? ''));
    if (!fixed) continue;
    for (let i = last; i < hit.index; i++) {
      starts.push(m.starts[i]!);
      ends.push(m.ends[i]!);
    }
    out += text.slice(last, hit.index);
    const s = m.starts[hit.index]!;
    const e = m.ends[hit.index + hit[0].length - 1]!;
    for (let k = 0; k < fixed.length; k++) {
      starts.push(s);
      ends.push(e);
    }
    out += fixed;
    last = hit.index + hit[0].length;
  }
  for (let i = last; i < text.length; i++) {
    starts.push(m.starts[i]!);
    ends.push(m.ends[i]!);
  }
  out += text.slice(last);
  return build(out, starts, ends, m.length);
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/** Turn language per api.md 1.6: CJK → zh, else Latin → en, else the session's. */
export function detectLanguage(text: string, fallback: 'zh' | 'en'): 'zh' | 'en' {
  const stripped = text
    .normalize('NFKC')
    .replace(/\bA\d+\b/gi, ' ')
    .replace(/\b(RUL|RML|RLL|LUL|LLL|CTR|CT|PA|AP|mm|cm)\b/gi, ' ');
  if (CJK.test(stripped)) return 'zh';
  if (/[a-z]/i.test(stripped)) return 'en';
  return fallback;
}
