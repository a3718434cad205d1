/**
 * NFKC + lower-case normalisation that remembers where each normalised UTF-16 unit came
 * from, so spans can be reported on the ORIGINAL text (api.md 1.6).
 */
export interface Normalized {
  text: string;
  /** Original [start, end) of a normalised [start, end). */
  span(start: number, end: number): [number, number];
}

export function normalizeWithMap(original: string): Normalized {
  let text = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of original) {
    const n = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) origin.push(i);
    text += n;
    i += ch.length;
  }
  origin.push(original.length);
  const endOf = (normEnd: number): number => {
    if (normEnd <= 0) return 0;
    const o = origin[normEnd - 1];
    // The end is just past the original character that produced the last normalised unit.
    return o + (original.codePointAt(o)! > 0xffff ? 2 : 1);
  };
  return { text, span: (s, e) => [origin[s] ?? original.length, e > s ? endOf(e) : origin[s] ?? original.length] };
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/** Turn language per api.md 1.6: CJK → zh, else Latin → en, else the session's. */
export function detectLanguage(text: string, fallback: 'zh' | 'en'): 'zh' | 'en' {
  const stripped = text.normalize('NFKC').replace(/\bA\d+\b/gi, ' ').replace(/\b(RUL|RML|RLL|LUL|LLL|CTR|CT|PA|AP|mm|cm)\b/gi, ' ');
  if (CJK.test(stripped)) return 'zh';
  if (/[a-z]/i.test(stripped)) return 'en';
  return fallback;
}
