import type { Anchor } from '../../contract';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';

/** The anchor whose geometry and measurements stand for a root: its refinement when one exists. */
export function subjectGeometryAnchor(ctx: TurnContext, root: Anchor): Anchor {
  if (root.refinedBy) return ctx.anchor(root.refinedBy) ?? root;
  return root;
}

/** The answer when no subject could be resolved: say why and list what exists; never guess. */
export function noSubject(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const r = ctx.resolved[0];
  const roots = ctx.state.session.anchors.filter((a) => a.kind === 'finding' || a.kind === 'user');
  const listing = roots.map((a) => item(`${a.label[l]}${a.location ? `(${a.location.text[l]})` : ''}`, [a.id]));
  const why = r?.explanation || tr(l, '没有可指代的对象', 'there is nothing to refer to');
  return {
    headline: tr(l, `无法确定所指对象:${why}。`, `I could not tell which anchor you mean: ${why}.`),
    sections: listing.length
      ? [section('clarification', tr(l, '现有标记', 'Existing anchors'), listing)]
      : [
          section('limits', tr(l, '提示', 'Hint'), [
            item(
              tr(
                l,
                '请先在图上画点或区域,或先问"肺部是否有异常?"',
                'Draw a point or region first, or ask "Is anything abnormal in the lungs?"',
              ),
            ),
          ]),
        ],
    suggestions: roots.slice(0, 2).map((a) => tr(l, `${a.id}有多大?`, `How big is ${a.id}?`)),
  };
}
