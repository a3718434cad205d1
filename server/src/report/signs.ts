/** Sign wording for the report: ordered by ontology specificity, indeterminate kept indeterminate. */
import type { Evidence, Lang, Sign, SignAssessment } from '../contract';
import { formatLength } from '../geometry/units';
import { DESCRIPTOR_SIGNS, SIGN_GLOSS, cap, joinList } from './phrases';

/** Signs ordered by ontology specificity (descending), then by id for a stable order. */
export function orderSigns(signs: SignAssessment[], signById: ReadonlyMap<string, Sign>): SignAssessment[] {
  const spec = (s: SignAssessment) => signById.get(s.signId)?.specificity ?? 0;
  return [...signs].sort((a, b) => spec(b) - spec(a) || a.signId.localeCompare(b.signId));
}

/** The sign's name without its parenthesised gloss: "lobulated margin (lobulation)" → "lobulated margin". */
export function signName(signId: string, signById: ReadonlyMap<string, Sign>, lang: Lang): string {
  const s = signById.get(signId);
  const name = s ? s.name[lang] : signId.replace(/_/g, ' ');
  return name.replace(/\s*[(（][^)）]*[)）]\s*$/, '');
}

const num = (ev: Evidence[], name: string): number | null => {
  const e = ev.find((x) => x.name === name);
  return e && typeof e.value === 'number' ? e.value : null;
};

/** Counts and lengths that make a present sign concrete: "(2条,最长约3.2 mm)". */
function detail(s: SignAssessment, lang: Lang): string {
  const src = s.evidence.find((e) => e.spacingSource)?.spacingSource ?? 'none';
  const len = (mm: number) => (src === 'none' ? '' : formatLength(mm, src, lang));
  if (s.signId === 'margin_spiculated') {
    const n = num(s.evidence, 'spiculeCount');
    const max = num(s.evidence, 'spiculeLengthMaxMm');
    if (n === null) return '';
    const l = max !== null && src !== 'none' ? len(max) : '';
    return lang === 'zh'
      ? `(${n}条${l ? `,最长${l}` : ''})`
      : ` (${n} spicule${n === 1 ? '' : 's'}${l ? `, longest an estimated ${l}` : ''})`;
  }
  if (s.signId === 'margin_lobulated' || s.signId === 'notch_sign') {
    const n = num(s.evidence, 'notchCount');
    if (n === null || n === 0) return '';
    return lang === 'zh' ? `(${n}处切迹)` : ` (${n} notch${n === 1 ? '' : 'es'})`;
  }
  return '';
}

/** The phrase of one sign in one status. */
export function signPhrase(s: SignAssessment, signById: ReadonlyMap<string, Sign>, lang: Lang): string {
  const d = DESCRIPTOR_SIGNS[s.signId];
  if (d && s.status !== 'indeterminate') return d[s.status][lang];
  // English: the Chinese-school signs that English reports rarely name are explained when seen.
  const gloss =
    lang === 'en' && s.status === 'present' && (s.signId === 'notch_sign' || s.signId === 'vacuole_sign')
      ? ` (${SIGN_GLOSS[s.signId]})`
      : '';
  return signName(s.signId, signById, lang) + gloss + (s.status === 'present' ? detail(s, lang) : '');
}

export interface SignClause {
  status: SignAssessment['status'];
  signs: SignAssessment[];
  text: string;
}

/**
 * Up to three clauses for a lesion's signs — present, absent, indeterminate — each a sentence,
 * with the signs in specificity order.
 */
export function signClauses(signs: SignAssessment[], signById: ReadonlyMap<string, Sign>, lang: Lang): SignClause[] {
  const ordered = orderSigns(signs, signById);
  const out: SignClause[] = [];
  const by = (st: SignAssessment['status']) => ordered.filter((s) => s.status === st);
  const present = by('present');
  if (present.length) {
    const seen = present.filter((s) => !DESCRIPTOR_SIGNS[s.signId]).map((s) => signPhrase(s, signById, lang));
    const desc = present.filter((s) => DESCRIPTOR_SIGNS[s.signId]).map((s) => signPhrase(s, signById, lang));
    const text =
      lang === 'zh'
        ? [seen.length ? `可见${joinList(seen, lang)}` : '', ...desc].filter(Boolean).join(',') + '。'
        : cap(joinList([...seen, ...desc], lang)) + (present.length > 1 ? ' are' : ' is') + ' seen.';
    out.push({ status: 'present', signs: present, text });
  }
  const absent = by('absent');
  if (absent.length) {
    const notSeen = absent.filter((s) => !DESCRIPTOR_SIGNS[s.signId]).map((s) => signPhrase(s, signById, lang));
    const desc = absent.filter((s) => DESCRIPTOR_SIGNS[s.signId]).map((s) => signPhrase(s, signById, lang));
    const text =
      lang === 'zh'
        ? [notSeen.length ? `未见${notSeen.join('、')}` : '', ...desc].filter(Boolean).join(',') + '。'
        : [
            notSeen.length ? `No ${joinList(notSeen, lang, { zh: '', en: ' or ' })} is seen` : '',
            desc.length ? `${notSeen.length ? 'the lesion shows' : 'The lesion shows'} ${joinList(desc, lang)}` : '',
          ]
            .filter(Boolean)
            .join('; ') + '.';
    out.push({ status: 'absent', signs: absent, text });
  }
  const ind = by('indeterminate');
  if (ind.length) {
    const names = ind.map((s) => signName(s.signId, signById, lang));
    const text =
      lang === 'zh'
        ? `${names.join('、')}在本片上无法可靠判断(不确定)。`
        : `${cap(joinList(names, lang))} cannot be assessed reliably on this radiograph (indeterminate).`;
    out.push({ status: 'indeterminate', signs: ind, text });
  }
  return out;
}

/** The evidence behind a set of signs, one entry per name (first wins). */
export function signEvidence(signs: SignAssessment[]): Evidence[] {
  const out = new Map<string, Evidence>();
  for (const s of signs) for (const e of s.evidence) if (!out.has(e.name)) out.set(e.name, e);
  return [...out.values()];
}
