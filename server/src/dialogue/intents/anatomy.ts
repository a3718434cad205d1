import type { Annotation, StructureId } from '../../contract';
import { segmentMeasurement } from '../../geometry/measurement';
import { areaMeasurement, areaMm2 } from '../../geometry/units';
import { spacingOf } from '../../sessions/anchors';
import { formatMeasurement } from '../../geometry/measurement';
import { item, limitsOnly, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { measuredText, measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';

const AGGREGATES: Record<string, StructureId[]> = {
  lungs: ['lung_right', 'lung_left'],
  clavicles: ['clavicle_right', 'clavicle_left'],
};

/** The headlines when there is no anatomy model, or no reliable ratio. */
const NO_ANATOMY = {
  zh: '未安装解剖分割模型,无法显示解剖结构或计算心胸比。',
  en: 'No anatomy model is installed, so structures cannot be shown and the cardiothoracic ratio cannot be measured.',
};
const NO_RATIO = {
  zh: '本片无法测量心胸比:未能可靠识别心影或两肺的宽度。',
  en: 'The cardiothoracic ratio cannot be measured on this image: the heart or lung borders were not found reliably.',
};

function noAnatomy(ctx: TurnContext): IntentResult {
  return limitsOnly(
    ctx.lang,
    NO_ANATOMY,
    { zh: '本工具不会在没有模型的情况下推测解剖结构。', en: 'The tool never guesses anatomy without a model.' },
    null,
  );
}

/** Draws the named structures' outlines with their areas (api.md 10.7 `show_anatomy`). */
export function showAnatomy(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const anatomy = ctx.entry.analysis.anatomy;
  if (!anatomy.available) return noAnatomy(ctx);
  const wanted = new Set<StructureId>();
  const notSegmented: string[] = [];
  for (const m of ctx.understanding.anatomy) {
    if (m.type !== 'structure') continue;
    if (m.id === 'ribs' || m.id === 'spine') {
      notSegmented.push(m.text);
      continue;
    }
    (AGGREGATES[m.id] ?? [m.id as StructureId]).forEach((s) => wanted.add(s));
  }
  const structures = anatomy.structures.filter((s) => wanted.has(s.id));
  const spacing = spacingOf(ctx.entry.analysis.image);
  const annotations: Annotation[] = [];
  const items = [];
  for (const s of structures) {
    const m = areaMeasurement(
      'area',
      { zh: `${s.label.zh}面积`, en: `${s.label.en} area` },
      s.areaPx,
      spacing.mm ? areaMm2(s.areaPx, spacing.mm) : null,
      spacing.source,
    );
    for (const [i, contour] of s.contours.entries()) {
      annotations.push({
        id: ctx.newAnnotationId(),
        anchorId: null,
        structureId: s.id,
        replaces: null,
        kind: 'outline',
        geometry: { type: 'polygon', points: contour },
        style: style(COLORS[s.id] ?? COLORS.landmark),
        measurement: i === 0 ? m : null,
      });
    }
    items.push(
      item(
        `${s.label[l]}${sep(l)}${tr(l, '面积', 'area')} ${measuredText(m, l)}`,
        [],
        [measurementEvidence(m, 'areaMm2')],
      ),
    );
  }
  const limits = notSegmented.length
    ? [
        section('limits', tr(l, '限制', 'Limits'), [
          item(tr(l, `${notSegmented.join('、')}未做分割。`, `${notSegmented.join(', ')}: not segmented.`)),
        ]),
      ]
    : [];
  if (!structures.length) {
    return {
      headline: tr(l, '没有找到要显示的结构。', 'No structure to show was found.'),
      sections: limits,
      suggestions: [tr(l, '显示双肺和心脏', 'Show the lungs and heart')],
    };
  }
  return {
    headline: tr(
      l,
      `已显示${structures.map((s) => s.label.zh).join('、')}的轮廓。`,
      `Outlined: ${structures.map((s) => s.label.en).join(', ')}.`,
    ),
    sections: [section('anatomy', tr(l, '解剖结构', 'Structures'), items), ...limits],
    suggestions: [tr(l, '心胸比是多少?', 'What is the cardiothoracic ratio?')],
    annotations,
  };
}

type Ctr = NonNullable<TurnContext['entry']['analysis']['anatomy']['cardiothoracicRatio']>;

/** No ratio without reliable heart and lung outlines. */
function noRatio(ctx: TurnContext): IntentResult {
  return limitsOnly(
    ctx.lang,
    NO_RATIO,
    { zh: '不会在没有可靠轮廓时给出数值。', en: 'No value is given without reliable outlines.' },
    { zh: '显示双肺和心脏', en: 'Show the lungs and heart' },
  );
}

/** One width line (cardiac or thoracic) drawn at its mean height, labelled with its length. */
function widthLine(ctx: TurnContext, w: Ctr['cardiacWidth'], name: 'cardiacWidth' | 'thoracicWidth'): Annotation {
  const l = ctx.lang;
  const spacing = spacingOf(ctx.entry.analysis.image);
  const y = (w.a[1] + w.b[1]) / 2;
  const m = w.measurement ?? segmentMeasurement(name, { zh: name, en: name }, [w.a[0], y], [w.b[0], y], spacing);
  return {
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'link',
    points: [
      [w.a[0], y],
      [w.b[0], y],
    ],
    label: `${m.label[l]} ${formatMeasurement(m, l)}`,
    style: style(name === 'cardiacWidth' ? COLORS.heart : COLORS.lung_right),
    measurement: m,
  };
}

/** What the value means: > 0.50 on a PA film suggests enlargement; not a PA film → unreliable. */
function ratioMeaning(ctx: TurnContext, ctr: Ctr): string {
  const l = ctx.lang;
  const enlarged = ctr.value > 0.5;
  return ctr.reliable
    ? enlarged
      ? tr(
          l,
          '大于0.50,提示心影增大(需结合临床)',
          'above 0.50, suggesting an enlarged cardiac silhouette (correlate clinically)',
        )
      : tr(l, '不超过0.50,在后前位片正常范围内', 'at most 0.50, within the normal range for a PA film')
    : tr(
        l,
        '本片非后前位,心影可被放大,数值不可靠',
        'this is not a PA film: the heart may be magnified and the value is unreliable',
      );
}

/** Cardiothoracic ratio with its two width lines (api.md 5.5, 10.7). */
export function cardiothoracicRatio(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const ctr = ctx.entry.analysis.anatomy.cardiothoracicRatio;
  if (!ctx.entry.analysis.anatomy.available) return noAnatomy(ctx);
  if (!ctr) return noRatio(ctx);
  const value = ctr.value.toFixed(2);
  const meaning = ratioMeaning(ctx, ctr);
  const ratioM = {
    name: 'cardiothoracicRatio' as const,
    label: { zh: '心胸比', en: 'Cardiothoracic ratio' },
    value: Number(value),
    unit: 'ratio' as const,
    valuePx: null,
    valueMm: null,
    estimate: false,
    spacingSource: null,
  };
  const annotations = [
    widthLine(ctx, ctr.cardiacWidth, 'cardiacWidth'),
    widthLine(ctx, ctr.thoracicWidth, 'thoracicWidth'),
  ];
  const mid = ctr.thoracicWidth.a;
  annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: null,
    replaces: null,
    kind: 'label',
    point: [mid[0], Math.max(0, mid[1] - 20)],
    text: `CTR ${value}${ctr.reliable ? '' : tr(l, '(不可靠)', ' (unreliable)')}`,
    style: style(COLORS.heart),
    measurement: ratioM,
  });
  const ev = [{ name: 'cardiothoracicRatio', value: Number(value), unit: 'ratio' as const }];
  const items = [
    item(tr(l, `心胸比 ${value}:${meaning}。`, `Cardiothoracic ratio ${value}: ${meaning}.`), [], ev),
    item(
      `${ctr.cardiacWidth.measurement.label[l]}${sep(l)}${measuredText(ctr.cardiacWidth.measurement, l)}`,
      [],
      [measurementEvidence(ctr.cardiacWidth.measurement, 'cardiacWidthMm')],
    ),
    item(
      `${ctr.thoracicWidth.measurement.label[l]}${sep(l)}${measuredText(ctr.thoracicWidth.measurement, l)}`,
      [],
      [measurementEvidence(ctr.thoracicWidth.measurement, 'thoracicWidthMm')],
    ),
  ];
  const limits = [
    item(
      tr(
        l,
        '自动心胸比常需人工核对:请检查图上的两条宽度线。',
        'Automated ratios often need correction: check the two width lines on the image.',
      ),
    ),
  ];
  if (ctr.note) limits.unshift(item(ctr.note[l]));
  return {
    headline: tr(l, `心胸比约为 ${value}(${meaning})。`, `The cardiothoracic ratio is about ${value} (${meaning}).`),
    sections: [
      section('measurements', tr(l, '测量', 'Measurements'), items),
      section('limits', tr(l, '限制', 'Limits'), limits),
    ],
    suggestions: [tr(l, '显示心脏', 'Show the heart')],
    annotations,
  };
}
