import type {
  Anchor,
  Annotation,
  Evidence,
  Measurement,
  Point,
  Polygon,
  Relation,
  TargetType,
  Turn,
} from '../../contract';
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
import { measuredLink } from './markers';
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

type Side = 'right' | 'left' | null;
const MESSAGE = (headline: string): IntentResult => ({ headline, sections: [], suggestions: [] });

/** Where the target is: a landmark point (and its region or line), or the ipsilateral pleura / chest wall. */
interface TargetPlace {
  targetId: string;
  targetPoint: Point;
  extent: Polygon | null;
  landmark: Anchor | null;
  landmarkConfidence: number | null;
  created: Anchor[];
  annotations: Annotation[];
}

/** A landmark target (hilum, carina, hemidiaphragm): its anchor and marker; the diaphragm's nearest point. */
function landmarkTarget(ctx: TurnContext, type: TargetType, side: Side, subject: Anchor): TargetPlace | IntentResult {
  const l = ctx.lang;
  const targetId = type === 'carina' ? 'carina' : `${type === 'diaphragm' ? 'hemidiaphragm' : 'hilum'}_${side}`;
  const lm = findLandmark(ctx, targetId);
  if (!lm)
    return MESSAGE(tr(l, '解剖图谱中未能定位该结构。', 'That landmark could not be found on the anatomical map.'));
  const la = landmarkAnchor(ctx, lm);
  const targetPoint =
    type === 'diaphragm' && lm.polyline ? nearestPointOnPolygon(subject.center, lm.polyline).point : lm.point;
  return {
    targetId,
    targetPoint,
    extent: lm.region ?? (lm.polyline && lm.polyline.length >= 2 ? lm.polyline : null),
    landmark: la.anchor,
    landmarkConfidence: lm.confidence,
    created: la.created ? [la.anchor] : [],
    annotations: [
      {
        id: ctx.newAnnotationId(),
        anchorId: la.anchor.id,
        replaces: null,
        kind: 'points',
        style: style(COLORS.landmark),
        measurement: null,
        markers: [{ point: lm.point, label: lm.label[l], kind: 'landmark', measurement: null }],
      },
    ],
  };
}

/** The pleura (the lung contour) or the chest wall (its costal part) on the subject's side. */
function surfaceTarget(ctx: TurnContext, type: TargetType, side: Side, subject: Anchor): TargetPlace | IntentResult {
  const lung = ctx.entry.analysis.anatomy.structures.find(
    (s) => s.id === (side === 'right' ? 'lung_right' : 'lung_left'),
  );
  if (!lung?.contours.length)
    return MESSAGE(tr(ctx.lang, '未能找到该侧肺轮廓。', 'The lung outline on that side was not found.'));
  const contour = lung.contours[0];
  const midX = (lung.bbox[0] + lung.bbox[2]) / 2;
  const extent = type === 'chest_wall' ? costalPart(contour, side!, midX) : contour;
  return {
    targetId: `${type}_${side}`,
    targetPoint: nearestPointOnPolygon(subject.center, extent).point,
    extent,
    landmark: null,
    landmarkConfidence: null,
    created: [],
    annotations: [],
  };
}

const isLandmarkTarget = (t: TargetType): boolean => t === 'hilum' || t === 'carina' || t === 'diaphragm';

/** The edge-to-surface gap: outward to the pleura/chest wall (which enclose the lesion), else between outlines. */
function relationGap(rootId: string, type: TargetType, side: Side, subjectPoly: Polygon, t: TargetPlace, sp: Spacing) {
  if (!t.extent || t.extent.length < 2 || subjectPoly.length < 3) return { gap: null, gapLine: null };
  const inside = type === 'pleura' || type === 'chest_wall';
  const near = inside
    ? nearestBetweenInside(subjectPoly, t.extent)
    : nearestPointsBetweenPolygons(subjectPoly, t.extent);
  const gapLine: [Point, Point] = [near.a, near.b];
  const label = {
    zh: `最近间距(${rootId}–${targetLabel(type, side, 'zh')})`,
    en: `Nearest gap (${rootId}–${targetLabel(type, side, 'en')})`,
  };
  return { gap: segmentMeasurement('edgeGap', label, near.a, near.b, sp), gapLine };
}
type Spacing = ReturnType<typeof spacingOf>;
type Gap = ReturnType<typeof relationGap>;

/** Hilum and pleura: is a soft-tissue band bridging the gap (relationBridge), or aerated lung? */
function connectionOf(ctx: TurnContext, type: TargetType, subjectPoly: Polygon, t: TargetPlace, g: Gap, sp: Spacing) {
  const none = { connected: null, connectionConfidence: null, connectionEvidence: [] as Evidence[] };
  if (!(type === 'hilum' || type === 'pleura') || !g.gapLine || !g.gap || !((g.gap.valuePx ?? 0) > 0) || !t.extent)
    return none;
  const px = ctx.entry.pixels;
  const b = relationBridge({
    display: px.display,
    width: px.width,
    height: px.height,
    scale: px.scale,
    from: subjectPoly,
    to: t.extent,
    gapLine: g.gapLine,
    spacing: sp,
  });
  return { connected: b.connected, connectionConfidence: b.confidence, connectionEvidence: b.evidence };
}
type Connection = ReturnType<typeof connectionOf>;

/** The centre line (dashed), the gap line and the connection label, on the measurement anchor. */
function relationLines(
  ctx: TurnContext,
  id: string,
  centerLine: [Point, Point],
  center: Measurement,
  g: Gap,
  connText: string | null,
): Annotation[] {
  const l = ctx.lang;
  const short = (m: Measurement) => measuredText(m, l).split(/[((]/)[0].trim();
  const dashed = style(COLORS.centerLink, { lineDash: 'dashed', emphasis: 'focus' });
  const out: Annotation[] = [measuredLink(ctx, id, centerLine, center, short(center), dashed)];
  if (g.gap && g.gapLine)
    out.push(measuredLink(ctx, id, g.gapLine, g.gap, short(g.gap), style(COLORS.gapLink, { emphasis: 'focus' })));
  if (connText) {
    const gl = g.gapLine;
    out.push({
      id: ctx.newAnnotationId(),
      anchorId: id,
      replaces: null,
      kind: 'label',
      point: gl ? [(gl[0][0] + gl[1][0]) / 2, (gl[0][1] + gl[1][1]) / 2] : centerLine[1],
      text: connText,
      style: style(COLORS.gapLink),
      measurement: null,
    });
  }
  return out;
}

/** Connected yes/no with the bridge's confidence, or "touches" when the gap is zero. */
function connectionItem(ctx: TurnContext, rootId: string, tname: string, g: Gap, c: Connection, ids: string[]) {
  const l = ctx.lang;
  if (c.connected !== null) {
    const conf = c.connectionConfidence!.toFixed(2);
    const text = c.connected
      ? tr(
          l,
          `相连:是。两者之间可见连续软组织影(置信度${conf})。`,
          `Connected: yes — a continuous soft-tissue band joins them (confidence ${conf}).`,
        )
      : tr(
          l,
          `相连:否。两者之间为含气肺组织,未见软组织桥接(置信度${conf})。`,
          `Connected: no — aerated lung lies between them, no soft-tissue bridge (confidence ${conf}).`,
        );
    return item(text, ids, c.connectionEvidence, { status: c.connected ? 'present' : 'absent' });
  }
  if (g.gap && (g.gap.valuePx ?? 0) === 0)
    return item(tr(l, `${rootId}与${tname}相接触。`, `${rootId} touches the ${tname}.`), ids, [
      measurementEvidence(g.gap, 'edgeGapMm'),
    ]);
  return null;
}

function relationItems(ctx: TurnContext, rootId: string, tname: string, center: Measurement, g: Gap, ids: string[]) {
  const l = ctx.lang;
  const items = [
    item(
      tr(
        l,
        `中心距离:${rootId}中心至${tname}约${measuredText(center, 'zh', { approx: false })}(虚线)。`,
        `Centre distance: ${rootId} centre to the ${tname}: ${measuredText(center, 'en')} (dashed line).`,
      ),
      ids,
      [measurementEvidence(center, 'centerDistanceMm')],
    ),
  ];
  if (g.gap)
    items.push(
      item(
        tr(
          l,
          `最近间距:${rootId}边缘至${tname}约${measuredText(g.gap, 'zh', { approx: false })}(实线)。`,
          `Nearest gap: ${rootId} edge to the ${tname}: ${measuredText(g.gap, 'en')} (solid line).`,
        ),
        ids,
        [measurementEvidence(g.gap, 'edgeGapMm')],
      ),
    );
  return items;
}

function relationLimits(ctx: TurnContext, tname: string, t: TargetPlace) {
  const l = ctx.lang;
  const limits = [
    item(
      tr(
        l,
        '正位片无法判断前后方向的距离;距离为投影估计值。',
        'A frontal film cannot show distance front to back; distances are projected estimates.',
      ),
    ),
  ];
  const conf = t.landmarkConfidence;
  if (conf !== null && t.landmark)
    limits.unshift(
      item(
        tr(
          l,
          `${tname}点由解剖模型推算(置信度${conf.toFixed(2)})。`,
          `The ${tname} point is derived from the anatomy model (confidence ${conf.toFixed(2)}).`,
        ),
        [t.landmark.id],
        [{ name: 'landmarkConfidence', value: Math.round(conf * 100) / 100, unit: 'fraction' }],
      ),
    );
  return limits;
}

function relationHeadline(
  l: TurnContext['lang'],
  rootId: string,
  tname: string,
  center: Measurement,
  g: Gap,
  conn: string | null,
) {
  const zhGap = g.gap ? `,边缘最近处${measuredText(g.gap, 'zh').split(/[((]/)[0]}` : '';
  const enGap = g.gap ? `, ${measuredText(g.gap, 'en').split(' (')[0]} at the nearest edge` : '';
  return tr(
    l,
    `${rootId}中心距${tname}${measuredText(center, 'zh').split(/[((]/)[0]}${zhGap}${conn ? `,${conn}` : ''}。`,
    `${rootId} is ${measuredText(center, 'en').split(' (')[0]} from the ${tname} centre to centre${enGap}` +
      `${conn ? `; ${conn}` : ''}.`,
  );
}

/** The side a target is on: named ("右肺门"), else the subject's own side. */
function targetSide(target: TurnContext['understanding']['targets'][number], root: Anchor) {
  const explicitSide = target.id?.endsWith('_right') ? 'right' : target.id?.endsWith('_left') ? 'left' : null;
  const side = (explicitSide ?? root.location?.side ?? null) as Side;
  const reason: Turn['resolvedTargets'][number]['reason'] =
    target.type === 'carina' ? 'only_one' : explicitSide ? 'explicit_side' : 'ipsilateral';
  return { side, reason };
}

/** Distance and connection from an anchor to the hilum, pleura, chest wall, diaphragm or carina (api.md 10.7, 12.2). */
export function relationLandmark(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const root = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  const target = ctx.understanding.targets[0];
  if (!root || !target) return noSubject(ctx);
  if (!ctx.entry.analysis.anatomy.available)
    return MESSAGE(
      tr(
        l,
        '未安装解剖模型,无法测量到解剖结构的距离。',
        'No anatomy model is installed, so distances to anatomical landmarks cannot be measured.',
      ),
    );
  const { side, reason } = targetSide(target, root);
  if (!side && target.type !== 'carina') return noSubject(ctx);
  const ref = ensureRefinement(ctx, root);
  const subject = ref.anchor ?? root;
  const subjectPoly: Polygon = geometryPolygon(subject.geometry) ?? [subject.center];
  const spacing = spacingOf(ctx.entry.analysis.image);
  const targetType = target.type as TargetType;
  const place = (isLandmarkTarget(targetType) ? landmarkTarget : surfaceTarget)(ctx, targetType, side, subject);
  if (!('targetId' in place)) return place;
  const centerLine: [Point, Point] = [subject.center, place.targetPoint];
  const centerLabel = {
    zh: `中心距离(${root.id}–${targetLabel(targetType, side, 'zh')})`,
    en: `Centre distance (${root.id}–${targetLabel(targetType, side, 'en')})`,
  };
  const center = segmentMeasurement('centerDistance', centerLabel, subject.center, place.targetPoint, spacing);
  const g = relationGap(root.id, targetType, side, subjectPoly, place, spacing);
  const conn = connectionOf(ctx, targetType, subjectPoly, place, g, spacing);
  const id = ctx.newAnchorId();
  const relation: Relation = {
    fromAnchorId: root.id,
    toAnchorId: place.landmark?.id ?? null,
    toTarget: { type: targetType, id: place.targetId },
    centerLine,
    gapLine: g.gapLine,
    ...conn,
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
    geometry: { type: 'polyline', points: centerLine },
    center: [(subject.center[0] + place.targetPoint[0]) / 2, (subject.center[1] + place.targetPoint[1]) / 2],
    measurements: g.gap ? [center, g.gap] : [center],
    relation,
  });
  const tname = targetLabel(targetType, side, l);
  const connText =
    conn.connected === null
      ? null
      : conn.connected
        ? tr(l, `与${tname}相连`, `connected to the ${tname}`)
        : tr(l, `未见与${tname}相连`, `not connected to the ${tname}`);
  const annotations = [...place.annotations, ...relationLines(ctx, id, centerLine, center, g, connText)];
  const ids = [root.id, ...(place.landmark ? [place.landmark.id] : []), id];
  const connItem = connectionItem(ctx, root.id, tname, g, conn, ids);
  const items = [...relationItems(ctx, root.id, tname, center, g, ids), ...(connItem ? [connItem] : [])];
  return {
    headline: relationHeadline(l, root.id, tname, center, g, connText),
    sections: [
      section('relation', tr(l, `与${tname}的关系(估计值)`, `Relation to the ${tname} (estimates)`), items),
      section('limits', tr(l, '说明', 'Notes'), relationLimits(ctx, tname, place)),
    ],
    suggestions: [
      tr(l, '如果这是早期肺癌,典型X线表现应该有哪些?', 'Which features of early lung cancer does it show?'),
    ],
    annotations,
    createdAnchors: [...(ref.created ? [ref.created] : []), ...place.created, measurementAnchor],
    focusAnchorId: root.id,
    refinementCache: ref.cache,
    resolvedTargets: [{ type: targetType, id: place.targetId, reason }],
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
