import type { Anchor, Intent, Lang, ResolvedAnchor, Understanding } from '../contract';
import { lineageRoot } from '../sessions/anchors';

/** Intents that never need an anchor (api.md 10.5 rule 7). */
const NO_ANCHOR: Intent[] = ['help', 'unknown', 'show_anatomy', 'cardiothoracic_ratio', 'report'];
/** Intents with two anchors: subject + object. */
const TWO_ANCHORS: Intent[] = ['distance', 'compare'];

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

const isRoot = (a: Anchor) => a.kind === 'finding' || a.kind === 'user';
const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

/** Does a root anchor match the named anatomy (lobe, zone, band, side)? */
function matchesAnatomy(a: Anchor, u: Understanding): boolean {
  const loc = a.location;
  for (const m of u.anatomy) {
    if (!loc) return false;
    if (m.type === 'lobe') {
      if (m.id === 'LUL' ? !(loc.lobe === 'LUL' || loc.lobe === 'lingula') : loc.lobe !== m.id) return false;
    } else if (m.type === 'zone') {
      const [, side, zone] = m.id.split('_');
      if (zone ? loc.zone !== zone || loc.side !== side : loc.zone !== side) return false;
    } else if (m.type === 'band') {
      const [, side, band] = m.id.split('_');
      if (band ? loc.band !== band || loc.side !== side : loc.band !== side) return false;
    } else if (m.type === 'side') {
      if (m.id !== 'both' && loc.side !== m.id) return false;
    } else if (m.type === 'structure' && (m.id === 'lung_right' || m.id === 'lung_left')) {
      if (loc.side !== (m.id === 'lung_right' ? 'right' : 'left')) return false;
    } else if (m.type === 'region' && m.id === 'retrocardiac') {
      if (!loc.retrocardiac) return false;
    }
  }
  return true;
}

/**
 * Anchor resolution, rules 1–7 of api.md 10.5. Returns the subject (and object for
 * distance/compare) with the reason and an explanation in the turn language.
 */
export function resolveAnchors(input: ResolveInput, findingShape: (a: Anchor) => { shape: string; border: string; type: string; diameter: number } | null): ResolvedAnchor[] {
  const { understanding: u, anchors, lang } = input;
  const intent = u.intent;
  const roots = anchors.filter(isRoot);
  const byId = new Map(anchors.map((a) => [a.id, a]));
  const one = (anchorId: string | null, reason: ResolvedAnchor['reason'], explanation: string, candidates: string[] = [], role: ResolvedAnchor['role'] = 'subject'): ResolvedAnchor =>
    ({ anchorId, role, reason, explanation, candidates });

  if (NO_ANCHOR.includes(intent) || (intent === 'checklist' && input.imageLevelChecklist)) {
    return [one(null, 'none', '')];
  }
  const need = TWO_ANCHORS.includes(intent) ? 2 : 1;

  // 1. explicit ids win.
  const explicit = u.references.filter((r) => r.type === 'explicit_id').map((r) => r.value!);
  if (explicit.length) {
    const out: ResolvedAnchor[] = [];
    for (const id of explicit.slice(0, need)) {
      const a = byId.get(id);
      const root = a ? lineageRoot(anchors, id) : null;
      out.push(root
        ? one(root.id, 'explicit_id', t(lang, `按问题中指明的 ${id}`, `${id}, as named in the question`), [], out.length ? 'object' : 'subject')
        : one(null, 'none', t(lang, `没有 ${id} 这个标记`, `there is no anchor ${id}`), [], out.length ? 'object' : 'subject'));
    }
    if (out.length === need || need === 1) return out;
    // One named, the other from the focus ("A2 和这个").
    const other = input.requestFocus?.anchorId ?? input.focusAnchorId;
    if (other && other !== out[0].anchorId) out.push(one(other, 'last_focused', t(lang, `另一个为当前焦点 ${other}`, `the other is the current focus ${other}`), [], 'object'));
    return out;
  }

  // 4. "these two points" → the N most recent user anchors.
  const recent = u.references.find((r) => r.type === 'recent');
  if (recent || (need === 2 && u.references.every((r) => r.type !== 'explicit_id'))) {
    const users = anchors.filter((a) => a.kind === 'user');
    const pick = users.slice(-2);
    if (pick.length === 2 && (recent || need === 2)) {
      return [
        one(pick[0].id, 'recent_anchors', t(lang, `最近绘制的两个标记:${pick[0].id} 与 ${pick[1].id}`, `the two most recently drawn marks: ${pick[0].id} and ${pick[1].id}`), pick.map((a) => a.id)),
        one(pick[1].id, 'recent_anchors', '', pick.map((a) => a.id), 'object'),
      ];
    }
    if (need === 2) {
      return [one(null, 'none', t(lang, '需要两个标记:请先在图上画两个点或区域,或写明 A1、A2。', 'Two anchors are needed: draw two points or regions first, or name them (A1, A2).'), users.map((a) => a.id))];
    }
  }

  // 2. the request's focus.
  if (input.requestFocus) {
    const root = lineageRoot(anchors, input.requestFocus.anchorId);
    if (root) return [one(root.id, input.requestFocus.reason, t(lang, `所选标记 ${root.id}`, `the selected anchor ${root.id}`))];
  }

  // 3. anatomy and descriptors select among the roots.
  const descs = u.descriptors;
  const hasAnatomy = u.anatomy.some((m) => ['lobe', 'zone', 'band', 'side', 'region'].includes(m.type) || (m.type === 'structure' && m.id.startsWith('lung_')));
  if (hasAnatomy || descs.length) {
    let cands = roots.filter((a) => matchesAnatomy(a, u));
    for (const d of descs) {
      if (d.type === 'shape' || d.type === 'border' || d.type === 'findingType') {
        cands = cands.filter((a) => { const f = findingShape(a); return f ? (f as Record<string, unknown>)[d.type === 'findingType' ? 'type' : d.type] === d.value : false; });
      }
    }
    const ordinal = descs.find((d) => d.type === 'ordinal');
    if (ordinal) {
      const list = input.lastListed.length ? input.lastListed : roots.filter((a) => a.kind === 'finding').map((a) => a.id);
      const id = list[Number(ordinal.value) - 1];
      if (id && cands.some((c) => c.id === id)) return [one(id, 'ordinal', t(lang, `列表中的第${ordinal.value}个:${id}`, `number ${ordinal.value} in the list: ${id}`), list)];
      return [one(null, 'none', t(lang, `列表中没有第${ordinal.value}个病灶`, `there is no finding number ${ordinal.value} in the list`), list)];
    }
    const rank = descs.find((d) => d.type === 'sizeRank');
    if (rank && cands.length) {
      const sized = cands.map((a) => ({ a, d: findingShape(a)?.diameter ?? a.measurements.find((m) => m.name === 'diameter')?.valuePx ?? 0 }));
      sized.sort((x, y) => (rank.value === 'largest' ? y.d - x.d : x.d - y.d));
      const pick = sized[0].a;
      return [one(pick.id, 'size_rank', t(lang, `${rank.value === 'largest' ? '最大' : '最小'}的一个:${pick.id}`, `the ${rank.value === 'largest' ? 'largest' : 'smallest'} one: ${pick.id}`), cands.map((c) => c.id))];
    }
    if (cands.length === 1) {
      const what = u.anatomy.map((m) => m.text).concat(descs.map((d) => d.text)).join('');
      return [one(cands[0].id, 'anatomy_descriptor_match', t(lang, `${what}只有一个符合的病灶:${cands[0].id}`, `only one finding matches "${what}": ${cands[0].id}`), [cands[0].id])];
    }
    if (cands.length === 0) {
      return [one(null, 'none', t(lang, '没有符合描述的病灶', 'no finding matches that description'), roots.map((a) => a.id))];
    }
    // Several match: prefer the focus if it is among them, else ask.
    if (input.focusAnchorId && cands.some((c) => c.id === input.focusAnchorId)) {
      return [one(input.focusAnchorId, 'best_match', t(lang, `符合描述的有 ${cands.map((c) => c.id).join('、')};沿用当前焦点 ${input.focusAnchorId}`, `${cands.map((c) => c.id).join(', ')} match; keeping the current focus ${input.focusAnchorId}`), cands.map((c) => c.id))];
    }
    return [one(null, 'ambiguous', t(lang, `有 ${cands.length} 个病灶符合描述`, `${cands.length} findings match`), cands.map((c) => c.id))];
  }

  // 5. deictic or no reference → the session focus, else the only finding.
  if (input.focusAnchorId && byId.has(input.focusAnchorId)) {
    return [one(input.focusAnchorId, 'last_focused', t(lang, `沿用上一轮的焦点 ${input.focusAnchorId}`, `the current focus ${input.focusAnchorId}`))];
  }
  if (roots.length === 1) {
    return [one(roots[0].id, 'only_candidate', t(lang, `图中只有一个标记:${roots[0].id}`, `there is only one: ${roots[0].id}`), [roots[0].id])];
  }
  if (intent === 'overview' || (intent === 'location' && u.targets.length + u.anatomy.length > 0)) return [one(null, 'none', '')];
  if (roots.length === 0) return [one(null, 'none', t(lang, '当前没有可指代的病灶或标记', 'there is no finding or mark to refer to'))];
  return [one(null, 'ambiguous', t(lang, `有 ${roots.length} 个可能的对象`, `${roots.length} possible anchors`), roots.map((a) => a.id))];
}
