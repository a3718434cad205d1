import type { Annotation } from '../../contract';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { ctrStatement } from '../../report/ctr';
import { shapeAndNoun } from '../../report/phrases';
import { lesionSize, marginWords, refinementOf } from '../../report/story';
import { OVERVIEW_REFINE_MAX, previewRefinement } from '../refinement';
import { COLORS, style } from '../palette';

/** "Is anything abnormal?": every finding as its own anchor, highlighted (api.md 10.7 `overview`). */
export function overview(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const analysis = ctx.entry.analysis;
  const lesionRef = analysis.models.find((m) => m.name === 'cxr-lesion');
  if (!lesionRef) {
    return {
      headline: tr(
        l,
        '未安装病灶检测模型,无法自动判断是否有异常。',
        'No lesion model is installed, so abnormalities cannot be detected automatically.',
      ),
      sections: [
        section('limits', tr(l, '限制', 'Limits'), [
          item(
            tr(l, '您仍可画点或区域进行测量和定位。', 'You can still draw points or regions to measure and locate.'),
          ),
        ]),
      ],
      suggestions: [tr(l, '你能做什么?', 'What can I ask?')],
    };
  }
  const findingAnchors = ctx.state.session.anchors.filter((a) => a.kind === 'finding');
  const annotations: Annotation[] = [];
  const items = [];
  for (const [i, a] of findingAnchors.entries()) {
    const f = analysis.findings.find((x) => x.id === a.findingId)!;
    // One size and one margin per lesion (api.md 6.1): the refined long × short axis and the margin
    // of the refined sign calls — the same the later answers and the report quote; never both sizes.
    const preview =
      !refinementOf(ctx.state.session, a) &&
      i < OVERVIEW_REFINE_MAX &&
      !a.measurements.some((m) => m.name === 'longAxis')
        ? previewRefinement(ctx, a)
        : null;
    // The detector size is replaced by the refined one on the finding anchor itself, so the report,
    // the SR and every later answer quote the same size even if the lesion is never asked about.
    if (preview && preview.measurements.some((m) => m.name === 'longAxis'))
      a.measurements = preview.measurements.map((m) => ({ ...m }));
    const refined = refinementOf(ctx.state.session, a);
    const dia = a.measurements.find((m) => m.name === 'diameter') ?? null;
    const size = lesionSize(a, refined, f);
    const marginW = refined ? marginWords(refined.signs, f) : null; // margin only once the margin was analysed
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: a.id,
      replaces: null,
      kind: 'region',
      polygons: [f.contour],
      style: style(COLORS.finding, { opacity: 0.25 }),
      measurement: size.refined ? null : dia,
    });
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: a.id,
      replaces: null,
      kind: 'label',
      point: [f.bbox[2], f.bbox[1]],
      text: dia || size.refined ? `${a.id} ${size.text[l]}` : a.id,
      style: style(COLORS.finding, { opacity: 1, lineWidth: 1 }),
      measurement: null,
    });
    const ev = [
      { name: 'score', value: Math.round(f.score * 100) / 100, unit: 'fraction' as const },
      ...size.evidence,
      ...(f.location.lobe ? [{ name: 'lobe', value: f.location.lobe, unit: null }] : []),
    ];
    const place = f.location.text[l];
    const words = shapeAndNoun(f);
    const shape = words.shape[l];
    const noun = words.noun[l];
    const text =
      l === 'zh'
        ? `${place || '图像上'}可见一${size.text.zh}${shape}${noun}${marginW ? `,${marginW.zh}` : ''}`
        : `${/^(8|11|18)/.test(size.text.en) ? 'An' : 'A'} ${size.text.en} ${shape} ${noun}${place ? ` in the ${place}` : ''}${marginW ? `, ${marginW.en}` : ''}`;
    items.push(
      item(
        `${a.id}${sep(l)}${text}${tr(l, `(检测置信度 ${f.score.toFixed(2)})`, ` (detector score ${f.score.toFixed(2)})`)}`,
        [a.id],
        ev,
      ),
    );
  }
  const threshold = ctx.analysers.lesion?.threshold ?? null;
  // api.md 4.3/6.1: out of the validated domain → say so; only the high-confidence band (or nothing) is reported
  const dom = analysis.domain && !analysis.domain.inDomain ? analysis.domain : null;
  const domReasons = dom ? dom.reasons.map((r) => r[l]).join(tr(l, ';', '; ')) : '';
  const domText = !dom
    ? null
    : dom.score === 0
      ? tr(
          l,
          `此图像不像成人正位胸片(${domReasons}),检测器未在此类图像上验证,不报告任何病灶。`,
          `This image does not look like an adult frontal chest radiograph (${domReasons}); the detector was not ` +
            `validated on such images and reports no findings.`,
        )
      : tr(
          l,
          `检测器未在此类图像上验证(${domReasons}),仅报告高置信度结果,可能漏检。`,
          `The detector was not validated on this kind of image (${domReasons}); only high-confidence findings are ` +
            `reported and lesions may be missed.`,
        );
  annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'heatmap',
    url: `/api/v1/analyses/${analysis.id}/heatmap.png`,
    colormap: 'hot',
    style: style(COLORS.heatmap, {
      opacity: 0.4,
      visible: /热力图|热图|heat ?map|probability map/i.test(ctx.understanding.normalizedText),
    }),
    measurement: null,
  });
  const limits = [
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
  const structures = analysis.anatomy.structures.map((s) => s.label[l]).join(tr(l, '、', ', '));
  const normalItems = [];
  // The CTR is always stated with its grade (api.md 5.5); a heart that is not normal is never
  // listed under "nothing suspicious".
  const ctr = ctrStatement(analysis);
  const heartItems = [];
  if (ctr && ctr.grade === 'normal') normalItems.push(item(ctr.text[l], [], ctr.evidence));
  else if (ctr) heartItems.push(item(ctr.text[l], [], ctr.evidence));
  const hr = analysis.anatomy.landmarks.find((m) => m.id === 'hilum_right'),
    hl = analysis.anatomy.landmarks.find((m) => m.id === 'hilum_left');
  if (hr && hl && hl.point[1] <= hr.point[1]) {
    normalItems.push(
      item(
        tr(
          l,
          '左肺门高于或平右肺门,肺门位置符合常见解剖关系。',
          'The left hilum is level with or above the right, the usual relation.',
        ),
        [],
        [
          { name: 'hilumLeftY', value: Math.round(hl.point[1]), unit: 'px' as const },
          { name: 'hilumRightY', value: Math.round(hr.point[1]), unit: 'px' as const },
        ],
      ),
    );
  }
  const heartAbnormal = ctr?.grade === 'enlarged' || ctr?.grade === 'borderline';
  const findingItems = [...items, ...heartItems];
  const normal =
    findingAnchors.length === 0
      ? [
          section(
            'normal',
            heartAbnormal
              ? tr(l, '肺内未见可疑病灶', 'No suspicious lung lesion')
              : tr(l, '未见异常', 'Nothing suspicious'),
            [
              ...normalItems,
              item(
                tr(
                  l,
                  `在模型工作点下未检出可疑结节、肿块或实变影。${structures ? `已评估:${structures}。` : ''}`,
                  `No suspicious nodule, mass or opacity was detected at the model's operating ` +
                    `point.${structures ? ` Assessed: ${structures}.` : ''}`,
                ),
                [],
                threshold !== null ? [{ name: 'operatingPoint', value: threshold, unit: 'fraction' }] : [],
              ),
            ],
          ),
        ]
      : normalItems.length
        ? [section('normal', tr(l, '未见明显异常', 'Unremarkable'), normalItems)]
        : [];
  const heartHead =
    ctr?.grade === 'enlarged'
      ? tr(
          l,
          `心影增大(心胸比${ctr.value.toFixed(2)})。`,
          ` Enlarged cardiac silhouette (cardiothoracic ratio ${ctr.value.toFixed(2)}).`,
        )
      : ctr?.grade === 'borderline'
        ? tr(
            l,
            `心影大小临界(心胸比${ctr.value.toFixed(2)})。`,
            ` Borderline heart size (cardiothoracic ratio ${ctr.value.toFixed(2)}).`,
          )
        : '';
  return {
    headline:
      dom && dom.score === 0
        ? domText!
        : (domText ? domText + (l === 'zh' ? '' : ' ') : '') +
          (findingAnchors.length === 0
            ? heartAbnormal
              ? tr(l, '肺内未发现可疑病灶。', 'No suspicious lung lesion was found.')
              : tr(l, '未发现可疑病灶。', 'Nothing suspicious was found.')
            : tr(
                l,
                `发现 ${findingAnchors.length} 处可疑病灶:${findingAnchors.map((a) => a.id).join('、')}。`,
                `${findingAnchors.length} suspicious finding${findingAnchors.length > 1 ? 's' : ''}: ` +
                  `${findingAnchors.map((a) => a.id).join(', ')}.`,
              )) +
          heartHead,
    sections: [
      ...(findingItems.length ? [section('findings', tr(l, '所见', 'Findings'), findingItems)] : []),
      ...normal,
      section('limits', tr(l, '限制', 'Limits'), limits),
    ],
    suggestions: findingAnchors.length
      ? [
          tr(l, `${findingAnchors[0].id}边缘是否规则?`, `Is ${findingAnchors[0].id}'s margin regular?`),
          tr(l, '显示热力图', 'Show the heatmap'),
        ]
      : [tr(l, '心胸比是多少?', 'What is the cardiothoracic ratio?')],
    annotations,
    focusAnchorId: findingAnchors[0]?.id,
    listed: findingAnchors.map((a) => a.id),
    links: [{ rel: 'heatmap', href: `/api/v1/analyses/${analysis.id}/heatmap.png`, type: 'image/png' }],
  };
}
