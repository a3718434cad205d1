import type { Anchor, Annotation, Measurement, Point, Polygon } from '../../contract';
import { segmentMeasurement } from '../../geometry/measurement';
import { nearestPointsBetweenPolygons } from '../../geometry/polygon';
import { geometryPolygon } from '../../geometry/shapes';
import { makeAnchor, spacingOf } from '../../sessions/anchors';
import { formatMeasurement } from '../../geometry/measurement';
import { item, section, sep, tr, type IntentResult, type TurnContext } from '../context';
import { measuredText, measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';
import { noSubject, subjectGeometryAnchor } from './subject';

const CENTER = { zh: '中心距离', en: 'Centre distance' };
const GAP = { zh: '最近边缘间距', en: 'Nearest-edge gap' };

/** Outline of an anchor for gap computations: its polygon, or the point itself. */
export function extentOf(a: Anchor): Polygon {
  return geometryPolygon(a.geometry) ?? [a.center];
}

/** Centre distance and nearest-edge gap between two anchors (api.md 10.7 `distance`, 12.2). */
export function distance(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const [r1, r2] = ctx.resolved;
  const a0 = r1?.anchorId ? ctx.anchor(r1.anchorId) : undefined;
  const b0 = r2?.anchorId ? ctx.anchor(r2.anchorId) : undefined;
  if (!a0 || !b0) return noSubject(ctx);
  if (a0.id === b0.id) {
    return {
      headline: tr(
        l,
        '两个引用指向同一个标记,无法计算距离。',
        'Both references point to the same anchor; there is no distance to measure.',
      ),
      sections: [],
      suggestions: [],
    };
  }
  const a = subjectGeometryAnchor(ctx, a0),
    b = subjectGeometryAnchor(ctx, b0);
  const info = ctx.entry.analysis.image;
  const spacing = spacingOf(info);
  const center = segmentMeasurement('centerDistance', CENTER, a.center, b.center, spacing);
  const hasExtent = a.geometry.type !== 'point' || b.geometry.type !== 'point';
  let gap: Measurement | null = null;
  let gapLine: [Point, Point] | null = null;
  if (hasExtent && a.geometry.type !== 'point' && b.geometry.type !== 'point') {
    const near = nearestPointsBetweenPolygons(extentOf(a), extentOf(b));
    gapLine = [near.a, near.b];
    gap = segmentMeasurement('edgeGap', GAP, near.a, near.b, spacing);
  }
  const id = ctx.newAnchorId();
  const measurementAnchor = makeAnchor({
    id,
    kind: 'measurement',
    parentId: a0.id,
    createdByTurnId: ctx.turnId,
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
  });
  const short = (m: Measurement) => formatMeasurement(m, l);
  const annotations: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: id,
      replaces: null,
      kind: 'link',
      points: [a.center, b.center],
      label: short(center),
      style: style(COLORS.centerLink, { lineDash: 'dashed' }),
      measurement: center,
    },
  ];
  if (gap && gapLine && gap.valuePx! > 0) {
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: id,
      replaces: null,
      kind: 'link',
      points: gapLine,
      label: short(gap),
      style: style(COLORS.gapLink),
      measurement: gap,
    });
  }
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
