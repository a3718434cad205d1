/**
 * Longest-match-first dictionary matcher over NFKC + case-folded text. Latin terms match whole
 * words (so "RML" never matches inside a word) and tolerate one typo per word of 5+ letters;
 * CJK terms match anywhere. Spans come back in UTF-16 units of the original text.
 */
import { foldText, isCjk, isWordChar, normalizeWithOffsets, toOriginalSpan, type NormalizedText } from './normalize';

export interface TermSpec<T> {
  /** The term as written in the data. */
  term: string;
  /** What a match yields; null for stop terms (they consume text and yield nothing). */
  payload: T | null;
}

export interface TermMatch<T> {
  payload: T;
  /** Original text of the match and its span in the original string. */
  text: string;
  span: [number, number];
  /** The dictionary term that matched, as written in the data. */
  matchedTerm: string;
  /** Number of words matched with one edit instead of exactly. */
  typos: number;
}

interface Compiled<T> {
  folded: string;
  tokens: string[] | null; // Latin-only terms: their words
  spec: TermSpec<T>;
  order: number;
}

interface Candidate<T> {
  end: number;
  typos: number;
  term: Compiled<T>;
}
interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * Words never matched with a typo when they stand alone: their one-edit neighbours are common words
 * (right → night, lower → power).
 */
const NO_FUZZY_ALONE = new Set([
  'right',
  'lower',
  'upper',
  'inner',
  'outer',
  'heart',
  'lungs',
  'spine',
  'bases',
  'basal',
  'hilar',
  'middle',
  'apical',
  'costal',
  'pleural',
]);
const LATIN_TERM = /^[\p{L}\p{N}]+(?:[ -][\p{L}\p{N}]+)*$/u;
const TOKEN_GAP = /^[\s\-‐‑–_]+$/u;

export class TermMatcher<T> {
  private readonly latin: Compiled<T>[] = [];
  private readonly byFirstChar = new Map<string, Compiled<T>[]>();
  readonly terms: ReadonlyArray<Compiled<T>>;

  constructor(
    specs: TermSpec<T>[],
    private readonly minFuzzyLength = 5,
  ) {
    const all: Compiled<T>[] = [];
    specs.forEach((spec, order) => {
      const folded = foldText(spec.term).trim();
      if (!folded) return;
      const latinOnly = LATIN_TERM.test(folded) && ![...folded].some(isCjk);
      const c: Compiled<T> = { folded, tokens: latinOnly ? folded.split(/[ -]/) : null, spec, order };
      all.push(c);
      if (c.tokens) this.latin.push(c);
      else {
        const k = folded[0]!;
        const list = this.byFirstChar.get(k) ?? [];
        list.push(c);
        this.byFirstChar.set(k, list);
      }
    });
    for (const list of this.byFirstChar.values())
      list.sort((a, b) => b.folded.length - a.folded.length || a.order - b.order);
    this.terms = all;
  }

  /** Non-overlapping matches, scanning left to right and taking the longest match at each position. */
  match(original: string): TermMatch<T>[] {
    const n = normalizeWithOffsets(original);
    const tokens = tokenize(n.text);
    const tokenAt = new Map<number, number>();
    tokens.forEach((t, k) => tokenAt.set(t.start, k));
    const out: TermMatch<T>[] = [];
    let i = 0;
    while (i < n.text.length) {
      const cands: Candidate<T>[] = this.stringCandidates(n.text, i);
      const k = tokenAt.get(i);
      if (k !== undefined) cands.push(...this.latinCandidates(n.text, tokens, k));
      const best = pickBest(cands);
      if (best) {
        if (best.term.spec.payload !== null) out.push(this.toMatch(original, n, i, best));
        i = best.end;
      } else {
        i = k !== undefined ? tokens[k]!.end : i + 1;
      }
    }
    return out;
  }

  private toMatch(original: string, n: NormalizedText, start: number, c: Candidate<T>): TermMatch<T> {
    const span = toOriginalSpan(n, start, c.end);
    return {
      payload: c.term.spec.payload as T,
      text: original.slice(span[0], span[1]),
      span,
      matchedTerm: c.term.spec.term,
      typos: c.typos,
    };
  }

  private stringCandidates(text: string, i: number): Candidate<T>[] {
    const list = this.byFirstChar.get(text[i]!);
    if (!list) return [];
    const out: Candidate<T>[] = [];
    for (const c of list) {
      if (!text.startsWith(c.folded, i)) continue;
      const end = i + c.folded.length;
      if (isWordChar(c.folded[0]) && isWordChar(text[i - 1])) continue;
      if (isWordChar(c.folded[c.folded.length - 1]) && isWordChar(text[end])) continue;
      out.push({ end, typos: 0, term: c });
    }
    return out;
  }

  private latinCandidates(text: string, tokens: Token[], k: number): Candidate<T>[] {
    const out: Candidate<T>[] = [];
    for (const c of this.latin) {
      const words = c.tokens!;
      if (k + words.length > tokens.length) continue;
      let typos = 0;
      let ok = true;
      for (let w = 0; w < words.length && ok; w++) {
        const tok = tokens[k + w]!;
        if (w > 0 && !TOKEN_GAP.test(text.slice(tokens[k + w - 1]!.end, tok.start))) {
          ok = false;
          break;
        }
        if (tok.text === words[w]) continue;
        if (
          words[w]!.length >= this.minFuzzyLength &&
          (words.length > 1 || !NO_FUZZY_ALONE.has(words[w]!)) &&
          withinOneEdit(tok.text, words[w]!)
        )
          typos++;
        else ok = false;
      }
      if (!ok) continue;
      if (typos > 0 && typos === words.length && words.length > 1) continue; // at least one word exact
      out.push({ end: tokens[k + words.length - 1]!.end, typos, term: c });
    }
    return out;
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isWordChar(text[i])) i++;
    out.push({ text: text.slice(start, i), start, end: i });
  }
  return out;
}

function pickBest<T>(cands: Candidate<T>[]): Candidate<T> | null {
  let best: Candidate<T> | null = null;
  for (const c of cands) {
    if (
      !best ||
      c.end > best.end ||
      (c.end === best.end && (c.typos < best.typos || (c.typos === best.typos && c.term.order < best.term.order)))
    )
      best = c;
  }
  return best;
}

/** Optimal-string-alignment distance ≤ 1 (one insertion, deletion, substitution or adjacent transposition). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length,
    lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1); // deletion / insertion
}
