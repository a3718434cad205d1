/**
 * Text normalisation for matching: NFKC + case-folding, with a map back to the original
 * UTF-16 offsets (NFKC and lower-casing can change lengths: "ﬁ" → "fi", "Ⅻ" → "xii", "İ" → "i̇").
 */

export interface NormalizedText {
  /** NFKC + lower-cased text. */
  text: string;
  /** For each UTF-16 index of `text` (and one past its end), the original index where its cluster starts. */
  startOf: number[];
  /** For each UTF-16 index of `text`, the original index just past the end of its cluster. */
  endOf: number[];
}

const COMBINING = /\p{M}/u;

/**
 * A term or query folded by the same rule as matched text (normalizeWithOffsets), with runs of
 * white space made one space: the one normaliser of the ontology and the dialogue.
 */
export function foldText(s: string): string {
  return normalizeWithOffsets(s).text.replace(/ {2,}/g, ' ');
}

/**
 * Normalises `original` cluster by cluster (a base code point and its combining marks), so every
 * normalised code unit knows the original span it came from.
 */
export function normalizeWithOffsets(original: string): NormalizedText {
  let text = '';
  const startOf: number[] = [];
  const endOf: number[] = [];
  let i = 0;
  while (i < original.length) {
    const start = i;
    i += codePointLength(original, i);
    while (i < original.length && COMBINING.test(String.fromCodePoint(original.codePointAt(i)!))) {
      i += codePointLength(original, i);
    }
    let piece = original.slice(start, i).normalize('NFKC').toLowerCase();
    if (/^\s+$/u.test(piece)) piece = ' ';
    for (let k = 0; k < piece.length; k++) {
      startOf.push(start);
      endOf.push(i);
    }
    text += piece;
  }
  startOf.push(original.length);
  return { text, startOf, endOf };
}

/** Maps a `[start, end)` span of the normalised text to the original text. */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): [number, number] {
  const s = n.startOf[start] ?? n.startOf[n.startOf.length - 1]!;
  const e = end > start ? n.endOf[end - 1]! : s;
  return [s, e];
}

function codePointLength(s: string, i: number): number {
  const c = s.codePointAt(i)!;
  return c > 0xffff ? 2 : 1;
}

/** True for characters that form Latin words (word boundaries are checked against these). */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch) && !isCjk(ch);
}

/** Han, kana and Hangul: scripts written without spaces, matched without word boundaries. */
export function isCjk(ch: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(ch);
}
