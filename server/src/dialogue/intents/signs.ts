import type { Anchor, Annotation, AnswerItem, SignAssessment } from '../../contract';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { evidenceSummary, indeterminateReason, signGloss, statusWord } from '../evidenceText';
import { lesionSize } from '../../report/story';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { notchMarkers, spiculeMarkers } from './markers';
import { noSubject } from './subject';

export const MARGIN_SIGNS = [
  'margin_smooth',
  'margin_lobulated',
  'margin_spiculated',
  'margin_ill_defined',
  'notch_sign',
];
export const DENSITY_SIGNS = ['homogeneous_density', 'calcification', 'cavitation', 'vacuole_sign', 'air_bronchogram'];
const MARGIN_CLASS = ['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined'];

interface Refined {
  root: Anchor;
  refined: Anchor;
  cache: 'hit' | 'miss';
  created: Anchor[];
}

/** Resolves the subject and makes sure it has a refinement; null with the reason as an answer. */
export function refinedSubject(ctx: TurnContext): Refined | IntentResult {
  const root = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  if (!root) return noSubject(ctx);
  const r = ensureRefinement(ctx, root);
  if (!r.anchor) {
    return {
      headline: tr(
        ctx.lang,
        `${root.id} 是一个点,没有轮廓可分析;请画出区域。`,
        `${root.id} is a point with no outline to analyse; draw a region.`,
      ),
      sections: [],
      suggestions: [],
      focusAnchorId: root.id,
    };
  }
  return { root, refined: r.anchor, cache: r.cache ?? 'miss', created: r.created ? [r.created] : [] };
}

export const isRefined = (x: Refined | IntentResult): x is Refined => 'refined' in x;

/** The sign's ontology name in the turn language. */
export function signName(ctx: TurnContext, id: string): string {
  return ctx.ontology.signById.get(id)?.name[ctx.lang] ?? id;
}

export function signItem(ctx: TurnContext, r: Refined, s: SignAssessment): AnswerItem {
  // An undecided sign gives its reason, not zero counts; English names the Chinese-school signs
  // with their gloss ("notch sign (脐凹征): …").
  const summary =
    s.status === 'indeterminate'
      ? indeterminateReason(s, ctx.lang) || evidenceSummary(s.evidence, ctx.lang)
      : evidenceSummary(s.evidence, ctx.lang);
  const gloss = ctx.lang === 'en' ? signGloss(s.signId) : '';
  const text = tr(
    ctx.lang,
    `${r.root.id}${signName(ctx, s.signId)}:${statusWord(s.status, 'zh')}${summary ? `(${summary})` : ''}。`,
    `${r.root.id} ${signName(ctx, s.signId)}${gloss ? ` (${gloss})` : ''}: ${statusWord(s.status, 'en')}` +
      `${summary ? ` (${summary})` : ''}.`,
  );
  return item(text, [r.root.id, r.refined.id], s.evidence, { signId: s.signId, status: s.status });
}

/** The margin class the answer leads with: the most confident present margin sign (api.md 9.1). */
export function leadMargin(signs: SignAssessment[]): SignAssessment | null {
  const present = signs.filter((s) => MARGIN_CLASS.includes(s.signId) && s.status === 'present');
  present.sort((a, b) => b.confidence - a.confidence);
  return present[0] ?? null;
}

/** The refined outline, replacing the root's coarse region/outline if one is drawn. */
export function refinedOutline(ctx: TurnContext, r: Refined): Annotation[] {
  const coarse = ctx.state.session.annotations.find(
    (n) => n.anchorId === r.root.id && (n.kind === 'region' || n.kind === 'outline'),
  );
  const existing = ctx.state.session.annotations.find((n) => n.anchorId === r.refined.id && n.kind === 'outline');
  const dia = r.refined.measurements.find((m) => m.name === 'diameter') ?? null;
  return [
    {
      id: existing?.id ?? ctx.newAnnotationId(),
      anchorId: r.refined.id,
      replaces: coarse?.id ?? null,
      kind: 'outline',
      geometry: r.refined.geometry,
      style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
      measurement: dia,
    },
  ];
}

/** The lesion's one size (api.md 6.1): the refined long × short axis, quoted the same everywhere. */
function sizeItems(ctx: TurnContext, r: Refined): AnswerItem[] {
  const f = r.root.findingId ? ctx.entry.analysis.findings.find((x) => x.id === r.root.findingId) : undefined;
  const sz = lesionSize(r.root, r.refined, f);
  if (!sz.refined) return [];
  const src = ctx.entry.analysis.image.spacingSource;
  const est = src === 'none' ? '' : tr(ctx.lang, '(长径 × 短径,估计值)', ' (long × short axis, estimate)');
  return [
    item(
      tr(
        ctx.lang,
        `${r.root.id}精细轮廓大小${sz.text.zh}${est}。`,
        `${r.root.id} refined outline: ${sz.text.en}${est}.`,
      ),
      [r.root.id, r.refined.id],
      sz.evidence,
    ),
  ];
}

const limitsItem = (ctx: TurnContext) =>
  item(
    tr(
      ctx.lang,
      'X线片为重叠投影,细小征象可能被肋骨或血管遮挡;征象建议CT进一步确认。',
      'A radiograph is a summation image: fine features can be hidden by ribs or vessels; confirm on CT.',
    ),
  );

type RefinedAnchor = Refined['refined'];
/** The notches and spicule tips of a refined outline as marker sets. */
function featureMarkers(ctx: TurnContext, refined: RefinedAnchor): Annotation[] {
  return [...notchMarkers(ctx, refined), ...spiculeMarkers(ctx, refined)];
}

/** "Is its margin regular?": the five margin signs, notches and spicules drawn (api.md 10.7 `margin`). */
export function margin(ctx: TurnContext): IntentResult {
  const r = refinedSubject(ctx);
  if (!isRefined(r)) return r;
  const l = ctx.lang;
  const signs = MARGIN_SIGNS.map((id) => r.refined.signs.find((s) => s.signId === id)).filter(
    (s): s is SignAssessment => !!s,
  );
  const asked = ctx.understanding.signsAsked.filter((id) => MARGIN_SIGNS.includes(id));
  const shown =
    asked.length && asked.length < MARGIN_SIGNS.length
      ? signs.filter((s) => asked.includes(s.signId) || MARGIN_CLASS.includes(s.signId))
      : signs;
  // A pleural tail is a margin feature too when the question asks about it.
  const tail = r.refined.signs.find((s) => s.signId === 'pleural_indentation');
  if (tail && ctx.understanding.signsAsked.includes('pleural_indentation')) shown.push(tail);
  const lead = leadMargin(signs);
  const annotations = [...refinedOutline(ctx, r), ...featureMarkers(ctx, r.refined)];
  const leadName = lead ? signName(ctx, lead.signId) : null;
  const quality = !lead
    ? null
    : lead.signId === 'margin_smooth'
      ? { zh: '较光整', en: 'smooth' }
      : lead.signId === 'margin_ill_defined'
        ? { zh: '模糊', en: 'ill-defined' }
        : { zh: '不规则', en: 'irregular' };
  const headline =
    lead && quality
      ? tr(
          l,
          `${r.root.id}边缘${quality.zh}:以${leadName}为主(置信度${lead.confidence.toFixed(2)})。`,
          `${r.root.id}'s margin is ${quality.en}: mainly ${leadName} (confidence ${lead.confidence.toFixed(2)}).`,
        )
      : tr(
          l,
          `${r.root.id}边缘特征证据不足,无法判断。`,
          `The evidence on ${r.root.id}'s margin is too weak: indeterminate.`,
        );
  return {
    headline,
    sections: [
      section(
        'signs',
        tr(l, '边缘征象', 'Margin signs'),
        shown.map((s) => signItem(ctx, r, s)),
      ),
      section('measurements', tr(l, '测量(估计值)', 'Measurements (estimates)'), sizeItems(ctx, r)),
      section('limits', tr(l, '说明', 'Notes'), [limitsItem(ctx)]),
    ],
    suggestions: [
      tr(l, '这个病灶距离右肺门有多远?', 'How far is it from the hilum?'),
      tr(l, '病灶内部有钙化或空洞吗?', 'Is there calcification or a cavity inside it?'),
    ],
    annotations,
    createdAnchors: r.created,
    focusAnchorId: r.root.id,
    refinementCache: r.cache,
  };
}

/** Internal content: calcification, cavity, vacuoles, air bronchogram, homogeneity (api.md 10.7 `density`). */
export function density(ctx: TurnContext): IntentResult {
  const r = refinedSubject(ctx);
  if (!isRefined(r)) return r;
  const l = ctx.lang;
  const asked = ctx.understanding.signsAsked.filter((id) => DENSITY_SIGNS.includes(id));
  const ids = asked.length ? asked : DENSITY_SIGNS;
  const signs = ids.map((id) => r.refined.signs.find((s) => s.signId === id)).filter((s): s is SignAssessment => !!s);
  const present = signs.filter((s) => s.status === 'present' && s.signId !== 'homogeneous_density');
  const headline = present.length
    ? tr(
        l,
        `${r.root.id}内部可见:${present.map((s) => signName(ctx, s.signId)).join('、')}。`,
        `Inside ${r.root.id}: ${present.map((s) => signName(ctx, s.signId)).join(', ')}.`,
      )
    : tr(
        l,
        `${r.root.id}内部未见明确${ids.map((id) => signName(ctx, id)).join('、')}(部分为X线难以判断)。`,
        `No definite ${ids.map((id) => signName(ctx, id)).join(', ')} inside ${r.root.id} (some cannot be judged ` +
          `on a radiograph).`,
      );
  return {
    headline,
    sections: [
      section(
        'signs',
        tr(l, '内部密度', 'Internal density'),
        signs.map((s) => signItem(ctx, r, s)),
      ),
      section('limits', tr(l, '说明', 'Notes'), [
        item(
          tr(
            l,
            'X线对钙化、小空泡和支气管充气征的显示远不如CT。',
            'Radiographs show calcification, small vacuoles and air bronchograms far less reliably than CT.',
          ),
        ),
      ]),
    ],
    suggestions: [tr(l, '边缘是否规则?', 'Is the margin regular?')],
    annotations: refinedOutline(ctx, r),
    createdAnchors: r.created,
    focusAnchorId: r.root.id,
    refinementCache: r.cache,
  };
}

/** Describe one anchor: location, size, shape, margin and density in one answer (api.md 10.7 `describe_finding`). */
export function describeFinding(ctx: TurnContext): IntentResult {
  const r = refinedSubject(ctx);
  if (!isRefined(r)) return r;
  const l = ctx.lang;
  const f = r.root.findingId ? ctx.entry.analysis.findings.find((x) => x.id === r.root.findingId) : null;
  const lead = leadMargin(r.refined.signs);
  const signs = r.refined.signs.filter((s) => s.status === 'present');
  const loc = r.root.location?.text[l] ?? '';
  const sz = lesionSize(r.root, r.refined, f ?? undefined);
  const headline = tr(
    l,
    `${r.root.id}:${loc}${loc ? ',' : ''}大小${sz.text.zh}${lead ? `,${signName(ctx, lead.signId)}` : ''}。`,
    `${r.root.id}: ${sz.text.en}${loc ? ` in the ${loc}` : ''}${lead ? `; ${signName(ctx, lead.signId)}` : ''}.`,
  );
  return {
    headline,
    sections: [
      section('location', tr(l, '位置', 'Location'), [
        item(
          `${r.root.id}${sep(l)}${loc}`,
          [r.root.id],
          r.root.location?.lobe ? [{ name: 'lobe', value: r.root.location.lobe, unit: null }] : [],
        ),
      ]),
      section('measurements', tr(l, '测量(估计值)', 'Measurements (estimates)'), sizeItems(ctx, r)),
      section(
        'signs',
        tr(l, '征象', 'Signs'),
        (signs.length ? signs : r.refined.signs.slice(0, 4)).map((s) => signItem(ctx, r, s)),
      ),
      section('limits', tr(l, '说明', 'Notes'), [limitsItem(ctx)]),
    ],
    suggestions: [
      tr(l, '边缘是否规则?', 'Is the margin regular?'),
      tr(l, '这个病灶距离右肺门有多远?', 'How far is it from the hilum?'),
    ],
    annotations: refinedOutline(ctx, r),
    createdAnchors: r.created,
    focusAnchorId: r.root.id,
    refinementCache: r.cache,
  };
}
