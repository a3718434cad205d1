import type { Evidence } from '../../contract';
import { evaluateChecklist, lesionRuleEvidence, subjectValues } from '../../report/checklist';
import { signName } from '../../report/signs';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { evidenceSummary } from '../evidenceText';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { noSubject } from './subject';

const MARK = { met: '✓', not_met: '✗', indeterminate: '?' } as const;

/** A sign checklist from the ontology, evaluated on the subject (api.md 10.7 `checklist`, 10.9). */
export function checklist(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const id = ctx.understanding.checklistId;
  const def = id ? ctx.ontology.checklistById.get(id) : undefined;
  if (!def) return noSubject(ctx);
  const analysis = ctx.entry.analysis;
  const extra: Evidence[] = [];
  const ctr = analysis.anatomy.cardiothoracicRatio;
  if (ctr && ctr.reliable) extra.push({ name: 'cardiothoracicRatio', value: ctr.value, unit: 'ratio' });

  let root = null,
    refined = null,
    cache: 'hit' | 'miss' | null = null;
  const created = [];
  if (def.scope === 'finding') {
    root = ctx.resolved[0]?.anchorId ? (ctx.anchor(ctx.resolved[0].anchorId) ?? null) : null;
    if (!root) return noSubject(ctx);
    const r = ensureRefinement(ctx, root);
    refined = r.anchor;
    cache = r.cache;
    if (r.created) created.push(r.created);
    extra.push(...lesionRuleEvidence(analysis, ctx.state.session, root, refined));
  }
  const subject = {
    anchorId: root?.id ?? null,
    signs: refined?.signs ?? root?.signs ?? [],
    values: subjectValues(root, refined, extra),
  };
  const result = evaluateChecklist(def, subject, l);
  const ids = [root?.id, refined?.id].filter((x): x is string => !!x);
  const signById = ctx.ontology.signById;
  const items = result.items.map((i) => {
    // The item shows the same sign call the margin/density answers gave: which sign satisfied it,
    // its measured evidence, and for an undecided item the reason instead of zero counts.
    const by =
      i.status === 'met' ? subject.signs.find((s) => s.evidence === i.evidence && s.status === 'present') : undefined;
    const named = by && by.signId !== i.signId ? `${signName(by.signId, signById, l)}${l === 'zh' ? ',' : ', '}` : '';
    const ev = i.status === 'indeterminate' ? '' : evidenceSummary(i.evidence, l);
    const why = named + ev || i.note || '';
    return item(`${MARK[i.status]} ${i.label}${why ? (l === 'zh' ? `:${why}` : `: ${why}`) : ''}`, ids, i.evidence, {
      signId: i.signId,
      status: i.status,
    });
  });
  const whose = root ? ` — ${root.id}` : '';
  const annotations = [];
  const focusDrawn =
    root &&
    ctx.state.session.annotations.some(
      (n) => (n.anchorId === root!.id || n.anchorId === refined?.id) && n.style.emphasis === 'focus',
    );
  if (refined && !focusDrawn) {
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: refined.id,
      replaces: null,
      kind: 'outline' as const,
      geometry: refined.geometry,
      style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
      measurement: null,
    });
  }
  return {
    headline: tr(
      l,
      `${result.title}共${result.total}条,${root ? root.id : '本片'}符合${result.metCount}条,不符合${result.notMetCount}条,` +
        `${result.indeterminateCount}条X线难以判断。`,
      `${result.title}: ${result.total} items; ${root ? root.id : 'this image'} meets ${result.metCount}, does not ` +
        `meet ${result.notMetCount}, and ${result.indeterminateCount} cannot be judged on a radiograph.`,
    ),
    sections: [
      section('checklist', `${result.title}${whose}`, items),
      section('limits', tr(l, '说明', 'Notes'), [item(result.disclaimer)]),
    ],
    suggestions: [tr(l, '生成结构化报告', 'Write the report')],
    annotations,
    createdAnchors: created,
    checklist: result,
    focusAnchorId: root?.id ?? undefined,
    refinementCache: cache,
    links: [
      {
        rel: 'report',
        href: `/api/v1/sessions/${ctx.state.session.id}/report?format=json&lang=${l}`,
        type: 'application/json',
      },
    ],
  };
}
