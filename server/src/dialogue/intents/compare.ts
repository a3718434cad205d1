import type { Annotation } from '../../contract';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { lesionSize } from '../../report/story';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { leadMargin, signName } from './signs';
import { noSubject } from './subject';

type Root = NonNullable<ReturnType<TurnContext['anchor']>>;

/** One anchor's line: place, its one size (refined long × short axis, as everywhere else), lead margin sign, score. */
function compareItem(ctx: TurnContext, root: Root, refined: Root | null) {
  const l = ctx.lang;
  const a = refined ?? root;
  const dia = a.measurements.find((m) => m.name === 'diameter');
  const lead = leadMargin(a.signs);
  const f = root.findingId ? ctx.entry.analysis.findings.find((x) => x.id === root.findingId) : null;
  const sz = refined || dia ? lesionSize(root, refined, f ?? undefined) : null;
  const parts = [
    root.location?.text[l],
    sz ? sz.text[l] : null,
    lead ? signName(ctx, lead.signId) : null,
    f ? tr(l, `检测置信度 ${f.score.toFixed(2)}`, `detector score ${f.score.toFixed(2)}`) : null,
  ].filter(Boolean);
  return item(
    `${root.id}${sep(l)}${parts.join(l === 'zh' ? ',' : ', ')}`,
    [root.id, ...(refined ? [refined.id] : [])],
    [
      ...(sz ? sz.evidence : []),
      ...(f ? [{ name: 'score', value: Math.round(f.score * 100) / 100, unit: 'fraction' as const }] : []),
    ],
  );
}

function refinedOutline(ctx: TurnContext, refined: Root): Annotation {
  return {
    id: ctx.newAnnotationId(),
    anchorId: refined.id,
    replaces: null,
    kind: 'outline',
    geometry: refined.geometry,
    style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
    measurement: refined.measurements.find((m) => m.name === 'diameter') ?? null,
  };
}

/** Two anchors side by side: size, margin class and location (api.md 10.7 `compare`). */
export function compare(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const roots = ctx.resolved.map((r) => (r.anchorId ? ctx.anchor(r.anchorId) : undefined));
  if (roots.length < 2 || !roots[0] || !roots[1]) return noSubject(ctx);
  const created = [];
  const annotations: Annotation[] = [];
  const items = [];
  let cache: 'hit' | 'miss' | null = null;
  for (const root of roots as Root[]) {
    const r = ensureRefinement(ctx, root);
    if (r.created) created.push(r.created);
    cache = cache === 'miss' ? 'miss' : r.cache;
    items.push(compareItem(ctx, root, r.anchor));
    if (r.anchor) annotations.push(refinedOutline(ctx, r.anchor));
  }
  const [a, b] = roots as NonNullable<(typeof roots)[number]>[];
  return {
    headline: tr(
      l,
      `${a.id}与${b.id}的对比如下;可疑程度需结合征象与CT判断。`,
      `${a.id} and ${b.id} side by side; how suspicious each is needs the signs and CT.`,
    ),
    sections: [
      section('comparison', tr(l, '对比', 'Comparison'), items),
      section('limits', tr(l, '说明', 'Notes'), [
        item(
          tr(
            l,
            '本工具不判断良恶性,仅列出测量到的征象。',
            'The tool does not call lesions benign or malignant; it lists measured features.',
          ),
        ),
      ]),
    ],
    suggestions: [tr(l, `${a.id}边缘是否规则?`, `Is ${a.id}'s margin regular?`)],
    annotations,
    createdAnchors: created,
    focusAnchorId: a.id,
    refinementCache: cache,
  };
}
