import type { Anchor, Annotation, Evidence, Point, Polygon, Relation, TargetType, Turn } from '../../contract';
import { relationBridge } from '../../analysis/refine';
import { segmentMeasurement } from '../../geometry/measurement';
import { nearestPointOnPolygon, nearestPointsBetweenPolygons } from '../../geometry/polygon';
import { geometryPolygon } from '../../geometry/shapes';
import { makeAnchor, spacingOf } from '../../sessions/anchors';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { measuredText, measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';
import { ensureRefinement } from '../refinement';
import { findLandmark, landmarkAnchor } from './landmarks';
import { noSubject } from './subject';

const TARGET_NAMES: Record<string, { zh: string; en: string }> = {
  hilum: { zh: '肺门', en: 'hilum' },
  pleura: { zh: '胸膜', en: 'pleura' },
  chest_wall: { zh: '胸壁', en: 'chest wall' },
  diaphragm: { zh: '膈肌', en: 'diaphragm' },
  carina: { zh: '隆突', en: 'carina' },
};
const SIDE = { right: { zh: '右', en: 'right ' }, left: { zh: '左', en: 'left ' } };

/** The lateral (costal) part of a lung contour: points lateral to the lung's mid-width. */
function costalPart(contour: Polygon, side: 'right' | 'left', midX: number): Polygon {
  return contour.filter((p) => (side === 'right' ? p[0] < midX : p[0] > midX));
}

/** Distance and connection from an anchor to the hilum, pleura, chest wall, diaphragm or carina (api.md 10.7, 12.2). */
export function relationLandmark(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const root = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  if (!root) return noSubject(ctx);
  const target = ctx.understanding.targets[0];
  if (!target) return noSubject(ctx);
  const anatomy = ctx.entry.analysis.anatomy;
  if (!anatomy.available) {
    return {
      headline: tr(
        l,
        '未安装解剖模型,无法测量到解剖结构的距离。',
        'No anatomy model is installed, so distances to anatomical landmarks cannot be measured.',
      ),
      sections: [],
      suggestions: [],
    };
  }
  const explicitSide = target.id
    ? target.id.endsWith('_right')
      ? 'right'
      : target.id.endsWith('_left')
        ? 'left'
        : null
    : null;
  const side = (explicitSide ?? root.location?.side ?? null) as 'right' | 'left' | null;
  const reason: Turn['resolvedTargets'][number]['reason'] =
    target.type === 'carina' ? 'only_one' : explicitSide ? 'explicit_side' : 'ipsilateral';
  if (!side && target.type !== 'carina') return noSubject(ctx);
  const ref = ensureRefinement(ctx, root);
  const subject = ref.anchor ?? root;
  const subjectPoly: Polygon = geometryPolygon(subject.geometry) ?? [subject.center];
  const spacing = spacingOf(ctx.entry.analysis.image);
  const created: Anchor[] = ref.created ? [ref.created] : [];
  const annotations: Annotation[] = [];
  const targetType = target.type as TargetType;
  let targetId: string;
  let targetPoint: Point;
  let extent: Polygon | null = null;
  let landmark: Anchor | null = null;
  let landmarkConfidence: number | null = null;

  if (targetType === 'hilum' || targetType === 'carina' || targetType === 'diaphragm') {
    targetId = targetType === 'carina' ? 'carina' : `${targetType === 'diaphragm' ? 'hemidiaphragm' : 'hilum'}_${side}`;
    const lm = findLandmark(ctx, targetId);
    if (!lm)
      return {
        headline: tr(l, '解剖图谱中未能定位该结构。', 'That landmark could not be found on the anatomical map.'),
        sections: [],
        suggestions: [],
      };
    const la = landmarkAnchor(ctx, lm);
    landmark = la.anchor;
    if (la.created) created.push(la.anchor);
    landmarkConfidence = lm.confidence;
    targetPoint = lm.point;
    extent = lm.region ?? (lm.polyline && lm.polyline.length >= 2 ? lm.polyline : null);
    if (targetType === 'diaphragm' && lm.polyline)
      targetPoint = nearestPointOnPolygon(subject.center, lm.polyline).point;
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: landmark.id,
      replaces: null,
      kind: 'points',
      style: style(COLORS.landmark),
      measurement: null,
      markers: [{ point: lm.point, label: lm.label[l], kind: 'landmark', measurement: null }],
    });
  } else {
    targetId = `${targetType}_${side}`;
    const lung = anatomy.structures.find((s) => s.id === (side === 'right' ? 'lung_right' : 'lung_left'));
    if (!lung?.contours.length)
      return {
        headline: tr(l, '未能找到该侧肺轮廓。', 'The lung outline on that side was not found.'),
        sections: [],
        suggestions: [],
      };
    const contour = lung.contours[0];
    const midX = (lung.bbox[0] + lung.bbox[2]) / 2;
    extent = targetType === 'chest_wall' ? costalPart(contour, side!, midX) : contour;
    targetPoint = nearestPointOnPolygon(subject.center, extent).point;
  }

  const center = segmentMeasurement(
    'centerDistance',
    {
      zh: `中心距离(${root.id}–${targetLabel(targetType, side, 'zh')})`,
      en: `Centre distance (${root.id}–${targetLabel(targetType, side, 'en')})`,
    },
    subject.center,
    targetPoint,
    spacing,
  );
  let gapLine: [Point, Point] | null = null;
  let gap = null;
  if (extent && extent.length >= 2 && subjectPoly.length >= 3) {
    const inside = targetType === 'pleura' || targetType === 'chest_wall';
    // The pleural surface encloses the lesion: the gap is from the lesion's edge outward to the surface.
    const near = inside ? nearestBetweenInside(subjectPoly, extent) : nearestPointsBetweenPolygons(subjectPoly, extent);
    gapLine = [near.a, near.b];
    gap = segmentMeasurement(
      'edgeGap',
      {
        zh: `最近间距(${root.id}–${targetLabel(targetType, side, 'zh')})`,
        en: `Nearest gap (${root.id}–${targetLabel(targetType, side, 'en')})`,
      },
      near.a,
      near.b,
      spacing,
    );
  }
  let connected: boolean | null = null;
  let connectionConfidence: number | null = null;
  let connectionEvidence: Evidence[] = [];
  if ((targetType === 'hilum' || targetType === 'pleura') && gapLine && gap && (gap.valuePx ?? 0) > 0 && extent) {
    const px = ctx.entry.pixels;
    const b = relationBridge({
      display: px.display,
      width: px.width,
      height: px.height,
      scale: px.scale,
      from: subjectPoly,
      to: extent,
      gapLine,
      spacing,
    });
    connected = b.connected;
    connectionConfidence = b.confidence;
    connectionEvidence = b.evidence;
  }
  const id = ctx.newAnchorId();
  const relation: Relation = {
    fromAnchorId: root.id,
    toAnchorId: landmark?.id ?? null,
    toTarget: { type: targetType, id: targetId },
    centerLine: [subject.center, targetPoint],
    gapLine,
    connected,
    connectionConfidence,
    connectionEvidence,
  };
  const measurementAnchor = makeAnchor({
    id,
    kind: 'measurement',
    parentId: root.id,
    createdByTurnId: ctx.turnId,
    label: {
      zh: `${id} ${root.id}–${targetLabel(targetType, side, 'zh')}`,
      en: `${id} ${root.id}–${targetLabel(targetType, side, 'en')}`,
    },
    geometry: { type: 'polyline', points: [subject.center, targetPoint] },
    center: [(subject.center[0] + targetPoint[0]) / 2, (subject.center[1] + targetPoint[1]) / 2],
    measurements: gap ? [center, gap] : [center],
    relation,
  });
  created.push(measurementAnchor);
  annotations.push({
    id: ctx.newAnnotationId(),
    anchorId: id,
    replaces: null,
    kind: 'link',
    points: [subject.center, targetPoint],
    label: measuredText(center, l).split(/[((]/)[0].trim(),
    style: style(COLORS.centerLink, { lineDash: 'dashed', emphasis: 'focus' }),
    measurement: center,
  });
  if (gap && gapLine)
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: id,
      replaces: null,
      kind: 'link',
      points: gapLine,
      label: measuredText(gap, l).split(/[((]/)[0].trim(),
      style: style(COLORS.gapLink, { emphasis: 'focus' }),
      measurement: gap,
    });
  const tname = targetLabel(targetType, side, l);
  const connText =
    connected === null
      ? null
      : connected
        ? tr(l, `与${tname}相连`, `connected to the ${tname}`)
        : tr(l, `未见与${tname}相连`, `not connected to the ${tname}`);
  if (connText)
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: id,
      replaces: null,
      kind: 'label',
      point: gapLine ? [(gapLine[0][0] + gapLine[1][0]) / 2, (gapLine[0][1] + gapLine[1][1]) / 2] : targetPoint,
      text: connText,
      style: style(COLORS.gapLink),
      measurement: null,
    });

  const ids = [root.id, ...(landmark ? [landmark.id] : []), id];
  const items = [
    item(
      tr(
        l,
        `中心距离:${root.id}中心至${tname}约${measuredText(center, 'zh', { approx: false })}(虚线)。`,
        `Centre distance: ${root.id} centre to the ${tname}: ${measuredText(center, 'en')} (dashed line).`,
      ),
      ids,
      [measurementEvidence(center, 'centerDistanceMm')],
    ),
  ];
  if (gap)
    items.push(
      item(
        tr(
          l,
          `最近间距:${root.id}边缘至${tname}约${measuredText(gap, 'zh', { approx: false })}(实线)。`,
          `Nearest gap: ${root.id} edge to the ${tname}: ${measuredText(gap, 'en')} (solid line).`,
        ),
        ids,
        [measurementEvidence(gap, 'edgeGapMm')],
      ),
    );
  if (connected !== null) {
    items.push(
      item(
        connected
          ? tr(
              l,
              `相连:是。两者之间可见连续软组织影(置信度${connectionConfidence!.toFixed(2)})。`,
              `Connected: yes — a continuous soft-tissue band joins them (confidence ` +
                `${connectionConfidence!.toFixed(2)}).`,
            )
          : tr(
              l,
              `相连:否。两者之间为含气肺组织,未见软组织桥接(置信度${connectionConfidence!.toFixed(2)})。`,
              `Connected: no — aerated lung lies between them, no soft-tissue bridge (confidence ` +
                `${connectionConfidence!.toFixed(2)}).`,
            ),
        ids,
        connectionEvidence,
        { status: connected ? 'present' : 'absent' },
      ),
    );
  } else if (gap && (gap.valuePx ?? 0) === 0) {
    items.push(
      item(tr(l, `${root.id}与${tname}相接触。`, `${root.id} touches the ${tname}.`), ids, [
        measurementEvidence(gap, 'edgeGapMm'),
      ]),
    );
  }
  const limits = [
    item(
      tr(
        l,
        '正位片无法判断前后方向的距离;距离为投影估计值。',
        'A frontal film cannot show distance front to back; distances are projected estimates.',
      ),
    ),
  ];
  if (landmarkConfidence !== null && landmark)
    limits.unshift(
      item(
        tr(
          l,
          `${tname}点由解剖模型推算(置信度${landmarkConfidence.toFixed(2)})。`,
          `The ${tname} point is derived from the anatomy model (confidence ${landmarkConfidence.toFixed(2)}).`,
        ),
        [landmark.id],
        [{ name: 'landmarkConfidence', value: Math.round(landmarkConfidence * 100) / 100, unit: 'fraction' }],
      ),
    );
  const headline = tr(
    l,
    `${root.id}中心距${tname}${measuredText(center, 'zh').split(/[((]/)[0]}` +
      `${gap ? `,边缘最近处${measuredText(gap, 'zh').split(/[((]/)[0]}` : ''}${connText ? `,${connText}` : ''}。`,
    `${root.id} is ${measuredText(center, 'en').split(' (')[0]} from the ${tname} centre to ` +
      `centre${gap ? `, ${measuredText(gap, 'en').split(' (')[0]} at the nearest edge` : ''}` +
      `${connText ? `; ${connText}` : ''}.`,
  );
  return {
    headline,
    sections: [
      section('relation', tr(l, `与${tname}的关系(估计值)`, `Relation to the ${tname} (estimates)`), items),
      section('limits', tr(l, '说明', 'Notes'), limits),
    ],
    suggestions: [
      tr(l, '如果这是早期肺癌,典型X线表现应该有哪些?', 'Which features of early lung cancer does it show?'),
    ],
    annotations,
    createdAnchors: created,
    focusAnchorId: root.id,
    refinementCache: ref.cache,
    resolvedTargets: [{ type: targetType, id: targetId, reason }],
  };
}

function targetLabel(type: TargetType, side: 'right' | 'left' | null, lang: 'zh' | 'en'): string {
  const base = TARGET_NAMES[type]?.[lang] ?? type;
  return type === 'carina' || !side ? base : `${SIDE[side][lang]}${base}`;
}

/** Nearest points between a lesion inside a lung and that lung's boundary. */
function nearestBetweenInside(lesion: Polygon, surface: Polygon): { a: Point; b: Point } {
  let best = { a: lesion[0], b: surface[0], d: Infinity };
  for (const p of lesion) {
    const n = nearestPointOnPolygon(p, surface);
    if (n.distance < best.d) best = { a: p, b: n.point, d: n.distance };
  }
  return best;
}
