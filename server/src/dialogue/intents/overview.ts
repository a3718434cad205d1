import type { Annotation, AnswerItem, Bilingual, Finding } from '../../contract';
import { item, limitsOnly, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { ctrStatement } from '../../report/ctr';
import { shapeAndNoun } from '../../report/phrases';
import { lesionSize, marginWords, refinementOf } from '../../report/story';
import { OVERVIEW_REFINE_MAX, previewRefinement } from '../refinement';
import { COLORS, style } from '../palette';

type Lang = TurnContext['lang'];
type Domain = NonNullable<TurnContext['entry']['analysis']['domain']>;
type FindingAnchor = TurnContext['state']['session']['anchors'][number];

function noLesionModel(l: Lang): IntentResult {
  return limitsOnly(
    l,
    {
      zh: '未安装病灶检测模型,无法自动判断是否有异常。',
      en: 'No lesion model is installed, so abnormalities cannot be detected automatically.',
    },
    { zh: '您仍可画点或区域进行测量和定位。', en: 'You can still draw points or regions to measure and locate.' },
    { zh: '你能做什么?', en: 'What can I ask?' },
  );
}

/**
 * One size and one margin per lesion (api.md 6.1): the refined long × short axis and the margin of the
 * refined sign calls — the same the later answers and the report quote; never both sizes. The detector
 * size is replaced by the refined one on the finding anchor itself, so the report, the SR and every later
 * answer quote the same size even if the lesion is never asked about. The first findings' refinements are
 * usually cached already (computed right after the analysis, refinement.ts `prerefineFindings`).
 */
function adoptRefinedSize(ctx: TurnContext, a: FindingAnchor, i: number): void {
  if (refinementOf(ctx.state.session, a) || i >= OVERVIEW_REFINE_MAX) return;
  if (a.measurements.some((m) => m.name === 'longAxis')) return;
  const preview = previewRefinement(ctx, a);
  if (preview && preview.measurements.some((m) => m.name === 'longAxis'))
    a.measurements = preview.measurements.map((m) => ({ ...m }));
}

/** A finding's sentence: "A 12 × 9 mm round nodule in the RML, smooth margin". */
function findingSentence(l: Lang, f: Finding, sizeText: { zh: string; en: string }, marginW: Bilingual | null): string {
  const place = f.location.text[l];
  const words = shapeAndNoun(f);
  const shape = words.shape[l];
  const noun = words.noun[l];
  if (l === 'zh') return `${place || '图像上'}可见一${sizeText.zh}${shape}${noun}${marginW ? `,${marginW.zh}` : ''}`;
  const article = /^(8|11|18)/.test(sizeText.en) ? 'An' : 'A';
  const where = place ? ` in the ${place}` : '';
  return `${article} ${sizeText.en} ${shape} ${noun}${where}${marginW ? `, ${marginW.en}` : ''}`;
}

/** A finding's region, label and list item. */
function findingEntry(ctx: TurnContext, a: FindingAnchor, i: number): { annotations: Annotation[]; line: AnswerItem } {
  const l = ctx.lang;
  const f = ctx.entry.analysis.findings.find((x) => x.id === a.findingId)!;
  adoptRefinedSize(ctx, a, i);
  const refined = refinementOf(ctx.state.session, a);
  const dia = a.measurements.find((m) => m.name === 'diameter') ?? null;
  const size = lesionSize(a, refined, f);
  const marginW = refined ? marginWords(refined.signs, f) : null; // margin only once the margin was analysed
  const annotations: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: a.id,
      replaces: null,
      kind: 'region',
      polygons: [f.contour],
      style: style(COLORS.finding, { opacity: 0.25 }),
      measurement: size.refined ? null : dia,
    },
    {
      id: ctx.newAnnotationId(),
      anchorId: a.id,
      replaces: null,
      kind: 'label',
      point: [f.bbox[2], f.bbox[1]],
      text: dia || size.refined ? `${a.id} ${size.text[l]}` : a.id,
      style: style(COLORS.finding, { opacity: 1, lineWidth: 1 }),
      measurement: null,
    },
  ];
  const ev = [
    { name: 'score', value: Math.round(f.score * 100) / 100, unit: 'fraction' as const },
    ...size.evidence,
    ...(f.location.lobe ? [{ name: 'lobe', value: f.location.lobe, unit: null }] : []),
  ];
  const score = tr(l, `(检测置信度 ${f.score.toFixed(2)})`, ` (detector score ${f.score.toFixed(2)})`);
  const line = item(`${a.id}${sep(l)}${findingSentence(l, f, size.text, marginW)}${score}`, [a.id], ev);
  return { annotations, line };
}

/** api.md 4.3/6.1: out of the validated domain → say so; only the high-confidence band (or nothing) is reported. */
function domainText(l: Lang, dom: Domain | null): string | null {
  if (!dom) return null;
  const why = dom.reasons.map((r) => r[l]).join(tr(l, ';', '; '));
  return dom.score === 0
    ? tr(
        l,
        `此图像不像成人正位胸片(${why}),检测器未在此类图像上验证,不报告任何病灶。`,
        `This image does not look like an adult frontal chest radiograph (${why}); the detector was not ` +
          `validated on such images and reports no findings.`,
      )
    : tr(
        l,
        `检测器未在此类图像上验证(${why}),仅报告高置信度结果,可能漏检。`,
        `The detector was not validated on this kind of image (${why}); only high-confidence findings are ` +
          `reported and lesions may be missed.`,
      );
}

function heatmapLayer(ctx: TurnContext): Annotation {
  return {
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'heatmap',
    url: `/api/v1/analyses/${ctx.entry.analysis.id}/heatmap.png`,
    colormap: 'hot',
    style: style(COLORS.heatmap, {
      opacity: 0.4,
      visible: /热力图|热图|heat ?map|probability map/i.test(ctx.understanding.normalizedText),
    }),
    measurement: null,
  };
}

function limitItems(l: Lang, domText: string | null, dom: Domain | null, threshold: number | null): AnswerItem[] {
  return [
    ...(domText ? [item(domText, [], [{ name: 'domainScore', value: dom!.score, unit: 'fraction' as const }])] : []),
    item(
      tr(
        l,
        '检测器在肺门、心影后、膈下及肺尖等重叠区域敏感性较低;结果供阅片参考,不是诊断。',
        'The detector is less sensitive where lesions overlap the hila, heart, diaphragm or apices; results ' +
          'support a reader and are not a diagnosis.',
      ),
    ),
    ...(threshold !== null
      ? [
          item(
            tr(l, `工作点阈值 ${threshold}`, `Operating point threshold ${threshold}`),
            [],
            [{ name: 'operatingPoint', value: threshold, unit: 'fraction' }],
          ),
        ]
      : []),
  ];
}

/** The left hilum level with or above the right: the usual relation, stated as normal. */
function hilaItem(ctx: TurnContext): AnswerItem | null {
  const marks = ctx.entry.analysis.anatomy.landmarks;
  const hr = marks.find((m) => m.id === 'hilum_right');
  const hl = marks.find((m) => m.id === 'hilum_left');
  if (!hr || !hl || hl.point[1] > hr.point[1]) return null;
  return item(
    tr(
      ctx.lang,
      '左肺门高于或平右肺门,肺门位置符合常见解剖关系。',
      'The left hilum is level with or above the right, the usual relation.',
    ),
    [],
    [
      { name: 'hilumLeftY', value: Math.round(hl.point[1]), unit: 'px' as const },
      { name: 'hilumRightY', value: Math.round(hr.point[1]), unit: 'px' as const },
    ],
  );
}

type Ctr = ReturnType<typeof ctrStatement>;

/**
 * The "nothing suspicious / unremarkable" section: the normal heart and hila, and no finding at the
 * operating point.
 */
function normalSections(
  ctx: TurnContext,
  nFindings: number,
  normalItems: AnswerItem[],
  heartAbnormal: boolean,
  threshold: number | null,
) {
  const l = ctx.lang;
  if (nFindings > 0)
    return normalItems.length ? [section('normal', tr(l, '未见明显异常', 'Unremarkable'), normalItems)] : [];
  const structures = ctx.entry.analysis.anatomy.structures.map((s) => s.label[l]).join(tr(l, '、', ', '));
  const title = heartAbnormal
    ? tr(l, '肺内未见可疑病灶', 'No suspicious lung lesion')
    : tr(l, '未见异常', 'Nothing suspicious');
  const none = item(
    tr(
      l,
      `在模型工作点下未检出可疑结节、肿块或实变影。${structures ? `已评估:${structures}。` : ''}`,
      `No suspicious nodule, mass or opacity was detected at the model's operating ` +
        `point.${structures ? ` Assessed: ${structures}.` : ''}`,
    ),
    [],
    threshold !== null ? [{ name: 'operatingPoint', value: threshold, unit: 'fraction' }] : [],
  );
  return [section('normal', title, [...normalItems, none])];
}

/** The headline: the domain warning, the findings (or none), and a heart that is not normal. */
function overviewHeadline(l: Lang, ids: string[], domText: string | null, dom: Domain | null, ctr: Ctr): string {
  if (dom && dom.score === 0) return domText!;
  const heartAbnormal = ctr?.grade === 'enlarged' || ctr?.grade === 'borderline';
  const found =
    ids.length === 0
      ? heartAbnormal
        ? tr(l, '肺内未发现可疑病灶。', 'No suspicious lung lesion was found.')
        : tr(l, '未发现可疑病灶。', 'Nothing suspicious was found.')
      : tr(
          l,
          `发现 ${ids.length} 处可疑病灶:${ids.join('、')}。`,
          `${ids.length} suspicious finding${ids.length > 1 ? 's' : ''}: ${ids.join(', ')}.`,
        );
  const ratio = ctr ? ctr.value.toFixed(2) : '';
  const heart =
    ctr?.grade === 'enlarged'
      ? tr(l, `心影增大(心胸比${ratio})。`, ` Enlarged cardiac silhouette (cardiothoracic ratio ${ratio}).`)
      : ctr?.grade === 'borderline'
        ? tr(l, `心影大小临界(心胸比${ratio})。`, ` Borderline heart size (cardiothoracic ratio ${ratio}).`)
        : '';
  return (domText ? domText + (l === 'zh' ? '' : ' ') : '') + found + heart;
}

/** "Is anything abnormal?": every finding as its own anchor, highlighted (api.md 10.7 `overview`). */
export function overview(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const analysis = ctx.entry.analysis;
  if (!analysis.models.some((m) => m.name === 'cxr-lesion')) return noLesionModel(l);
  const findingAnchors = ctx.state.session.anchors.filter((a) => a.kind === 'finding');
  const entries = findingAnchors.map((a, i) => findingEntry(ctx, a, i));
  const annotations = entries.flatMap((e) => e.annotations);
  const threshold = ctx.analysers.lesion?.threshold ?? null;
  const dom = analysis.domain && !analysis.domain.inDomain ? analysis.domain : null;
  const domText = domainText(l, dom);
  annotations.push(heatmapLayer(ctx));
  // The CTR is always stated with its grade (api.md 5.5); a heart that is not normal is never
  // listed under "nothing suspicious".
  const ctr = ctrStatement(analysis);
  const ctrItem = ctr ? item(ctr.text[l], [], ctr.evidence) : null;
  const hila = hilaItem(ctx);
  const normalItems = [...(ctr?.grade === 'normal' && ctrItem ? [ctrItem] : []), ...(hila ? [hila] : [])];
  const findingItems = [...entries.map((e) => e.line), ...(ctr && ctr.grade !== 'normal' && ctrItem ? [ctrItem] : [])];
  const heartAbnormal = ctr?.grade === 'enlarged' || ctr?.grade === 'borderline';
  const ids = findingAnchors.map((a) => a.id);
  return {
    headline: overviewHeadline(l, ids, domText, dom, ctr),
    sections: [
      ...(findingItems.length ? [section('findings', tr(l, '所见', 'Findings'), findingItems)] : []),
      ...normalSections(ctx, ids.length, normalItems, heartAbnormal, threshold),
      section('limits', tr(l, '限制', 'Limits'), limitItems(l, domText, dom, threshold)),
    ],
    suggestions: ids.length
      ? [tr(l, `${ids[0]}边缘是否规则?`, `Is ${ids[0]}'s margin regular?`), tr(l, '显示热力图', 'Show the heatmap')]
      : [tr(l, '心胸比是多少?', 'What is the cardiothoracic ratio?')],
    annotations,
    focusAnchorId: findingAnchors[0]?.id,
    listed: ids,
    links: [{ rel: 'heatmap', href: `/api/v1/analyses/${analysis.id}/heatmap.png`, type: 'image/png' }],
  };
}
