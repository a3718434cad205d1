/**
 * A sentence linter for clinical text (issue 13): program tokens (camelCase, snake_case, enum
 * tokens such as "band middle"), doubled words ("斑片状片状", "the the"), decimal numbers with
 * neither a unit nor a named quantity, and leftovers such as "undefined" or "NaN".
 */

const QUANTITY =
  /(比|置信度|confidence|score|ratio|index|指数|锐利度|sharpness|roughness|粗糙度|系数|\bCV\b|阈值|threshold|工作点|operating point|比例|fraction|borderline|临界范围|小于|大于|below|above|range|范围|v\d|version)\s*约?\s*[:(（]?\s*$/i;
const UNIT_AFTER = /^\s*(mm²|cm²|mm|cm|px²|px|%|°|×|–|-\s*\d|点|o'clock)/;
const LOBE_CODES = /\b(RUL|RML|RLL|LUL|LLL)\b/;
const ENUM_TOKENS =
  /\b(band (inner|middle|outer)|zone (upper|middle|lower)|shape (round|oval|irregular|linear|streaky)|side (right|left)|lobe (RUL|RML|RLL|LUL|LLL|lingula)|status (present|absent|indeterminate|met|not_met)|border (well|ill)_defined)\b/i;
const LEFTOVERS = /\b(undefined|null|NaN|Infinity|\[object Object\])\b/;

export function lintSentence(text: string, lang: 'zh' | 'en'): string[] {
  const out: string[] = [];
  const t = text.replace(/https?:\/\/\S+/g, '').replace(/\/api\/v1\/\S+/g, '');
  const camel = /\b[a-z]+[A-Z][A-Za-z]*\b/.exec(t);
  if (camel) out.push(`program token "${camel[0]}" in: ${text}`);
  const snake = /\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b/.exec(t);
  if (snake) out.push(`program token "${snake[0]}" in: ${text}`);
  const en = ENUM_TOKENS.exec(t);
  if (en) out.push(`enum token "${en[0]}" in: ${text}`);
  if (lang === 'zh' && LOBE_CODES.test(t))
    out.push(`lobe code "${LOBE_CODES.exec(t)![0]}" in a Chinese sentence: ${text}`);
  const left = LEFTOVERS.exec(t);
  if (left) out.push(`leftover "${left[0]}" in: ${text}`);
  const dz = /([\u4e00-\u9fff]{2,4})\1/.exec(t);
  if (dz) out.push(`doubled words "${dz[0]}" in: ${text}`);
  const de = /\b([a-z]{3,})\s+\1\b/i.exec(t);
  if (de) out.push(`doubled words "${de[0]}" in: ${text}`);
  if (/约[^,。;,;]{0,3}约/.test(t) || /\d\s*(cm|mm)\s*约?\s*\d+(\.\d+)?\s*(cm|mm)/.test(t))
    out.push(`two sizes side by side in: ${text}`);
  for (const m of t.matchAll(/(?<![\d.×])\d+\.\d+(?![\d.])/g)) {
    const before = t.slice(Math.max(0, m.index! - 24), m.index!);
    const afterText = t.slice(m.index! + m[0].length, m.index! + m[0].length + 8);
    if (UNIT_AFTER.test(afterText) || QUANTITY.test(before) || /[×–]\s*$/.test(before)) continue;
    out.push(`number "${m[0]}" without a unit or a named quantity in: ${text}`);
  }
  return out;
}

/** The first size expression of a sentence, normalised: "1.9 × 1.5 cm", "2.1 cm". */
export function sizeExpression(text: string): string | null {
  const m = /(\d+(?:\.\d+)?)(?:\s*×\s*(\d+(?:\.\d+)?))?\s*(cm|mm|px)(?!²)/.exec(text);
  if (!m) return null;
  return m[2] ? `${m[1]} × ${m[2]} ${m[3]}` : `${m[1]} ${m[3]}`;
}
