import type { Evidence } from '../../contract';
import { evaluateChecklist, lesionRuleEvidence, subjectValues } from '../../report/checklist';
import { signName } from '../../report/signs';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { evidenceSummary } from '../evidenceText';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { noSubject } from './subject';

const MARK = { met: '✓', not_met: '✗', indeterminate: '?' } as const;

type Refined = ReturnType<typeof ensureRefinement>['anchor'];
type Root = NonNullable<ReturnType<TurnContext['anchor']>>;
type Result = ReturnType<typeof evaluateChecklist>;

/** The finding a finding-scoped checklist is evaluated on, refined (cached), with the lesion rules' evidence. */
function checklistSubject(
  ctx: TurnContext,
  extra: Evidence[],
): { root: Root; refined: Refined; cache: 'hit' | 'miss' | null; created: Root[] } | null {
  const root = ctx.resolved[0]?.anchorId ? (ctx.anchor(ctx.resolved[0].anchorId) ?? null) : null;
  if (!root) return null;
  const r = ensureRefinement(ctx, root);
  extra.push(...lesionRuleEvidence(ctx.entry.analysis, ctx.state.session, root, r.anchor));
  return { root, refined: r.anchor, cache: r.cache, created: r.created ? [r.created] : [] };
}

/**
 * One checklist item as a line. The item shows the same sign call the margin/density answers gave:
 * which sign satisfied it, its measured evidence, and for an undecided item the reason instead of zero counts.
 */
function checklistItem(ctx: TurnContext, i: Result['items'][number], signs: Root['signs'], ids: string[]) {
  const l = ctx.lang;
  const by = i.status === 'met' ? signs.find((s) => s.evidence === i.evidence && s.status === 'present') : undefined;
  const named =
    by && by.signId !== i.signId ? `${signName(by.signId, ctx.ontology.signById, l)}${l === 'zh' ? ',' : ', '}` : '';
  const ev = i.status === 'indeterminate' ? '' : evidenceSummary(i.evidence, l);
  const why = named + ev || i.note || '';
  return item(`${MARK[i.status]} ${i.label}${why ? (l === 'zh' ? `:${why}` : `: ${why}`) : ''}`, ids, i.evidence, {
    signId: i.signId,
    status: i.status,
  });
}

/** The refined outline as the focus, unless it is drawn so already. */
function focusOutline(ctx: TurnContext, root: Root | null, refined: Refined) {
  const focusDrawn =
    root &&
    ctx.state.session.annotations.some(
      (n) => (n.anchorId === root.id || n.anchorId === refined?.id) && n.style.emphasis === 'focus',
    );
  if (!refined || focusDrawn) return [];
  return [
    {
      id: ctx.newAnnotationId(),
      anchorId: refined.id,
      replaces: null,
      kind: 'outline' as const,
      geometry: refined.geometry,
      style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
      measurement: null,
    },
  ];
}

/** What the checklist is evaluated on: the subject's sign calls (refined first) and measured values. */
function subjectOf(root: Root | null, refined: Refined, extra: Evidence[]) {
  return {
    anchorId: root?.id ?? null,
    signs: refined?.signs ?? root?.signs ?? [],
    values: subjectValues(root, refined, extra),
  };
}

function checklistHeadline(ctx: TurnContext, result: Result, root: Root | null): string {
  return tr(
    ctx.lang,
    `${result.title}共${result.total}条,${root ? root.id : '本片'}符合${result.metCount}条,不符合${result.notMetCount}条,` +
      `${result.indeterminateCount}条X线难以判断。`,
    `${result.title}: ${result.total} items; ${root ? root.id : 'this image'} meets ${result.metCount}, does not ` +
      `meet ${result.notMetCount}, and ${result.indeterminateCount} cannot be judged on a radiograph.`,
  );
}

/** A sign checklist from the ontology, evaluated on the subject (api.md 10.7 `checklist`, 10.9). */
export function checklist(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const id = ctx.understanding.checklistId;
  const def = id ? ctx.ontology.checklistById.get(id) : undefined;
  if (!def) return noSubject(ctx);
  const extra: Evidence[] = [];
  const ctr = ctx.entry.analysis.anatomy.cardiothoracicRatio;
  if (ctr && ctr.reliable) extra.push({ name: 'cardiothoracicRatio', value: ctr.value, unit: 'ratio' });
  const found = def.scope === 'finding' ? checklistSubject(ctx, extra) : null;
  if (def.scope === 'finding' && !found) return noSubject(ctx);
  const sub = found ?? { root: null, refined: null, cache: null, created: [] };
  const { root, refined } = sub;
  const subject = subjectOf(root, refined, extra);
  const result = evaluateChecklist(def, subject, l);
  const ids = [root?.id, refined?.id].filter((x): x is string => !!x);
  const items = result.items.map((i) => checklistItem(ctx, i, subject.signs, ids));
  return {
    headline: checklistHeadline(ctx, result, root),
    sections: [
      section('checklist', `${result.title}${root ? ` — ${root.id}` : ''}`, items),
      section('limits', tr(l, '说明', 'Notes'), [item(result.disclaimer)]),
    ],
    suggestions: [tr(l, '生成结构化报告', 'Write the report')],
    annotations: focusOutline(ctx, root, refined),
    createdAnchors: sub.created,
    checklist: result,
    focusAnchorId: root?.id,
    refinementCache: sub.cache,
    links: [
      {
        rel: 'report',
        href: `/api/v1/sessions/${ctx.state.session.id}/report?format=json&lang=${l}`,
        type: 'application/json',
      },
    ],
  };
}
