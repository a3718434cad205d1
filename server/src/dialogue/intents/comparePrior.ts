import type { Anchor, Annotation, Lang, Point } from '../../contract';
import { compareWithPrior, type LesionComparison, type PriorComparison } from '../../analysis/prior/compare';
import { comparableRoots, currentLesionOf } from '../../analysis/prior/lesions';
import {
  comparedWith,
  lesionEvidence,
  lesionSentence,
  priorOnlySentence,
  registrationEvidence,
  summarySentence,
} from '../../analysis/prior/text';
import { polygonCentroid } from '../../geometry/polygon';
import { lengthMeasurement } from '../../geometry/units';
import { nowIso } from '../../ids';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';

/** The registered prior outline: dashed, in a colour of its own (docs/prior.md). */
const PRIOR_COLOR = '#90CAF9';

function howToAttach(l: Lang): string {
  return tr(
    l,
    '附加前片的方法:在右侧 CXR Copilot 面板点击“与既往片比较(日期)”;该按钮在 DICOMweb 服务器上有该患者较早的 CR/DX ' +
      '正位胸片时出现。前片须早于本片且为正位胸片。',
    "To attach a prior: choose 'Compare with prior (date)' in the CXR Copilot panel; it appears when the " +
      'DICOMweb server holds an earlier CR/DX frontal chest film of the same patient; ' +
      'the prior must be an earlier frontal film.',
  );
}

function noPrior(ctx: TurnContext, expired: boolean): IntentResult {
  const l = ctx.lang;
  const subject = ctx.resolved[0]?.anchorId ?? null;
  return {
    headline: expired
      ? tr(
          l,
          '附加的前片分析已过期或已删除,无法对比;请重新附加前片。',
          'The attached prior analysis has expired or was deleted, so change cannot be assessed; ' +
            'attach the prior again.',
        )
      : tr(
          l,
          '本会话没有附加前片,无法判断变化。',
          'No prior radiograph is attached to this session, so change cannot be assessed.',
        ),
    sections: [
      section('comparison', tr(l, '如何附加前片', 'How to attach a prior'), [item(howToAttach(l))]),
      section('limits', tr(l, '说明', 'Notes'), [
        item(
          tr(
            l,
            '单张片子无法判断病灶是新发、增大还是稳定;与旧片对比通常是最简单的下一步。',
            'A single film cannot tell whether a finding is new, growing or stable; comparing with old films ' +
              'is usually the simplest next step.',
          ),
          subject ? [subject] : [],
        ),
      ]),
    ],
    suggestions: [
      tr(l, '下一步建议怎么做?', 'What do you recommend?'),
      tr(l, '描述一下这个病灶', 'Describe this lesion.'),
    ],
  };
}

/** The subjects: the resolved region anchor, or every finding and drawn region (film-level question). */
function subjects(ctx: TurnContext): Anchor[] {
  const ids = ctx.resolved.map((r) => r.anchorId).filter((x): x is string => !!x);
  const roots = ids.map((id) => ctx.anchor(id)).filter((a): a is Anchor => !!a);
  return roots.length ? roots : comparableRoots(ctx.state.session.anchors);
}

/**
 * The `measurement` anchor of a matched pair (api.md 8.4): both sizes and the change; its geometry is
 * the registered prior outline.
 */
function pairAnchor(ctx: TurnContext, root: Anchor, c: LesionComparison, outline: Point[]): Anchor {
  const id = ctx.newAnchorId();
  const src = ctx.entry.analysis.image.spacingSource;
  const ch = c.change!;
  const mmPx = ctx.entry.analysis.image.pixelSpacingMm;
  const px = (mm: number | null) => (mm !== null && mmPx ? mm / Math.sqrt(mmPx[0] * mmPx[1]) : 0);
  const d = c.prior!.size;
  const measurements = [
    lengthMeasurement('diameter', { zh: '前片平均径', en: 'Prior mean diameter' }, d.diameterPx, ch.priorMm, src),
    lengthMeasurement(
      'diameter',
      { zh: '本片平均径', en: 'Current mean diameter' },
      px(ch.currentMm),
      ch.currentMm,
      src,
    ),
  ];
  if (ch.changeMm !== null) {
    const pct = `${ch.changePercent! > 0 ? '+' : ''}${ch.changePercent}%`;
    const days = ch.intervalDays ?? '?';
    const label = {
      zh: `大小变化${ch.changeMm > 0 ? '(增大)' : ch.changeMm < 0 ? '(缩小)' : ''} ${pct},间隔${days}天`,
      en: `Size change${ch.changeMm > 0 ? ' (larger)' : ch.changeMm < 0 ? ' (smaller)' : ''} ${pct}, ${days} days`,
    };
    measurements.push(lengthMeasurement('length', label, px(Math.abs(ch.changeMm)), Math.abs(ch.changeMm), src));
  }
  const center = polygonCentroid(outline);
  return {
    id,
    kind: 'measurement',
    parentId: root.id,
    createdAt: nowIso(),
    createdByTurnId: ctx.turnId,
    label: {
      zh: `${id} ${root.id}与前片${c.prior!.findingId}对比`,
      en: `${id} ${root.id} vs prior ${c.prior!.findingId}`,
    },
    findingId: null,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'polygon', points: outline },
    center: [Math.round(center[0] * 100) / 100, Math.round(center[1] * 100) / 100],
    location: root.location,
    measurements,
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
  };
}

function changeLabel(l: Lang, c: LesionComparison): string {
  const ch = c.change;
  if (c.status === 'new') return tr(l, `${c.anchorId} 新发`, `${c.anchorId} new`);
  if (c.status === 'probably_present_before')
    return tr(l, `${c.anchorId} 前片可能已存在`, `${c.anchorId} probably present before`);
  if (!ch || ch.changeMm === null) return tr(l, `${c.anchorId} 变化不详`, `${c.anchorId} change unknown`);
  const d = `${ch.changeMm > 0 ? '+' : ''}${ch.changeMm} mm (${ch.changePercent! > 0 ? '+' : ''}${ch.changePercent}%)`;
  const word = { larger: ['增大', 'larger'], smaller: ['缩小', 'smaller'], stable: ['稳定', 'stable'] }[
    ch.trend as 'larger' | 'smaller' | 'stable'
  ] ?? ['', ''];
  return tr(l, `${c.anchorId} ${word[0]} ${d}`, `${c.anchorId} ${word[1]} ${d}`);
}

interface Drawn {
  annotations: Annotation[];
  created: Anchor[];
}

/** Current outline solid, registered prior outline dashed, a label with the change (api.md 10.7). */
function drawLesion(ctx: TurnContext, root: Anchor, refined: Anchor | null, c: LesionComparison, out: Drawn): void {
  const l = ctx.lang;
  const current = refined ?? root;
  let labelAnchor = root.id;
  out.annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: current.id,
    replaces: null,
    kind: 'outline',
    geometry: current.geometry,
    style: style(COLORS.refinement, { lineWidth: 3, emphasis: 'focus' }),
    measurement: current.measurements.find((m) => m.name === 'diameter') ?? null,
  });
  if (c.status === 'matched' && c.priorOutlineOnCurrent && c.change) {
    const pa = pairAnchor(ctx, root, c, c.priorOutlineOnCurrent);
    out.created.push(pa);
    labelAnchor = pa.id;
    out.annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: pa.id,
      replaces: null,
      kind: 'outline',
      geometry: pa.geometry,
      style: style(PRIOR_COLOR, { lineDash: 'dashed', lineWidth: 2 }),
      measurement: pa.measurements[0] ?? null,
    });
  }
  const ys = current.geometry.type === 'polygon' ? current.geometry.points.map((p) => p[1]) : [current.center[1]];
  out.annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: labelAnchor,
    replaces: null,
    kind: 'label',
    point: [current.center[0], Math.max(0, Math.min(...ys) - 8)],
    text: changeLabel(l, c),
    style: style(PRIOR_COLOR),
    measurement: null,
  });
}

/**
 * A prior finding with no current lesion: its registered outline, dashed, and a label; no anchor,
 * since nothing was found there now.
 */
function drawPriorOnly(ctx: TurnContext, p: PriorComparison['priorOnly'][number], out: Drawn): void {
  const l = ctx.lang;
  const pts = p.outlineOnCurrent;
  if (pts.length < 3) return;
  out.annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'outline',
    geometry: { type: 'polygon', points: pts },
    style: style(PRIOR_COLOR, { lineDash: 'dashed', lineWidth: 2 }),
    // names the outline in the measurements panel and the SR: the prior finding and its size then
    measurement: lengthMeasurement(
      'diameter',
      { zh: `前片${p.prior.findingId}(本片未检出)`, en: `Prior ${p.prior.findingId} (not detected now)` },
      p.prior.size.diameterPx,
      p.prior.size.diameterMm,
      ctx.prior?.analysis.image.spacingSource ?? 'none',
    ),
  });
  const top = pts.reduce((a, b) => (b[1] < a[1] ? b : a));
  out.annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'label',
    point: [top[0], Math.max(0, top[1] - 8)],
    text: p.stillVisible
      ? tr(l, `前片${p.prior.findingId} 仍可见(未检出)`, `prior ${p.prior.findingId} still visible (not detected)`)
      : tr(l, `前片${p.prior.findingId} 本片未见`, `prior ${p.prior.findingId} not seen now`),
    style: style(PRIOR_COLOR),
    measurement: null,
  });
}

function refusal(ctx: TurnContext, cmp: PriorComparison): IntentResult {
  const l = ctx.lang;
  return {
    headline: cmp.refusal![l],
    sections: [
      section('limits', tr(l, '无法对比', 'Not compared'), [item(cmp.refusal![l], [], registrationEvidence(cmp))]),
    ],
    suggestions: [tr(l, '下一步建议怎么做?', 'What do you recommend?')],
  };
}

function limitsItems(l: Lang, cmp: PriorComparison): ReturnType<typeof item>[] {
  const r = cmp.registration!;
  const res = r.residualMm !== null ? `${r.residualMm.toFixed(1)} mm` : `${r.residualPx.toFixed(1)} px`;
  return [
    item(
      tr(
        l,
        `两片按解剖标志点(${r.landmarkCount}个)与肺野轮廓配准,残差约 ${res};大小为估计值,每片的测量误差见各条。`,
        `The films were registered on ${r.landmarkCount} anatomical landmarks and the lung outlines ` +
          `(residual about ${res}); sizes are estimates, with the measurement error given per lesion.`,
      ),
      [],
      registrationEvidence(cmp),
    ),
    item(
      tr(
        l,
        '变化量由两片同一解剖位置、同一方法(半高宽面积等效直径)测得之差;前片大小 = 本片大小减去该变化。',
        'The change is the difference of the same measurement (half-maximum equivalent diameter) at the same ' +
          'anatomical place on both films; the prior size is the current size minus that change.',
      ),
    ),
    item(
      tr(
        l,
        '大小稳定提示生长缓慢,但不能据此判断良恶性;是否需要CT由医生结合征象决定。',
        'A stable size suggests slow growth but does not make a lesion benign; whether CT is needed is ' +
          'the physician’s decision with the signs.',
      ),
    ),
  ];
}

/**
 * "和上次的片子比有没有变大 / has it grown since the prior film / anything new" (api.md 10.7
 * `compare_prior`): registers the prior onto this film, matches its findings to the subject(s) and
 * states both sizes, the change (mm, %), the measurement error and the interval. Without a prior the
 * answer says none is attached and how to attach one.
 */
export function comparePrior(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const prior = ctx.state.session.prior ?? null;
  if (!prior) return noPrior(ctx, false);
  if (!ctx.prior) return noPrior(ctx, true);
  const roots = subjects(ctx);
  const drawn: Drawn = { annotations: [], created: [] };
  const refinedOf = new Map<string, Anchor | null>();
  let cache: 'hit' | 'miss' | null = null;
  for (const root of roots) {
    const r = ensureRefinement(ctx, root);
    if (r.created) drawn.created.push(r.created);
    cache = cache === 'miss' ? 'miss' : (r.cache ?? cache);
    refinedOf.set(root.id, r.anchor);
  }
  const lesions = roots
    .map((root) => currentLesionOf(ctx.entry, root, refinedOf.get(root.id) ?? null))
    .filter((x): x is NonNullable<typeof x> => !!x);
  const cmp = compareWithPrior({ current: ctx.entry, prior: ctx.prior, lesions, intervalDays: prior.intervalDays });
  if (!cmp.ok) return refusal(ctx, cmp);
  const src = ctx.entry.analysis.image.spacingSource;
  const items = cmp.lesions.map((c) => {
    const root = roots.find((a) => a.id === c.anchorId)!;
    drawLesion(ctx, root, refinedOf.get(root.id) ?? null, c, drawn);
    return item(lesionSentence(c, cmp.intervalDays)[l], [c.anchorId], lesionEvidence(c, src));
  });
  const filmLevel = !ctx.resolved.some((r) => r.anchorId);
  if (filmLevel)
    for (const p of cmp.priorOnly) {
      items.push(item(priorOnlySentence(p)[l]));
      drawPriorOnly(ctx, p, drawn);
    }
  const single = cmp.lesions.length === 1 ? lesionSentence(cmp.lesions[0]!, cmp.intervalDays)[l] : null;
  return {
    headline: single ?? summarySentence(cmp)[l],
    sections: [
      section('comparison', comparedWith(cmp.intervalDays)[l], items),
      section('limits', tr(l, '说明', 'Notes'), limitsItems(l, cmp)),
    ],
    suggestions: [tr(l, '下一步建议怎么做?', 'What do you recommend?')],
    annotations: drawn.annotations,
    createdAnchors: drawn.created,
    focusAnchorId: roots.length === 1 ? roots[0]!.id : undefined,
    refinementCache: cache,
  };
}
