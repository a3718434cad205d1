import type { Anchor, Bilingual, Finding, Geometry, ImageInfo, Location, Measurement, Point } from '../contract';
import { segmentMeasurement, type ImageSpacing } from '../geometry/measurement';
import { feretAxes, polygonArea, polygonCentroid } from '../geometry/polygon';
import { geometryPolygon } from '../geometry/shapes';
import { areaMeasurement, areaMm2, lengthMeasurement, lengthMm, lengthPx } from '../geometry/units';
import { nowIso } from '../ids';
import { LOBE_NAMES, SIDE_NAMES } from '../analysis/anatomy/labels';
import { anatomyName, getOntology } from '../ontology';

export const spacingOf = (info: ImageInfo): ImageSpacing => ({ mm: info.pixelSpacingMm, source: info.spacingSource });

/** Centre of a geometry: the point, the ellipse centre or the polygon centroid. */
export function geometryCenter(g: Geometry): Point {
  if (g.type === 'point') return g.point;
  if (g.type === 'ellipse') return g.center;
  return polygonCentroid(g.points);
}

const LABELS = {
  diameter: { zh: '直径', en: 'Diameter' },
  longAxis: { zh: '长径', en: 'Long axis' },
  shortAxis: { zh: '短径', en: 'Short axis' },
  area: { zh: '面积', en: 'Area' },
} satisfies Record<string, Bilingual>;

/** Long and short axis endpoints of a region (api.md 12.1); null for points and polylines. */
export function axisSegments(g: Geometry, info: ImageInfo): { long: [Point, Point]; short: [Point, Point] } | null {
  const poly = geometryPolygon(g);
  if (!poly) return null;
  if (g.type === 'ellipse') {
    // Ellipse axes are exact: 2 × each radius along the rotated axes.
    const r = (g.rotationDeg * Math.PI) / 180;
    const seg = (e: Point, rad: number): [Point, Point] => [
      [g.center[0] - e[0] * rad, g.center[1] - e[1] * rad],
      [g.center[0] + e[0] * rad, g.center[1] + e[1] * rad],
    ];
    const a = seg([Math.cos(r), Math.sin(r)], g.radii[0]),
      b = seg([-Math.sin(r), Math.cos(r)], g.radii[1]);
    const len = (s: [Point, Point]) =>
      info.pixelSpacingMm ? lengthMm(s[0], s[1], info.pixelSpacingMm) : lengthPx(s[0], s[1]);
    return len(a) >= len(b) ? { long: a, short: b } : { long: b, short: a };
  }
  const { longAxis, shortAxis } = feretAxes(poly, info.pixelSpacingMm);
  return { long: [longAxis.a, longAxis.b], short: [shortAxis.a, shortAxis.b] };
}

/** Size measurements of a region: diameter, long and short axis, area (api.md 12.1); [] for points. */
export function sizeMeasurements(g: Geometry, info: ImageInfo): Measurement[] {
  const axes = axisSegments(g, info);
  const poly = geometryPolygon(g);
  if (!axes || !poly) return [];
  const spacing = spacingOf(info);
  const longM = segmentMeasurement('longAxis', LABELS.longAxis, axes.long[0], axes.long[1], spacing);
  const shortM = segmentMeasurement('shortAxis', LABELS.shortAxis, axes.short[0], axes.short[1], spacing);
  const areaPx = g.type === 'ellipse' ? Math.PI * g.radii[0] * g.radii[1] : polygonArea(poly);
  const mm = (m: Measurement) => m.valueMm;
  const diaMm = mm(longM) !== null && mm(shortM) !== null ? (mm(longM)! + mm(shortM)!) / 2 : null;
  return [
    lengthMeasurement('diameter', LABELS.diameter, (longM.valuePx! + shortM.valuePx!) / 2, diaMm, spacing.source),
    longM,
    shortM,
    areaMeasurement('area', LABELS.area, areaPx, spacing.mm ? areaMm2(areaPx, spacing.mm) : null, spacing.source),
  ];
}

/**
 * The short place name of a location (api.md 6.1): its lobe ("右肺中叶" / "right middle lobe") when
 * the lobe's probability is ≥ 0.7, else its zone ("右中肺野" / "right mid zone"), else its side.
 */
function placeName(loc: Location | null): Bilingual {
  if (loc?.lobe && (loc.lobeConfidence ?? 0) >= 0.7)
    return { zh: LOBE_NAMES[loc.lobe].zh, en: LOBE_NAMES[loc.lobe].en };
  const zone = (loc?.side === 'right' || loc?.side === 'left') && loc.zone ? `zone_${loc.side}_${loc.zone}` : null;
  // The lexicon's zone names: 右中肺野 / right mid zone.
  if (zone && anatomyName(zone)) return anatomyName(zone)!;
  if (loc?.side === 'right' || loc?.side === 'left')
    return { zh: SIDE_NAMES[loc.side].zh + '侧', en: SIDE_NAMES[loc.side].en };
  if (loc?.lobe) return { zh: LOBE_NAMES[loc.lobe].zh, en: LOBE_NAMES[loc.lobe].en };
  return { zh: '', en: '' };
}

/** What every new anchor states; the other fields default to "none" (no parent, finding, relation …). */
export type AnchorCore = Pick<Anchor, 'id' | 'kind' | 'label' | 'geometry' | 'center'> &
  Partial<Omit<Anchor, 'id' | 'kind' | 'label' | 'geometry' | 'center'>>;

/** A new anchor (api.md 8.1) in the contract's field order, created now. */
export function makeAnchor(a: AnchorCore): Anchor {
  return {
    id: a.id,
    kind: a.kind,
    parentId: a.parentId ?? null,
    createdAt: a.createdAt ?? nowIso(),
    createdByTurnId: a.createdByTurnId ?? null,
    label: a.label,
    findingId: a.findingId ?? null,
    landmarkId: a.landmarkId ?? null,
    clientRef: a.clientRef ?? null,
    geometry: a.geometry,
    center: a.center,
    location: a.location ?? null,
    measurements: a.measurements ?? [],
    signs: a.signs ?? [],
    features: a.features ?? null,
    relation: a.relation ?? null,
    refinedBy: a.refinedBy ?? null,
  };
}

/** A new anchor made by a turn: its id drawn now, handed to `make` for the label (which names it). */
export function turnAnchor(
  turn: { newAnchorId(): string; turnId: string },
  make: (id: string) => Omit<AnchorCore, 'id' | 'createdByTurnId'>,
): Anchor {
  const id = turn.newAnchorId();
  return makeAnchor({ ...make(id), id, createdByTurnId: turn.turnId });
}

/** The anchor made for each finding when a session starts (api.md 8.1). */
export function findingAnchor(id: string, f: Finding): Anchor {
  const place = placeName(f.location);
  const noun = getOntology().findingWords.types[f.type].name;
  return makeAnchor({
    id,
    kind: 'finding',
    label: { zh: `${id} ${place.zh}${noun.zh}`, en: `${id} ${place.en ? place.en + ' ' : ''}${noun.en}` },
    findingId: f.id,
    geometry: { type: 'polygon', points: f.contour },
    center: f.center,
    location: f.location,
    measurements: [lengthMeasurement('diameter', LABELS.diameter, f.diameterPx, f.diameterMm, f.spacingSource)],
    signs: f.signs,
  });
}

/** Follows parentId up to the finding/user/landmark anchor that references resolve to. */
export function lineageRoot(anchors: Anchor[], id: string): Anchor | null {
  const byId = new Map(anchors.map((a) => [a.id, a]));
  let a = byId.get(id) ?? null;
  const seen = new Set<string>();
  while (a && (a.kind === 'refinement' || a.kind === 'measurement') && a.parentId && !seen.has(a.id)) {
    seen.add(a.id);
    a = byId.get(a.parentId) ?? null;
  }
  return a;
}
