import type { Anchor, Annotation, AnswerItem, Evidence, Geometry, Measurement, Point } from '../../contract';
import { geometryPolygon, ellipseToPolygon } from '../../geometry/shapes';
import { polygonCentroid } from '../../geometry/polygon';
import { formatMeasurement } from '../../geometry/measurement';
import { nowIso } from '../../ids';
import { sizeMeasurements } from '../../sessions/anchors';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { measurementEvidence } from '../evidence';
import { COLORS, style } from '../palette';
import { noSubject, subjectGeometryAnchor } from './subject';
import { mirrorPoints, regionStats } from './imageStats';

/** A difference in mean grey value (0..1) below this is "similar"; above it one side is denser. */
export const DENSITY_DIFF = 0.04;
/** A texture (coefficient of variation) ratio beyond this is "more heterogeneous". */
export const TEXTURE_RATIO = 1.5;
/** The disc drawn around a point anchor to compare, in mm (px when uncalibrated: 40 px). */
const POINT_RADIUS_MM = 10;

type Stats = ReturnType<typeof regionStats>;
type Root = Anchor;

/** The subject's region: its outline, or a 10 mm disc round a point. */
function subjectPolygon(ctx: TurnContext, shaped: Anchor): Point[] {
  const poly = geometryPolygon(shaped.geometry);
  if (poly) return poly;
  const mm = ctx.entry.analysis.image.pixelSpacingMm;
  const r = mm ? POINT_RADIUS_MM / ((mm[0] + mm[1]) / 2) : 40;
  return ellipseToPolygon(shaped.center, [r, r], 0, 32);
}

/**
 * The `user` anchor of the mirror region. Asked again about the same subject: the mirror anchor and its
 * drawing are updated in place, not duplicated.
 */
function mirrorAnchorOf(ctx: TurnContext, root: Root, mirrorPoly: Point[]): { anchor: Anchor; isNew: boolean } {
  const info = ctx.entry.analysis.image;
  const ref = `mirror:${root.id}`;
  const previous = ctx.state.session.anchors.find((a) => a.kind === 'user' && a.clientRef === ref);
  const id = previous?.id ?? ctx.newAnchorId();
  const geometry: Geometry = { type: 'polygon', points: mirrorPoly };
  const center = polygonCentroid(mirrorPoly);
  const location =
    ctx.entry.pixels.anatomyState && ctx.analysers.anatomy
      ? ctx.analysers.anatomy.locate(ctx.entry.pixels.anatomyState, center, info)
      : ctx.analysers.fallbackLocate(center, info);
  const measurements = sizeMeasurements(geometry, info);
  if (previous) return { anchor: Object.assign(previous, { geometry, center, location, measurements }), isNew: false };
  const anchor: Anchor = {
    id,
    kind: 'user',
    parentId: null,
    createdAt: nowIso(),
    createdByTurnId: ctx.turnId,
    label: { zh: `${id} ${root.id}的对侧镜像区`, en: `${id} mirror of ${root.id} on the other side` },
    findingId: null,
    landmarkId: null,
    clientRef: ref,
    geometry,
    center,
    location,
    measurements,
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
  };
  return { anchor, isNew: true };
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;
function sideEvidence(a: Stats, b: Stats): Evidence[] {
  return [
    { name: 'meanDensity', value: r3(a.mean), unit: 'fraction' },
    { name: 'mirrorMeanDensity', value: r3(b.mean), unit: 'fraction' },
    { name: 'densityDifference', value: r3(a.mean - b.mean), unit: 'fraction' },
    { name: 'textureCv', value: r3(a.cv), unit: 'ratio' },
    { name: 'mirrorTextureCv', value: r3(b.cv), unit: 'ratio' },
  ];
}

/** Which side is denser (a mean-grey difference beyond DENSITY_DIFF), or null. */
function denserSide(a: Stats, b: Stats): 'subject' | 'mirror' | null {
  const diff = a.mean - b.mean;
  return diff > DENSITY_DIFF ? 'subject' : diff < -DENSITY_DIFF ? 'mirror' : null;
}

/** Which side is more heterogeneous (a CV ratio beyond TEXTURE_RATIO), or null. */
function textureSide(a: Stats, b: Stats): 'subject' | 'mirror' | null {
  if (a.cv > TEXTURE_RATIO * Math.max(b.cv, 1e-6)) return 'subject';
  return b.cv > TEXTURE_RATIO * Math.max(a.cv, 1e-6) ? 'mirror' : null;
}

function sideHeadline(ctx: TurnContext, root: Root, id: string, where: string, a: Stats, b: Stats): string {
  const l = ctx.lang;
  const denser = denserSide(a, b);
  return denser === 'subject'
    ? tr(
        l,
        `${root.id}比对侧同一位置(${id},${where})密度更高(平均灰度 ${a.mean.toFixed(2)} 对 ${b.mean.toFixed(2)})。`,
        `${root.id} is denser than the same place on the other side (${id}, ${where}): mean grey ` +
          `${a.mean.toFixed(2)} vs ${b.mean.toFixed(2)}.`,
      )
    : denser === 'mirror'
      ? tr(
          l,
          `对侧同一位置(${id},${where})反而比${root.id}密度更高(${b.mean.toFixed(2)} 对 ${a.mean.toFixed(2)}),请看对侧。`,
          `The same place on the other side (${id}, ${where}) is denser than ${root.id} (${b.mean.toFixed(2)} vs ` +
            `${a.mean.toFixed(2)}); look at the other side.`,
        )
      : tr(
          l,
          `${root.id}与对侧同一位置(${id})密度相近(${a.mean.toFixed(2)} 对 ${b.mean.toFixed(2)})。`,
          `${root.id} and the same place on the other side (${id}) have similar density (${a.mean.toFixed(2)} vs ` +
            `${b.mean.toFixed(2)}).`,
        );
}

type Areas = { subjectArea: Measurement | undefined; mirrorArea: Measurement | undefined };

function comparisonItems(ctx: TurnContext, root: Root, id: string, a: Stats, b: Stats, areas: Areas): AnswerItem[] {
  const l = ctx.lang;
  const { subjectArea, mirrorArea } = areas;
  const diff = a.mean - b.mean;
  const ev = sideEvidence(a, b);
  const texture = textureSide(a, b);
  const items: AnswerItem[] = [
    item(
      tr(
        l,
        `平均灰度(0–1,越亮越致密):${root.id} ${a.mean.toFixed(2)},对侧 ${b.mean.toFixed(2)},差值 ${diff >= 0 ? '+' : ''}` +
          `${diff.toFixed(2)}。`,
        `Mean grey (0–1, brighter = denser): ${root.id} ${a.mean.toFixed(2)}, other side ${b.mean.toFixed(2)}, ` +
          `difference ${diff >= 0 ? '+' : ''}${diff.toFixed(2)}.`,
      ),
      [root.id, id],
      ev.slice(0, 3),
    ),
    item(
      texture === null
        ? tr(
            l,
            `纹理(变异系数)相近:${a.cv.toFixed(2)} 对 ${b.cv.toFixed(2)}。`,
            `Texture (coefficient of variation) similar: ${a.cv.toFixed(2)} vs ${b.cv.toFixed(2)}.`,
          )
        : tr(
            l,
            `${texture === 'subject' ? root.id : '对侧'}纹理更不均匀(变异系数 ${a.cv.toFixed(2)} 对 ${b.cv.toFixed(2)})。`,
            `${texture === 'subject' ? root.id : 'The other side'} is more heterogeneous (coefficient of variation ` +
              `${a.cv.toFixed(2)} vs ${b.cv.toFixed(2)}).`,
          ),
      [root.id, id],
      ev.slice(3),
    ),
  ];
  if (subjectArea && mirrorArea)
    items.push(
      item(
        tr(
          l,
          `比较区域面积:${formatMeasurement(subjectArea, 'zh')} / ${formatMeasurement(mirrorArea, 'zh')}(估计值)。`,
          `Compared areas: ${formatMeasurement(subjectArea, 'en')} / ${formatMeasurement(mirrorArea, 'en')} ` +
            `(estimates).`,
        ),
        [root.id, id],
        [measurementEvidence(subjectArea, 'areaMm2'), measurementEvidence(mirrorArea, 'mirrorAreaMm2')],
      ),
    );
  return items;
}

function sideNotes(l: TurnContext['lang'], method: string): AnswerItem[] {
  return [
    item(
      method === 'lung_frame'
        ? tr(
            l,
            '镜像位置按两肺的肺野坐标(上下比例、内外比例)对应,非简单左右翻转。',
            'The mirror region is placed by lung-frame coordinates (height and medial–lateral fractions), not a ' +
              'plain left–right flip.',
          )
        : tr(
            l,
            '未获得肺野分割,镜像按图像中线左右翻转,位置仅供参考。',
            'No lung segmentation: the region was flipped about the image centre line, so its position is approximate.',
          ),
    ),
    item(
      tr(
        l,
        '两侧密度受心影、肋骨、乳腺软组织和体位影响;差异需阅片医师结合原图判断。',
        'Side-to-side density is affected by the heart, ribs, breast soft tissue and positioning; the reader ' +
          'judges the difference on the image.',
      ),
    ),
  ];
}

function sideAnnotations(
  ctx: TurnContext,
  shaped: Anchor,
  mirror: Anchor,
  poly: Point[],
  diff: number,
  areas: Areas,
): Annotation[] {
  const l = ctx.lang;
  const id = mirror.id;
  const { subjectArea, mirrorArea } = areas;
  const mirrorPoly = (mirror.geometry as { points: Point[] }).points;
  const geometry = mirror.geometry;
  const annId = (anchorId: string, kind: string) =>
    ctx.state.session.annotations.find((n) => n.anchorId === anchorId && n.kind === kind)?.id ?? ctx.newAnnotationId();
  const centre = (g: Point[]) => polygonCentroid(g);
  return [
    {
      id: annId(shaped.id, 'outline'),
      anchorId: shaped.id,
      replaces: null,
      kind: 'outline',
      geometry: shaped.geometry.type === 'point' ? { type: 'polygon', points: poly } : shaped.geometry,
      style: style(COLORS.refinement, { lineWidth: 2, emphasis: 'focus' }),
      measurement: subjectArea ?? null,
    },
    {
      id: annId(id, 'outline'),
      anchorId: id,
      replaces: null,
      kind: 'outline',
      geometry,
      style: style(COLORS.user, { lineWidth: 2 }),
      measurement: mirrorArea ?? null,
    },
    {
      id: annId(id, 'link'),
      anchorId: id,
      replaces: null,
      kind: 'link',
      points: [centre(poly), centre(mirrorPoly)],
      label: tr(
        l,
        `对侧对照 ${diff >= 0 ? '+' : ''}${diff.toFixed(2)}`,
        `mirror ${diff >= 0 ? '+' : ''}${diff.toFixed(2)}`,
      ),
      style: style(COLORS.centerLink, { lineDash: 'dashed' }),
      measurement: null,
    },
  ];
}

/**
 * "和对侧同一位置比较一下 / compare it with the same area on the left" (api.md 10.7 `compare_side`):
 * mirrors the subject's region into the other lung through the lung frames, creates a `user`
 * anchor there, and compares mean density and texture of the two regions; both drawn.
 */
export function compareSide(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const root = ctx.resolved[0]?.anchorId ? ctx.anchor(ctx.resolved[0].anchorId) : undefined;
  if (!root) return noSubject(ctx);
  const shaped = subjectGeometryAnchor(ctx, root);
  const info = ctx.entry.analysis.image;
  const poly = subjectPolygon(ctx, shaped);
  const mirror = mirrorPoints(poly, root.location?.side ?? null, ctx.entry.analysis.anatomy, info);
  const mirrorPoly = mirror.points.map(
    ([x, y]) => [Math.min(info.columns, Math.max(0, x)), Math.min(info.rows, Math.max(0, y))] as Point,
  );
  const a = regionStats(ctx.entry.pixels, poly);
  const b = regionStats(ctx.entry.pixels, mirrorPoly);
  const { anchor: mirrorAnchor, isNew } = mirrorAnchorOf(ctx, root, mirrorPoly);
  const id = mirrorAnchor.id;
  const areas: Areas = {
    subjectArea: sizeMeasurements({ type: 'polygon', points: poly }, info).find((m) => m.name === 'area'),
    mirrorArea: mirrorAnchor.measurements.find((m) => m.name === 'area'),
  };
  // the subject's annotations are asked for first (their ids come before the mirror's)
  const annotations = sideAnnotations(ctx, shaped, mirrorAnchor, poly, a.mean - b.mean, areas);
  return {
    headline: sideHeadline(ctx, root, id, mirrorAnchor.location?.text[l] ?? '', a, b),
    sections: [
      section(
        'comparison',
        tr(l, '与对侧对比', 'Side-to-side comparison'),
        comparisonItems(ctx, root, id, a, b, areas),
      ),
      section('limits', tr(l, '说明', 'Notes'), sideNotes(l, mirror.method)),
    ],
    suggestions: [
      tr(l, `${root.id}边缘是否规则?`, `Is ${root.id}'s margin regular?`),
      tr(l, '下一步建议怎么做?', 'What do you recommend?'),
    ],
    annotations,
    createdAnchors: isNew ? [mirrorAnchor] : [],
    focusAnchorId: root.id,
  };
}
