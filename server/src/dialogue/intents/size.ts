import type { Annotation } from '../../contract';
import { axisSegments, sizeMeasurements } from '../../sessions/anchors';
import { formatMeasurement } from '../../geometry/measurement';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { measuredText, measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { noSubject, subjectGeometryAnchor } from './subject';

/** Size of an anchor's region (api.md 10.7 `size`): long/short axis lines and a label. */
export function size(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const subject = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  if (!subject) return noSubject(ctx);
  // Findings are measured on their refined outline (api.md 10.7); user regions as drawn.
  const ref = subject.kind === 'finding' ? ensureRefinement(ctx, subject) : null;
  const shaped = ref?.anchor ?? subjectGeometryAnchor(ctx, subject);
  if (shaped.geometry.type === 'point') {
    return {
      headline: tr(
        l,
        `${subject.id} 是一个点,没有大小;请画椭圆或自由区域来测量。`,
        `${subject.id} is a point and has no size; draw an ellipse or a freehand region to measure.`,
      ),
      sections: [
        section('limits', tr(l, '说明', 'Note'), [
          item(tr(l, '点标记只能用于定位和距离测量。', 'A point mark can be used for location and distances only.'), [
            subject.id,
          ]),
        ]),
      ],
      suggestions: [tr(l, '这个点在哪里?', 'Where is this point?')],
      focusAnchorId: subject.id,
    };
  }
  const info = ctx.entry.analysis.image;
  const ms = shaped.measurements.length ? shaped.measurements : sizeMeasurements(shaped.geometry, info);
  const get = (n: string) => ms.find((m) => m.name === n)!;
  const axes = axisSegments(shaped.geometry, info)!;
  const link = (points: [(typeof axes.long)[0], (typeof axes.long)[0]], m: ReturnType<typeof get>): Annotation => ({
    id: ctx.newAnnotationId(),
    anchorId: subject.id,
    replaces: null,
    kind: 'link',
    points,
    label: formatMeasurement(m, l),
    style: style(COLORS.gapLink),
    measurement: m,
  });
  const longText = `${tr(l, '长径', 'long')} ${formatMeasurement(get('longAxis'), l)}`;
  const shortText = `${tr(l, '短径', 'short')} ${formatMeasurement(get('shortAxis'), l)}`;
  const labelText = `${subject.id} ${longText} × ${shortText}`;
  const annotations: Annotation[] = [
    link(axes.long, get('longAxis')),
    link(axes.short, get('shortAxis')),
    {
      id: ctx.newAnnotationId(),
      anchorId: subject.id,
      replaces: null,
      kind: 'label',
      point: [axes.long[1][0], axes.long[1][1]],
      text: labelText,
      style: style(COLORS.user),
      measurement: get('area'),
    },
  ];
  // One size per lesion (api.md 6.1): the long × short axis (and the area), not a separate mean diameter.
  const items = ['longAxis', 'shortAxis', 'area'].map((n) => {
    const m = get(n);
    return item(`${subject.id} ${m.label[l]}${sep(l)}${measuredText(m, l)}`, [subject.id], [measurementEvidence(m)]);
  });
  return {
    headline: tr(
      l,
      `${subject.id} 长径${measuredText(get('longAxis'), l)},短径${formatMeasurement(get('shortAxis'), l)}。`,
      `${subject.id} measures ${measuredText(get('longAxis'), l)} by ${formatMeasurement(get('shortAxis'), l)}.`,
    ),
    sections: [section('measurements', tr(l, '测量', 'Measurements'), items)],
    suggestions: [tr(l, '它在哪个位置?', 'Where is it?')],
    annotations,
    focusAnchorId: subject.id,
    createdAnchors: ref?.created ? [ref.created] : [],
    refinementCache: ref?.cache ?? null,
  };
}
