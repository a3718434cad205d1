import type { Anchor, Annotation, Measurement, Point, Polygon } from '../../contract';
import { segmentMeasurement } from '../../geometry/measurement';
import { nearestPointsBetweenPolygons } from '../../geometry/polygon';
import { geometryPolygon } from '../../geometry/shapes';
import { turnAnchor, spacingOf } from '../../sessions/anchors';
import { formatMeasurement } from '../../geometry/measurement';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { measuredText, measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';
import { measuredLink } from './markers';
import { noSubject, subjectGeometryAnchor } from './subject';

const CENTER = { zh: '中心距离', en: 'Centre distance' };
const GAP = { zh: '最近边缘间距', en: 'Nearest-edge gap' };

/** Outline of an anchor for gap computations: its polygon, or the point itself. */
export function extentOf(a: Anchor): Polygon {
  return geometryPolygon(a.geometry) ?? [a.center];
}

const SAME_ANCHOR = (l: TurnContext['lang']): IntentResult => ({
  headline: tr(
    l,
    '两个引用指向同一个标记,无法计算距离。',
    'Both references point to the same anchor; there is no distance to measure.',
  ),
  sections: [],
  suggestions: [],
});

/** The nearest-edge gap between two regions (none when either is a point). */
function edgeGap(ctx: TurnContext, a: Anchor, b: Anchor): { gap: Measurement | null; gapLine: [Point, Point] | null } {
  if (a.geometry.type === 'point' || b.geometry.type === 'point') return { gap: null, gapLine: null };
  const near = nearestPointsBetweenPolygons(extentOf(a), extentOf(b));
  const spacing = spacingOf(ctx.entry.analysis.image);
  return { gap: segmentMeasurement('edgeGap', GAP, near.a, near.b, spacing), gapLine: [near.a, near.b] };
}

/** The centre line (dashed) and, when there is one, the gap line, on the measurement anchor. */
function distanceLines(
  ctx: TurnContext,
  id: string,
  centers: [Point, Point],
  center: Measurement,
  g: ReturnType<typeof edgeGap>,
): Annotation[] {
  const short = (m: Measurement) => formatMeasurement(m, ctx.lang);
  const annotations: Annotation[] = [
    measuredLink(ctx, id, centers, center, short(center), style(COLORS.centerLink, { lineDash: 'dashed' })),
  ];
  if (g.gap && g.gapLine && g.gap.valuePx! > 0) {
    annotations.push(measuredLink(ctx, id, g.gapLine, g.gap, short(g.gap), style(COLORS.gapLink)));
  }
  return annotations;
}

/** Centre distance and nearest-edge gap between two anchors (api.md 10.7 `distance`, 12.2). */
export function distance(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const [r1, r2] = ctx.resolved;
  const a0 = r1?.anchorId ? ctx.anchor(r1.anchorId) : undefined;
  const b0 = r2?.anchorId ? ctx.anchor(r2.anchorId) : undefined;
  if (!a0 || !b0) return noSubject(ctx);
  if (a0.id === b0.id) return SAME_ANCHOR(l);
  const a = subjectGeometryAnchor(ctx, a0),
    b = subjectGeometryAnchor(ctx, b0);
  const spacing = spacingOf(ctx.entry.analysis.image);
  const center = segmentMeasurement('centerDistance', CENTER, a.center, b.center, spacing);
  const g = edgeGap(ctx, a, b);
  const { gap, gapLine } = g;
  const measurementAnchor = turnAnchor(ctx, (id) => ({
    kind: 'measurement',
    parentId: a0.id,
    label: { zh: `${id} ${a0.id}–${b0.id} 距离`, en: `${id} ${a0.id}–${b0.id} distance` },
    geometry: { type: 'polyline', points: [a.center, b.center] },
    center: [(a.center[0] + b.center[0]) / 2, (a.center[1] + b.center[1]) / 2],
    measurements: gap ? [center, gap] : [center],
    relation: {
      fromAnchorId: a0.id,
      toAnchorId: b0.id,
      toTarget: { type: 'anchor', id: b0.id },
      centerLine: [a.center, b.center],
      gapLine,
      connected: null,
      connectionConfidence: null,
      connectionEvidence: [],
    },
  }));
  const id = measurementAnchor.id;
  const annotations = distanceLines(ctx, id, [a.center, b.center], center, g);
  const items = [
    item(
      `${a0.id}–${b0.id} ${CENTER[l]}${sep(l)}${measuredText(center, l)}`,
      [a0.id, b0.id, id],
      [measurementEvidence(center, 'centerDistanceMm')],
    ),
  ];
  if (gap)
    items.push(
      item(
        `${a0.id}–${b0.id} ${GAP[l]}${sep(l)}${measuredText(gap, l)}`,
        [a0.id, b0.id, id],
        [measurementEvidence(gap, 'edgeGapMm')],
      ),
    );
  return {
    headline: tr(
      l,
      `${a0.id} 与 ${b0.id} 中心相距${measuredText(center, l)}。`,
      `${a0.id} and ${b0.id} are ${measuredText(center, l)} apart (centre to centre).`,
    ),
    sections: [section('measurements', tr(l, '测量', 'Measurements'), items)],
    suggestions: [tr(l, '这两个点分别在哪里?', 'Where are these two points?')],
    annotations,
    createdAnchors: [measurementAnchor],
    focusAnchorId: a0.id,
  };
}
