import type { Anchor, Intent, Lang, ResolvedAnchor, Understanding } from '../contract';
import { lineageRoot } from '../sessions/anchors';
import { tr as t } from './context';
import { OTHER_CUE } from './cues';

/** Intents that never need an anchor (api.md 10.5 rule 7). */
const NO_ANCHOR: Intent[] = ['help', 'unknown', 'show_anatomy', 'cardiothoracic_ratio', 'report'];
/** Intents with two anchors: subject + object. */
const TWO_ANCHORS: Intent[] = ['distance', 'compare'];
/** Intents about an anchor when one is pointed at, else about the whole film (api.md 10.7). */
const FILM_LEVEL: Intent[] = ['recommendation', 'explain', 'compare_prior'];
/**
 * best_match margin (api.md 10.5 rule 6): among several anchors that satisfy everything the
 * question says, one whose lobe probability for the named lobe beats every other by this much
 * is taken, with the others named in the explanation.
 */
export const BEST_MATCH_LOBE_MARGIN = 0.25;

export interface ResolveInput {
  understanding: Understanding;
  anchors: Anchor[];
  focusAnchorId: string | null;
  /** Anchor chosen by the request's `focus` (clicked anchor or point). */
  requestFocus: { anchorId: string; reason: 'focus_anchor' | 'clicked_point' } | null;
  /** The anchor ids of the most recent list shown (overview), for ordinals. */
  lastListed: string[];
  lang: Lang;
  imageLevelChecklist: boolean;
}

export interface FindingShape {
  shape: string;
  border: string;
  type: string;
  diameter: number;
}

const isRoot = (a: Anchor): boolean => a.kind === 'finding' || a.kind === 'user';
type Mention = Understanding['anatomy'][number];

/**
 * Anatomy that locates a finding (lobe, zone, band, side, one lung, retrocardiac) — not relation
 * targets or structures.
 */
export function locatingAnatomy(u: Understanding): Mention[] {
  // "和左边同样位置比较": in a side-to-side comparison the side named is the mirror side, not a selector.
  const mirror = u.intent === 'compare_side';
  return u.anatomy
    .filter((m) => !mirror || !(m.type === 'side' || m.id === 'lung_right' || m.id === 'lung_left'))
    .filter(
      (m) =>
        ['lobe', 'zone', 'band', 'side'].includes(m.type) ||
        (m.type === 'structure' && (m.id === 'lung_right' || m.id === 'lung_left')) ||
        (m.type === 'region' && m.id === 'retrocardiac'),
    )
    .filter((m) => !isPredicate(u, m));
}

/**
 * "这个结节在右肺中叶吗? / Is it in the right middle lobe?" asks about the anatomy of the
 * anchor already pointed at; the anatomy does not select. Detected as: a deictic or explicit
 * reference before the mention, and 在/位于/in right before it with no noun after it.
 */
function isPredicate(u: Understanding, m: Mention): boolean {
  const text = u.normalizedText.toLowerCase();
  const ref = u.references.find(
    (r) => (r.type === 'deictic' || r.type === 'explicit_id') && r.span && r.span[1] <= m.span[0],
  );
  const before = text.slice(Math.max(0, m.span[0] - 8), m.span[0]);
  const after = text.slice(m.span[1], m.span[1] + 6);
  // "是不是在心影后面? / 在右上叶吗?": Chinese drops the pronoun; a question that opens with 在/位于 asks about the focus.
  if (!ref)
    return (
      u.intent === 'location' &&
      /^\s*(是不是|是否|是)?\s*(在|位于|属于)\s*$/.test(text.slice(0, m.span[0])) &&
      !/^\s*(的|那|这|有)/.test(after)
    );
  const zh = /(在|位于|属于)\s*$/.test(before) && !/^\s*(的|那|这)/.test(after);
  const en =
    /^(is|does|did) (it|this|that|(this|that|the) \w+|a\d+) (lie |sit |located |situated )?(in|within) (the )?$/.test(
      text.slice(0, m.span[0]),
    ) && /^\s*(\?|$)/.test(after);
  return zh || en;
}

type Loc = NonNullable<Anchor['location']>;
/** zone_right_upper / zone_upper (and band_…): the level, and the side when named. */
function zoneOrBandFits(loc: Loc, m: Mention): boolean {
  const parts = m.id.split('_');
  const [side, level] = parts.length === 3 ? [parts[1], parts[2]] : [null, parts[1]];
  const value = m.type === 'zone' ? loc.zone : loc.band;
  return value === level && (!side || loc.side === side);
}

/** Does a location lie where one anatomy mention says? LUL includes the lingula. */
const MENTION_FITS: Partial<Record<Mention['type'], (loc: Loc, m: Mention) => boolean>> = {
  lobe: (loc, m) => (m.id === 'LUL' ? loc.lobe === 'LUL' || loc.lobe === 'lingula' : loc.lobe === m.id),
  zone: zoneOrBandFits,
  band: zoneOrBandFits,
  side: (loc, m) => m.id === 'both' || loc.side === m.id,
  structure: (loc, m) => loc.side === (m.id === 'lung_right' ? 'right' : 'left'),
  region: (loc) => loc.retrocardiac,
};

/** Does a root anchor lie where the named anatomy says (lobe, zone, band, side)? */
function matchesAnatomy(a: Anchor, mentions: Mention[]): boolean {
  const loc = a.location;
  if (!mentions.length) return true;
  return !!loc && mentions.every((m) => MENTION_FITS[m.type]?.(loc, m) ?? true);
}

/** Does a root match a shape / border / finding-type descriptor? User regions have none of these. */
function matchesDescriptor(
  a: Anchor,
  d: Understanding['descriptors'][number],
  shapeOf: (a: Anchor) => FindingShape | null,
): boolean {
  const f = shapeOf(a);
  if (!f) return false;
  // "opacity / 阴影" is the general word: any finding is an opacity; nodule and mass are specific.
  if (d.type === 'findingType') return d.value === 'opacity' || f.type === d.value;
  if (d.type === 'shape') return f.shape === d.value;
  if (d.type === 'border') return f.border === d.value;
  return true;
}

const diameterOf = (a: Anchor, shapeOf: (a: Anchor) => FindingShape | null): number =>
  shapeOf(a)?.diameter ?? a.measurements.find((m) => m.name === 'diameter')?.valuePx ?? 0;

/**
 * Anchor resolution, rules 1–7 of api.md 10.5. Returns the subject (and object for
 * distance/compare) with the reason and an explanation in the turn language.
 */
export function resolveAnchors(
  input: ResolveInput,
  findingShape: (a: Anchor) => FindingShape | null,
): ResolvedAnchor[] {
  const { understanding: u, anchors, lang } = input;
  const intent = u.intent;
  const roots = anchors.filter(isRoot);
  const findings = anchors.filter((a) => a.kind === 'finding');
  const byId = new Map(anchors.map((a) => [a.id, a]));
  const one = (
    anchorId: string | null,
    reason: ResolvedAnchor['reason'],
    explanation: string,
    candidates: string[] = [],
    role: ResolvedAnchor['role'] = 'subject',
  ): ResolvedAnchor => ({ anchorId, role, reason, explanation, candidates });
  const focus =
    input.focusAnchorId && byId.has(input.focusAnchorId)
      ? (lineageRoot(anchors, input.focusAnchorId)?.id ?? null)
      : null;
  const need: 1 | 2 = TWO_ANCHORS.includes(intent) ? 2 : 1;
  const role = (i: number): ResolvedAnchor['role'] => (i === 0 ? 'subject' : 'object');
  const missing = (explanation: string, r: ResolvedAnchor['role'] = 'subject'): ResolvedAnchor =>
    one(
      null,
      'none',
      explanation,
      roots.map((a) => a.id),
      r,
    );
  const c: Ctx = {
    u,
    anchors,
    lang,
    input,
    intent,
    roots,
    findings,
    byId,
    one,
    missing,
    focus,
    need,
    role,
    findingShape,
  };
  for (const rule of RULES) {
    const r = rule(c);
    if (r) return r;
  }
  return defaults(c);
}

/** What every resolution rule reads. */
interface Ctx {
  u: Understanding;
  anchors: Anchor[];
  lang: Lang;
  input: ResolveInput;
  intent: Intent;
  roots: Anchor[];
  findings: Anchor[];
  byId: Map<string, Anchor>;
  focus: string | null;
  need: 1 | 2;
  one(
    anchorId: string | null,
    reason: ResolvedAnchor['reason'],
    explanation: string,
    candidates?: string[],
    role?: ResolvedAnchor['role'],
  ): ResolvedAnchor;
  role(i: number): ResolvedAnchor['role'];
  /** No anchor: every root is a candidate. */
  missing(explanation: string, role?: ResolvedAnchor['role']): ResolvedAnchor;
  findingShape(a: Anchor): FindingShape | null;
}

/** The rules of api.md 10.5 in the order they are tried; the first that answers wins. */
const RULES: ((c: Ctx) => ResolvedAnchor[] | null)[] = [
  noAnchorNeeded,
  explicitIds,
  namedLandmark,
  recentMarks,
  requestFocus,
  allFindings,
  otherOne,
  anatomyAndDescriptors,
];

/** Rule 7 (and overview, film-level questions): intents that need no anchor. */
function noAnchorNeeded(c: Ctx): ResolvedAnchor[] | null {
  const { u, lang, input, intent, findings, one } = c;
  if (NO_ANCHOR.includes(intent) || (intent === 'checklist' && input.imageLevelChecklist)) {
    return [one(null, 'none', '')];
  }
  if (intent === 'overview') {
    const ids = findings.map((a) => a.id);
    if (!ids.length) return [one(null, 'none', '')];
    return ids.map((id) => one(id, 'all_findings', t(lang, '列出全部检出病灶', 'all detected findings'), ids));
  }
  // "下一步怎么办 / what is spiculation / any change since the prior" with nothing pointed at: the film, not the focus.
  if (
    FILM_LEVEL.includes(intent) &&
    !u.references.length &&
    !u.descriptors.length &&
    !locatingAnatomy(u).length &&
    !input.requestFocus
  ) {
    return [one(null, 'none', '')];
  }
  return null;
}

/** One id named, the other from the request's focus or the session focus ("A2 和这个", "how far is it from A2"). */
function namedPlusFocus(c: Ctx, named: ResolvedAnchor): ResolvedAnchor[] | null {
  const { u, anchors, lang, input, focus, one } = c;
  const other = input.requestFocus ? (lineageRoot(anchors, input.requestFocus.anchorId)?.id ?? null) : focus;
  if (!other || other === named.anchorId) return null;
  const reason = input.requestFocus ? input.requestFocus.reason : 'last_focused';
  const why = t(lang, `另一个为当前焦点 ${other}`, `the other is the current focus ${other}`);
  const pointed = one(other, reason, why, [], 'object');
  // "这个离A2多远 / how far is this from A2": the pointed-at anchor is the subject when it comes first.
  const d = u.references.find((r) => r.type === 'deictic');
  const idRef = u.references.find((r) => r.type === 'explicit_id');
  const pointedFirst = input.requestFocus
    ? !d || !idRef?.span || (d.span !== null && d.span[0] < idRef.span[0])
    : !!(d?.span && idRef?.span && d.span[0] < idRef.span[0]);
  return pointedFirst
    ? [
        { ...pointed, role: 'subject' },
        { ...named, role: 'object' },
      ]
    : [named, pointed];
}

/** Rule 1: explicit ids win; one id plus the focus for two-anchor intents. */
function explicitIds(c: Ctx): ResolvedAnchor[] | null {
  const { u, anchors, lang, byId, one, missing, need, role } = c;
  // 1. explicit ids win.
  const explicit = u.references.filter((r) => r.type === 'explicit_id').map((r) => r.value!);
  if (explicit.length) {
    const out: ResolvedAnchor[] = [];
    for (const id of explicit.slice(0, need)) {
      const root = byId.has(id) ? lineageRoot(anchors, id) : null;
      out.push(
        root
          ? one(
              root.id,
              'explicit_id',
              t(lang, `按问题中指明的 ${id}`, `${id}, as named in the question`),
              [],
              role(out.length),
            )
          : missing(t(lang, `没有 ${id} 这个标记`, `there is no anchor ${id}`), role(out.length)),
      );
    }
    if (out.length === need || need === 1) return out;
    const withFocus = namedPlusFocus(c, out[0]!);
    if (withFocus) return withFocus;
    out.push(
      missing(t(lang, '只指明了一个标记,缺少另一个', 'only one anchor was named; the other is missing'), 'object'),
    );
    return out;
  }
  return null;
}

/** "Where is the right hilum?" names a landmark: no anchor unless the question points at one. */
function namedLandmark(c: Ctx): ResolvedAnchor[] | null {
  const { u, input, intent, one } = c;
  // "Where is the right hilum?" names a landmark: no anchor unless the question points at one.
  const namesLandmark = u.targets.length > 0 || u.anatomy.some((m) => m.type === 'landmark');
  if (
    intent === 'location' &&
    namesLandmark &&
    !input.requestFocus &&
    !u.references.some((r) => r.type === 'deictic')
  ) {
    return [one(null, 'none', '')];
  }
  return null;
}

/** Rule 4: "these two points" → the N most recent user anchors. */
function recentMarks(c: Ctx): ResolvedAnchor[] | null {
  const { u, anchors, lang, one, need, role } = c;
  // 4. "these two points" → the N most recent user anchors (checked before the focus: it names several).
  const recent = u.references.find((r) => r.type === 'recent');
  if (recent) {
    const n = Math.max(need, Number(recent.value) || 2);
    const users = anchors.filter((a) => a.kind === 'user');
    const pick = users.slice(-n);
    if (pick.length < n)
      return [
        one(
          null,
          'none',
          t(
            lang,
            `需要 ${n} 个绘制的标记,当前只有 ${users.length} 个`,
            `${n} drawn marks are needed; there are ${users.length}`,
          ),
          users.map((a) => a.id),
        ),
      ];
    const ids = pick.map((a) => a.id);
    return pick.map((a, i) =>
      one(
        a.id,
        'recent_anchors',
        i === 0 ? t(lang, `最近绘制的标记:${ids.join('、')}`, `the most recently drawn marks: ${ids.join(', ')}`) : '',
        ids,
        role(i),
      ),
    );
  }
  return null;
}

/** Rule 2: the request's focus (clicked anchor or point). */
function requestFocus(c: Ctx): ResolvedAnchor[] | null {
  const { anchors, lang, input, one, missing, focus, need } = c;
  // 2. the request's focus.
  if (input.requestFocus) {
    const root = lineageRoot(anchors, input.requestFocus.anchorId);
    if (root) {
      const first = one(
        root.id,
        input.requestFocus.reason,
        t(lang, `所选标记 ${root.id}`, `the selected anchor ${root.id}`),
      );
      if (need === 1) return [first];
      const other = focus && focus !== root.id ? focus : null;
      return [
        first,
        other
          ? one(
              other,
              'last_focused',
              t(lang, `另一个为上一轮的焦点 ${other}`, `the other is the previous focus ${other}`),
              [],
              'object',
            )
          : missing(t(lang, '缺少第二个标记', 'the second anchor is missing'), 'object'),
      ];
    }
  }
  return null;
}

/** "所有结节 / both / them": all findings. */
function allFindings(c: Ctx): ResolvedAnchor[] | null {
  const { u, lang, input, findings, byId, one, need, role } = c;
  // "所有结节 / both / them": all findings (two-anchor intents take the first two of the last list).
  const all = u.references.find((r) => r.type === 'all');
  if (all) {
    const list = (input.lastListed.length ? input.lastListed : findings.map((a) => a.id)).filter((id) => byId.has(id));
    const ids = need === 2 ? list.slice(0, 2) : list;
    if (ids.length >= need)
      return ids.map((id, i) =>
        one(
          id,
          'all_findings',
          i === 0 ? t(lang, `全部病灶:${ids.join('、')}`, `all findings: ${ids.join(', ')}`) : '',
          ids,
          need === 2 ? role(i) : 'subject',
        ),
      );
  }
  return null;
}

/** "the other one / 另一个": the roots other than the focus. */
function otherOne(c: Ctx): ResolvedAnchor[] | null {
  const { u, lang, roots, one, focus, need, findingShape } = c;
  // "the other one / 另一个": the roots other than the focus (narrowed by anything else the question names).
  if (need === 1 && focus && OTHER_CUE.test(u.normalizedText.toLowerCase())) {
    const loc0 = locatingAnatomy(u);
    const sel0 = u.descriptors.filter((d) => d.type === 'shape' || d.type === 'border' || d.type === 'findingType');
    const rest = roots.filter(
      (a) => a.id !== focus && matchesAnatomy(a, loc0) && sel0.every((d) => matchesDescriptor(a, d, findingShape)),
    );
    if (rest.length === 1)
      return [
        one(
          rest[0]!.id,
          'only_candidate',
          t(
            lang,
            `除当前焦点 ${focus} 外的另一个:${rest[0]!.id}`,
            `the other one besides the current focus ${focus}: ${rest[0]!.id}`,
          ),
          [rest[0]!.id],
        ),
      ];
    if (rest.length > 1)
      return [
        one(
          null,
          'ambiguous',
          t(lang, `除 ${focus} 外还有 ${rest.length} 个`, `besides ${focus} there are ${rest.length}`),
          rest.map((a) => a.id),
        ),
      ];
  }
  return null;
}

/** What a question selects findings by: located anatomy, shape/border/type words, an ordinal, a size rank. */
interface Selection {
  loc: Mention[];
  selectors: Understanding['descriptors'];
  ordinal: Understanding['descriptors'][number] | undefined;
  rank: Understanding['descriptors'][number] | undefined;
  /** A pointer at the focus ("这个", "it") that is not the attributive 那个 after anatomy. */
  deictic: boolean;
  /** The selectors joined as the question said them ("右下肺 圆形"). */
  what: string;
}

function selectionOf(c: Ctx): Selection {
  const loc = locatingAnatomy(c.u);
  const selectors = c.u.descriptors.filter(
    (d) => d.type === 'shape' || d.type === 'border' || d.type === 'findingType',
  );
  // "右肺那个 / 右下肺那个结节": a 那个 right after the anatomy is attributive (the one there), not a pointer at the focus.
  const attributive = (r: Understanding['references'][number]): boolean =>
    !!r.span &&
    /^(那|这)(个|处|枚|颗|块)/.test(r.text ?? '') &&
    loc.some((m) => m.span[1] <= r.span![0] && r.span![0] - m.span[1] <= 1);
  return {
    loc,
    selectors,
    ordinal: c.u.descriptors.find((d) => d.type === 'ordinal'),
    rank: c.u.descriptors.find((d) => d.type === 'sizeRank'),
    deictic: c.u.references.some((r) => r.type === 'deictic' && !attributive(r)),
    what: [...loc.map((m) => m.text), ...selectors.map((d) => d.text)].join(c.lang === 'zh' ? '' : ' '),
  };
}

/** "这个结节 / this nodule": a bare finding-type noun after a deictic is just the noun of the reference. */
function deicticNoun(c: Ctx, sel: Selection): ResolvedAnchor[] | null {
  const { focus, byId, need, lang } = c;
  const focusAnchor = focus ? byId.get(focus) : undefined;
  const onlyNoun =
    sel.loc.length === 0 && !sel.ordinal && !sel.rank && sel.selectors.every((d) => d.type === 'findingType');
  const focusFits =
    !!focusAnchor &&
    (focusAnchor.kind === 'user' || sel.selectors.every((d) => matchesDescriptor(focusAnchor, d, c.findingShape)));
  if (!(sel.deictic && onlyNoun && focusFits && need === 1)) return null;
  return [c.one(focus, 'last_focused', t(lang, `沿用上一轮的焦点 ${focus}`, `the current focus ${focus}`), [focus!])];
}

/** "第二个 / the second one": the n-th of the last list (or of the findings), if it matches the rest. */
function byOrdinal(c: Ctx, ordinal: number, cands: Anchor[]): ResolvedAnchor[] {
  const { lang, input, findings, byId } = c;
  const list = (input.lastListed.length ? input.lastListed : findings.map((a) => a.id)).filter((id) => byId.has(id));
  const id = list[ordinal - 1];
  if (id && cands.some((a) => a.id === id))
    return [
      c.one(id, 'ordinal', t(lang, `列表中的第${ordinal}个:${id}`, `number ${ordinal} in the list: ${id}`), list),
    ];
  const why = t(
    lang,
    `列表中没有符合的第${ordinal}个病灶`,
    `there is no matching finding number ${ordinal} in the list`,
  );
  return [c.one(null, 'none', why, list)];
}

/** "the bigger one": among the findings (and drawn regions) that match; points have no size. */
function bySizeRank(c: Ctx, sel: Selection, matching: Anchor[], largest: boolean): ResolvedAnchor[] {
  const { lang, roots, findingShape } = c;
  const cands =
    !sel.loc.length && !sel.selectors.length ? roots.filter((a) => diameterOf(a, findingShape) > 0) : matching;
  if (cands.length === 0) {
    const why = t(lang, '没有可比较大小的病灶', 'there is no finding whose size could be ranked');
    return [c.missing(why)];
  }
  const sized = cands
    .map((a) => ({ a, d: diameterOf(a, findingShape) }))
    .sort((x, y) => (largest ? y.d - x.d : x.d - y.d));
  if (sized.length > 1 && sized[0]!.d === sized[1]!.d) {
    const why = t(lang, '有两个病灶大小相同', 'two findings have the same size');
    return [
      c.one(
        null,
        'ambiguous',
        why,
        sized.map((x) => x.a.id),
      ),
    ];
  }
  const pick = sized[0]!.a;
  const why = t(
    lang,
    `${sel.what}${largest ? '最大' : '最小'}的一个:${pick.id}`,
    `the ${largest ? 'largest' : 'smallest'}${sel.what ? ` ${sel.what}` : ''}: ${pick.id}`,
  );
  return [
    c.one(
      pick.id,
      'size_rank',
      why,
      cands.map((a) => a.id),
    ),
  ];
}

/** Nothing matches: say what there is instead. */
function noMatch(c: Ctx, what: string): ResolvedAnchor[] {
  const { lang, roots } = c;
  const where = roots
    .map((a) => `${a.id}${a.location ? (lang === 'zh' ? `(${a.location.text.zh})` : ` (${a.location.text.en})`) : ''}`)
    .join(lang === 'zh' ? '、' : ', ');
  const why = t(
    lang,
    `没有符合“${what}”的病灶${where ? `;现有:${where}` : ''}`,
    `no finding matches "${what}"${where ? `; there are: ${where}` : ''}`,
  );
  return [c.missing(why)];
}

/** A clear lobe-probability winner among several matches is the best match. */
function lobeBestMatch(c: Ctx, sel: Selection, cands: Anchor[]): ResolvedAnchor[] | null {
  const lobe = sel.loc.find((m) => m.type === 'lobe');
  if (c.need !== 1 || !lobe) return null;
  type Probs = NonNullable<NonNullable<Anchor['location']>['lobeProbabilities']>;
  const p = cands
    .map((a) => ({ id: a.id, p: a.location?.lobeProbabilities?.[lobe.id as keyof Probs] ?? 0 }))
    .sort((x, y) => y.p - x.p);
  if (p[0]!.p - p[1]!.p < BEST_MATCH_LOBE_MARGIN) return null;
  const others = p
    .slice(1)
    .map((x) => x.id)
    .join(c.lang === 'zh' ? '、' : ', ');
  const why = t(
    c.lang,
    `${p[0]!.id}最可能位于${lobe.text}(另有 ${others} 也符合)`,
    `${p[0]!.id} most likely lies in the ${lobe.text} (${others} also match)`,
  );
  return [
    c.one(
      p[0]!.id,
      'best_match',
      why,
      cands.map((a) => a.id),
    ),
  ];
}

/** Several match: a deictic keeps the focus among them, a lobe winner is best_match, two for two, else ask. */
function severalMatch(c: Ctx, sel: Selection, cands: Anchor[]): ResolvedAnchor[] {
  const { lang, focus, need } = c;
  const what = sel.what;
  const ids = cands.map((a) => a.id);
  if (need === 1 && focus && ids.includes(focus) && sel.deictic) {
    const why = t(
      lang,
      `符合描述的有 ${ids.join('、')};沿用当前焦点 ${focus}`,
      `${ids.join(', ')} match; keeping the current focus ${focus}`,
    );
    return [c.one(focus, 'best_match', why, ids)];
  }
  const best = lobeBestMatch(c, sel, cands);
  if (best) return best;
  if (need === 2 && cands.length === 2) {
    const why = t(lang, `符合“${what}”的两个:${ids.join('、')}`, `the two matching "${what}": ${ids.join(', ')}`);
    return cands.map((a, i) => c.one(a.id, 'anatomy_descriptor_match', i === 0 ? why : '', ids, c.role(i)));
  }
  const why = t(lang, `有 ${cands.length} 个病灶符合“${what}”`, `${cands.length} findings match "${what}"`);
  return [c.one(null, 'ambiguous', why, ids)];
}

/** Rule 3 (with 6, best_match): anatomy and descriptors select among the lineage roots. */
function anatomyAndDescriptors(c: Ctx): ResolvedAnchor[] | null {
  const sel = selectionOf(c);
  const noun = deicticNoun(c, sel);
  if (noun) return noun;
  if (!(sel.loc.length || sel.selectors.length || sel.ordinal || sel.rank)) return null;
  const cands = c.roots.filter(
    (a) => matchesAnatomy(a, sel.loc) && sel.selectors.every((d) => matchesDescriptor(a, d, c.findingShape)),
  );
  if (sel.ordinal) return byOrdinal(c, Number(sel.ordinal.value), cands);
  if (sel.rank) return bySizeRank(c, sel, cands, sel.rank.value === 'largest');
  if (cands.length === 1) {
    const id = cands[0]!.id;
    const why = t(c.lang, `${sel.what}只有一个符合的病灶:${id}`, `only one finding matches "${sel.what}": ${id}`);
    return [c.one(id, 'anatomy_descriptor_match', why, [id])];
  }
  return cands.length === 0 ? noMatch(c, sel.what) : severalMatch(c, sel, cands);
}

/** Rule 5 (and 6, ambiguous): the session focus, the only candidate, or ask. */
function defaults(c: Ctx): ResolvedAnchor[] {
  const { u, anchors, lang, intent, roots, one, focus, need, role } = c;
  // 5. deictic or no reference → the session focus, else the only finding.
  if (need === 2) {
    // "how far apart are they" with nothing named: the two most recent user marks, else the two listed findings.
    const users = anchors.filter((a) => a.kind === 'user');
    if (users.length >= 2) {
      const ids = users.slice(-2).map((a) => a.id);
      return ids.map((id, i) =>
        one(
          id,
          'recent_anchors',
          i === 0
            ? t(lang, `最近绘制的两个标记:${ids.join('、')}`, `the two most recently drawn marks: ${ids.join(', ')}`)
            : '',
          ids,
          role(i),
        ),
      );
    }
    if (roots.length === 2)
      return roots.map((a, i) =>
        one(
          a.id,
          'only_candidate',
          i === 0
            ? t(
                lang,
                `图中只有两个标记:${roots.map((r) => r.id).join('、')}`,
                `there are only two: ${roots.map((r) => r.id).join(', ')}`,
              )
            : '',
          roots.map((r) => r.id),
          role(i),
        ),
      );
    return [
      one(
        null,
        roots.length > 2 ? 'ambiguous' : 'none',
        t(
          lang,
          '需要两个标记:请写明 A1、A2,或先在图上画两个点',
          'Two anchors are needed: name them (A1, A2) or draw two points first',
        ),
        roots.map((a) => a.id),
      ),
    ];
  }
  if (focus) {
    return [one(focus, 'last_focused', t(lang, `沿用上一轮的焦点 ${focus}`, `the current focus ${focus}`), [focus])];
  }
  if (roots.length === 1) {
    return [
      one(
        roots[0]!.id,
        'only_candidate',
        t(lang, `图中只有一个标记:${roots[0]!.id}`, `there is only one: ${roots[0]!.id}`),
        [roots[0]!.id],
      ),
    ];
  }
  if (intent === 'location' && u.targets.length + u.anatomy.length > 0) return [one(null, 'none', '')];
  if (roots.length === 0)
    return [one(null, 'none', t(lang, '当前没有可指代的病灶或标记', 'there is no finding or mark to refer to'))];
  return [
    one(
      null,
      'ambiguous',
      t(lang, `有 ${roots.length} 个可能的对象`, `${roots.length} possible anchors`),
      roots.map((a) => a.id),
    ),
  ];
}
