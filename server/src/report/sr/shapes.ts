/**
 * What the SR exports as measurement groups (api.md 14.3.3): the session's anchors (lesion
 * outlines, user shapes, landmarks, relations), the CTR width lines, and the annotations that
 * carry geometry no anchor does (axes, markers, labels, anatomy outlines).
 */
import type { Analysis, Anchor, Annotation, Lang, Measurement, Point, Session, SignAssessment } from '../../contract';
import { CODES, UNITS, lobeSite, type Code } from './codes';

export type ToolType = 'PlanarFreehandROI' | 'EllipticalROI' | 'Length' | 'Probe' | 'ArrowAnnotate';
export interface NumSpec {
  concept: Code;
  value: number;
  unit: Code;
}
export interface GroupSpec {
  tool: ToolType;
  graphicType: 'POLYLINE' | 'ELLIPSE' | 'POINT';
  /** Closed polylines repeat their first point, as the adapters write them. */
  points: Point[];
  /** "<anchorId> <label>": the adapters' free-text label. */
  label: string;
  nums: NumSpec[];
  finding: Code | null;
  site: { site: Code; laterality: Code | null } | null;
  signs: SignAssessment[];
}

const closed = (pts: Point[]): Point[] => (pts.length ? [...pts, pts[0]] : pts);

/** Length or area of a Measurement as a NUM: mm/mm² when calibrated, else pixel units. */
function num(concept: Code, m: Measurement | undefined, area = false): NumSpec | null {
  if (!m) return null;
  if (m.valueMm !== null) return { concept, value: m.valueMm, unit: area ? UNITS.mm2 : UNITS.mm };
  if (m.valuePx !== null) return { concept, value: m.valuePx, unit: area ? UNITS.px2 : UNITS.px };
  return null;
}
const nonNull = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

function regionNums(a: Anchor): NumSpec[] {
  const m = (n: Measurement['name']) => a.measurements.find((x) => x.name === n);
  return nonNull([
    num(CODES.area, m('area'), true),
    num(CODES.diameter, m('diameter')),
    num(CODES.longAxis, m('longAxis')),
    num(CODES.shortAxis, m('shortAxis')),
  ]);
}

/** Ellipse as SCOORD ELLIPSE: major axis end points, then minor axis end points. */
function ellipsePoints(center: Point, radii: [number, number], rotationDeg: number): Point[] {
  const r = (rotationDeg * Math.PI) / 180;
  const ax = (e: Point, rad: number): Point[] => [
    [center[0] - e[0] * rad, center[1] - e[1] * rad],
    [center[0] + e[0] * rad, center[1] + e[1] * rad],
  ];
  const a = ax([Math.cos(r), Math.sin(r)], radii[0]);
  const b = ax([-Math.sin(r), Math.cos(r)], radii[1]);
  return radii[0] >= radii[1] ? [...a, ...b] : [...b, ...a];
}

const pointGroup = (tool: 'Probe' | 'ArrowAnnotate', p: Point, label: string): GroupSpec => ({
  tool,
  graphicType: 'POINT',
  points: [p],
  label,
  nums: [],
  finding: null,
  site: null,
  signs: [],
});

function lineGroup(a: Point, b: Point, label: string, concept: Code, m: Measurement | null): GroupSpec {
  const n = m ? num(concept, m) : null;
  const px = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return {
    tool: 'Length',
    graphicType: 'POLYLINE',
    points: [a, b],
    label,
    nums: [n ?? { concept, value: px, unit: UNITS.px }],
    finding: null,
    site: null,
    signs: [],
  };
}

/** The group of a region anchor (finding, user or refinement). */
function regionGroup(
  a: Anchor,
  root: Anchor,
  analysis: Analysis,
  signs: SignAssessment[],
  lang: Lang,
): GroupSpec | null {
  const f = root.findingId ? analysis.findings.find((x) => x.id === root.findingId) : undefined;
  const finding = f ? (f.type === 'mass' ? CODES.mass : f.type === 'opacity' ? CODES.opacity : CODES.nodule) : null;
  const site = root.location?.inLung || root.location?.lobe ? lobeSite(root.location.lobe, root.location.side) : null;
  const label = a.label[lang];
  const g = a.geometry;
  if (g.type === 'polygon')
    return {
      tool: 'PlanarFreehandROI',
      graphicType: 'POLYLINE',
      points: closed(g.points),
      label,
      nums: regionNums(a),
      finding,
      site,
      signs,
    };
  if (g.type === 'ellipse') {
    const area = regionNums(a).filter((n) => n.concept === CODES.area);
    return {
      tool: 'EllipticalROI',
      graphicType: 'ELLIPSE',
      points: ellipsePoints(g.center, g.radii, g.rotationDeg),
      label,
      nums: area,
      finding,
      site,
      signs,
    };
  }
  return null;
}

function anchorGroups(session: Session, analysis: Analysis, lang: Lang): GroupSpec[] {
  const byId = new Map(session.anchors.map((a) => [a.id, a]));
  return session.anchors.flatMap((a) => anchorGroup(a, byId, analysis, lang));
}

/** The groups of one anchor: its outline or probe point, or a relation's centre and gap lines. */
function anchorGroup(a: Anchor, byId: Map<string, Anchor>, analysis: Analysis, lang: Lang): GroupSpec[] {
  const label = a.label[lang];
  if (a.kind === 'finding' || a.kind === 'user') {
    if (a.geometry.type === 'point') return [pointGroup('Probe', a.geometry.point, label)];
    // Signs go on the best outline only: the refinement's when it exists.
    const g = regionGroup(a, a, analysis, a.refinedBy ? [] : a.signs, lang);
    // One size per lesion: with a refinement, the refined outline's group carries the size.
    if (g && a.refinedBy) g.nums = [];
    return g ? [g] : [];
  }
  if (a.kind === 'refinement') {
    const root = (a.parentId && byId.get(a.parentId)) || a;
    const g = regionGroup(a, root, analysis, a.signs, lang);
    return g ? [g] : [];
  }
  if (a.kind === 'landmark') return [pointGroup('Probe', a.center, label)];
  if (a.kind === 'measurement' && a.relation) return relationGroups(a, a.relation, lang);
  return [];
}

/** A relation's centre line and, when measured, its nearest-gap line. */
function relationGroups(a: Anchor, rel: NonNullable<Anchor['relation']>, lang: Lang): GroupSpec[] {
  const label = a.label[lang];
  const m = (n: Measurement['name']) => a.measurements.find((x) => x.name === n) ?? null;
  const line = (ends: [Point, Point], meas: Measurement | null) =>
    lineGroup(ends[0], ends[1], `${label} ${meas?.label[lang] ?? ''}`.trim(), CODES.distance, meas);
  const out = [line(rel.centerLine, m('centerDistance'))];
  if (rel.gapLine) out.push(line(rel.gapLine, m('edgeGap')));
  return out;
}

/** The CTR: the cardiac width line carries the ratio NUM; the thoracic width line its own length. */
function ctrGroups(analysis: Analysis, lang: Lang): GroupSpec[] {
  const ctr = analysis.anatomy.cardiothoracicRatio;
  if (!ctr) return [];
  const horiz = (w: typeof ctr.cardiacWidth): [Point, Point] => {
    const y = (w.a[1] + w.b[1]) / 2;
    return [
      [w.a[0], y],
      [w.b[0], y],
    ];
  };
  const [ca, cb] = horiz(ctr.cardiacWidth);
  const [ta, tb] = horiz(ctr.thoracicWidth);
  const cardiac = lineGroup(
    ca,
    cb,
    `${lang === 'zh' ? '心胸比' : 'CTR'} ${ctr.value.toFixed(2)} ${ctr.cardiacWidth.measurement.label[lang]}`,
    CODES.length,
    ctr.cardiacWidth.measurement,
  );
  cardiac.nums.push({ concept: CODES.ctr, value: ctr.value, unit: UNITS.ratio });
  return [
    cardiac,
    lineGroup(ta, tb, ctr.thoracicWidth.measurement.label[lang], CODES.length, ctr.thoracicWidth.measurement),
  ];
}

/** Annotations whose geometry no anchor (or the CTR) already exports. */
function annotationGroups(session: Session, lang: Lang): GroupSpec[] {
  const kindOf = new Map(session.anchors.map((a) => [a.id, a.kind]));
  return session.annotations.flatMap((n) => annotationGroup(n, kindOf, lang));
}

const outlineGroup = (tool: 'PlanarFreehandROI' | 'EllipticalROI', points: Point[], label: string): GroupSpec => ({
  tool,
  graphicType: tool === 'EllipticalROI' ? 'ELLIPSE' : 'POLYLINE',
  points,
  label,
  nums: [],
  finding: null,
  site: null,
  signs: [],
});

function annotationGroup(n: Annotation, kindOf: Map<string, Anchor['kind']>, lang: Lang): GroupSpec[] {
  const named = (text: string) => (n.anchorId && !text.startsWith(n.anchorId) ? `${n.anchorId} ${text}` : text);
  if ((n.kind === 'region' || n.kind === 'outline') && n.anchorId === null) return unanchoredOutlines(n, lang);
  if (n.kind === 'link') {
    const covered =
      (n.anchorId && kindOf.get(n.anchorId) === 'measurement') ||
      n.measurement?.name === 'cardiacWidth' ||
      n.measurement?.name === 'thoracicWidth';
    if (covered) return [];
    const text = named(n.measurement?.label[lang] ?? n.label);
    return [lineGroup(n.points[0], n.points[1], text, CODES.length, n.measurement)];
  }
  if (n.kind === 'points') {
    const landmarkAnchor = !!n.anchorId && kindOf.get(n.anchorId) === 'landmark';
    return n.markers
      .filter((m) => !(m.kind === 'landmark' && landmarkAnchor))
      .map((m) => pointGroup('Probe', m.point, named(m.label)));
  }
  if (n.kind === 'label') return [pointGroup('ArrowAnnotate', n.point, named(n.text))];
  return [];
}

/** Regions and outlines of no anchor (anatomy shown on request): one polyline each, or an ellipse. */
function unanchoredOutlines(n: Extract<Annotation, { kind: 'region' | 'outline' }>, lang: Lang): GroupSpec[] {
  const label = n.measurement?.label[lang] ?? n.structureId ?? n.kind;
  const polys = n.kind === 'region' ? n.polygons : n.geometry.type === 'polygon' ? [n.geometry.points] : [];
  const out = polys.map((p) => outlineGroup('PlanarFreehandROI', closed(p), label));
  if (n.kind === 'outline' && n.geometry.type === 'ellipse') {
    const g = n.geometry;
    out.push(outlineGroup('EllipticalROI', ellipsePoints(g.center, g.radii, g.rotationDeg), label));
  }
  return out;
}

/** Every measurement group of the SR, anchors first (in id order), then CTR, then annotations. */
export function srGroups(session: Session, analysis: Analysis, lang: Lang): GroupSpec[] {
  return [...anchorGroups(session, analysis, lang), ...ctrGroups(analysis, lang), ...annotationGroups(session, lang)];
}
