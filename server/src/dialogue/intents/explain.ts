import type { Anchor, Annotation, AnswerItem, SignAssessment } from '../../contract';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { evidenceSummary, statusWord } from '../evidenceText';
import { COLORS, style } from '../palette';
import { notchMarkers, spiculeMarkers } from './markers';

const ASSESSABLE = {
  yes: { zh: 'X线片上可以评估', en: 'assessable on a radiograph' },
  limited: { zh: 'X线片上评估受限(CT更可靠)', en: 'only partly assessable on a radiograph (CT is more reliable)' },
  no: { zh: 'X线片上通常无法评估,需CT', en: 'usually not assessable on a radiograph; CT is needed' },
} as const;

/** The anchors to look at: the one the question names (or the focus), else every finding with a refinement. */
function candidates(ctx: TurnContext): { anchors: Anchor[]; named: boolean } {
  const named = ctx.resolved
    .map((r) => (r.anchorId ? ctx.anchor(r.anchorId) : undefined))
    .filter((a): a is Anchor => !!a);
  if (named.length && ctx.resolved.some((r) => r.reason !== 'last_focused' && r.reason !== 'only_candidate'))
    return { anchors: named, named: true };
  const refined = ctx.state.session.anchors.filter((a) => (a.kind === 'finding' || a.kind === 'user') && a.refinedBy);
  return { anchors: refined.length ? refined : named, named: false };
}

/**
 * The assessment of a sign on an anchor: its refinement (reused, never recomputed), else the detector's
 * coarse signs.
 */
function assessment(ctx: TurnContext, root: Anchor, signId: string): { s: SignAssessment; from: Anchor } | null {
  const refined = root.refinedBy ? ctx.anchor(root.refinedBy) : undefined;
  const s = refined?.signs.find((x) => x.signId === signId);
  if (refined && s) return { s, from: refined };
  const coarse =
    root.signs.find((x) => x.signId === signId) ??
    (root.findingId
      ? ctx.entry.analysis.findings.find((f) => f.id === root.findingId)?.signs.find((x) => x.signId === signId)
      : undefined);
  return coarse ? { s: coarse, from: root } : null;
}

/** The sign's markers on the refined outline (spicule tips, notches), drawn where the image shows it. */
function markers(ctx: TurnContext, from: Anchor, signId: string): Annotation[] {
  const out: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: from.id,
      replaces: null,
      kind: 'outline',
      geometry: from.geometry,
      style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
      measurement: null,
    },
  ];
  if (signId === 'margin_spiculated') out.push(...spiculeMarkers(ctx, from));
  if (signId === 'notch_sign' || signId === 'margin_lobulated') out.push(...notchMarkers(ctx, from));
  return out;
}

/** The ontology's definition, radiographic appearance and significance of each sign asked (three at most). */
function teaching(ctx: TurnContext, ids: string[]): AnswerItem[] {
  const l = ctx.lang;
  return ids.slice(0, 3).flatMap((id) => {
    const s = ctx.ontology.signById.get(id)!;
    const assess = ASSESSABLE[s.cxrAssessable];
    return [
      item(tr(l, `${s.name.zh}:${s.definition.zh}`, `${s.name.en}: ${s.definition.en}`), [], [], { signId: id }),
      item(tr(l, `X线表现:${s.appearance.zh}`, `On a radiograph: ${s.appearance.en}`), [], [], { signId: id }),
      item(
        tr(l, `意义:${s.significance.zh}(${assess.zh})`, `What it suggests: ${s.significance.en} (${assess.en})`),
        [],
        [],
        { signId: id },
      ),
    ];
  });
}

type Root = Parameters<typeof assessment>[1];

/** Why a sign cannot be judged on an anchor: not measured by the analysis, or the anchor not analysed yet. */
function unjudged(ctx: TurnContext, root: Root, id: string, name: string): AnswerItem {
  const l = ctx.lang;
  const text = root.refinedBy
    ? tr(
        l,
        `本系统不测量${name},无法在${root.id}上判断。`,
        `The analysis does not measure ${name}, so it cannot be judged on ${root.id}.`,
      )
    : tr(
        l,
        `${root.id}尚未做精细分析,无法判断是否有${name};可先问“${root.id}边缘是否规则?”。`,
        `${root.id} has not been analysed in detail yet, so ${name} cannot be judged; ask "Is ${root.id}'s ` +
          `margin regular?" first.`,
      );
  return item(text, [root.id], [], { signId: id, status: 'indeterminate' });
}

/** Where this film shows the signs: each candidate anchor's call from results already computed, drawn when present. */
function onThisFilm(
  ctx: TurnContext,
  ids: string[],
): { seen: AnswerItem[]; annotations: Annotation[]; shownOn: string | null; anchors: Root[]; named: boolean } {
  const l = ctx.lang;
  const { anchors, named } = candidates(ctx);
  const seen: AnswerItem[] = [];
  const annotations: Annotation[] = [];
  let shownOn: string | null = null;
  for (const root of anchors) {
    for (const id of ids.slice(0, 3)) {
      const a = assessment(ctx, root, id);
      const name = ctx.ontology.signById.get(id)!.name[l];
      if (!a) {
        if (named) seen.push(unjudged(ctx, root, id, name));
        continue;
      }
      const summary = evidenceSummary(a.s.evidence, l);
      seen.push(
        item(
          tr(
            l,
            `${root.id}${name}:${statusWord(a.s.status, 'zh')}${summary ? `(${summary})` : ''}。`,
            `${root.id} ${name}: ${statusWord(a.s.status, 'en')}${summary ? ` (${summary})` : ''}.`,
          ),
          [root.id, ...(a.from.id !== root.id ? [a.from.id] : [])],
          a.s.evidence,
          { signId: id, status: a.s.status },
        ),
      );
      if (a.s.status === 'present' && a.from.kind === 'refinement') {
        annotations.push(...markers(ctx, a.from, id));
        shownOn ??= root.id;
      }
    }
  }
  return { seen, annotations, shownOn, anchors, named };
}

/** Nothing analysed to show it on, or the analysed findings do not show it. */
function nothingShown(ctx: TurnContext, seen: AnswerItem[], shownOn: string | null): AnswerItem[] {
  const l = ctx.lang;
  if (!seen.length)
    return [
      item(
        tr(
          l,
          '本片尚无可对照的精细分析结果;可先问某个病灶的边缘或内部密度。',
          "No detailed analysis of a finding exists yet to show it on this film; ask about a finding's margin or " +
            'density first.',
        ),
        [],
        [],
        { status: 'indeterminate' },
      ),
    ];
  if (!shownOn)
    return [
      ...seen,
      item(
        tr(l, '本片已分析的病灶上未见明确此征象。', 'The analysed findings on this film do not show it definitely.'),
      ),
    ];
  return seen;
}

const NO_DEFINITION = (l: TurnContext['lang']): IntentResult => ({
  headline: tr(
    l,
    '没有找到这个术语的定义;可以问“什么是毛刺征?”这类征象名称。',
    'I do not have a definition of that term; ask about a sign, e.g. "What is spiculation?".',
  ),
  sections: [],
  suggestions: [tr(l, '什么是分叶征?', 'What is a notch sign?')],
});

/**
 * "什么是毛刺征 / what is a notch sign" (api.md 10.7 `explain`): the ontology's definition, how it
 * looks on a radiograph and what it suggests, in the turn language; then whether and where this
 * image shows it, from the refinement evidence already computed, drawn on the anchor.
 */
export function explain(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const ids = ctx.understanding.signsAsked.filter((id) => ctx.ontology.signById.has(id));
  if (!ids.length) return NO_DEFINITION(l);
  const film = onThisFilm(ctx, ids);
  const { anchors, named, shownOn } = film;
  const first = ctx.ontology.signById.get(ids[0]!)!;
  return {
    headline: tr(l, `${first.name.zh}:${first.definition.zh}`, `${first.name.en}: ${first.definition.en}`),
    sections: [
      section('signs', tr(l, '征象解释', 'What the sign means'), teaching(ctx, ids)),
      section('findings', tr(l, '本片所见', 'On this film'), nothingShown(ctx, film.seen, shownOn)),
      section('limits', tr(l, '说明', 'Notes'), [
        item(
          tr(
            l,
            '征象只是影像特征,不能单独据此诊断;结论由阅片医师结合临床作出。',
            'A sign is an imaging feature, not a diagnosis on its own; the reading physician draws the conclusion ' +
              'with the clinical context.',
          ),
        ),
      ]),
    ],
    suggestions: anchors[0]
      ? [
          tr(l, `${anchors[0].id}边缘是否规则?`, `Is ${anchors[0].id}'s margin regular?`),
          tr(l, '下一步建议怎么做?', 'What do you recommend?'),
        ]
      : [tr(l, '肺部是否有异常?', 'Is anything abnormal in the lungs?')],
    annotations: film.annotations,
    focusAnchorId: shownOn ?? (named ? anchors[0]?.id : undefined),
  };
}
