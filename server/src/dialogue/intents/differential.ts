import type { Anchor, Annotation, AnswerItem, Evidence, Point, SignAssessment } from '../../contract';
import mimicData from '../../../../ontology/dialogue/mimics.json';
import { segmentMeasurement } from '../../geometry/measurement';
import { feretAxes, pointInPolygon, polygonCentroid, round1, round2 } from '../../geometry/polygon';
import { spacingOf } from '../../sessions/anchors';
import { item, section, tr, type IntentResult, type TurnContext } from '../context';
import { COLORS, style } from '../palette';
import { discMean, mirrorPoints, ringMean } from './imageStats';
import { readerResponsibility } from './recommendation';
import { isRefined, refinedOutline, refinedSubject, signName } from './signs';

type MimicId = 'vessel_end_on' | 'nipple_shadow' | 'bone' | 'skin_fold' | 'artefact';
interface Mimic {
  id: MimicId;
  name: { zh: string; en: string };
  cues: { zh: string[]; en: string[] };
  test: { zh: string; en: string };
}
export const MIMICS: Mimic[] = (mimicData as { mimics: Mimic[] }).mimics;
const CUE = new Map(MIMICS.map((m) => [m.id, new RegExp([...m.cues.zh, ...m.cues.en].join('|'))]));

/** Which mimics the question names ("是不是血管断面" → vessel); none named = the generic differential. */
export function mimicsAsked(text: string): MimicId[] {
  const t = text.normalize('NFKC').toLowerCase();
  return MIMICS.filter((m) => CUE.get(m.id)!.test(t)).map((m) => m.id);
}

/**
 * Largest end-on vessel calibre expected at a distance from the hilar point (mm): ~10 mm at the hilum
 * tapering to 2 mm.
 */
export const vesselCalibreMm = (distanceMm: number): number => Math.max(2, 10 - distanceMm / 10);
/**
 * Elongation (long/short) and alignment |cos| with the hilar direction that make a contour "tubular
 * towards the hilum".
 */
export const TUBULAR = { elongation: 1.6, alignment: 0.85 };
/** Vessel evidence score at or above which a vessel is supported, at or below which it is argued against. */
export const VESSEL_SCORE = { supported: 2, against: -1.5 };
/**
 * Mirror counterpart contrast / subject contrast at or above this = a symmetric counterpart (nipples come
 * in pairs).
 */
export const COUNTERPART_RATIO = 0.6;
/** Lateral / medial edge-step ratio at or above this = sharp lateral, fading medial edge. */
export const EDGE_RATIO = 1.5;

interface Test {
  status: SignAssessment['status'];
  text: string;
  evidence: Evidence[];
  annotations: Annotation[];
}
interface Geo {
  root: Anchor;
  contour: Point[];
  centre: Point;
  mmPerPx: number;
  diameterMm: number;
  longMm: number;
  shortMm: number;
  axis: [Point, Point];
}

/** What the vessel test measures: hilar distance, expected calibre, shape towards the hilum, continuation. */
interface VesselMeasures {
  distMm: number;
  calibre: number;
  calibreMm: number;
  alignment: number;
  elongation: number;
  start: number;
  end: number;
  contMm: number;
  tubular: boolean;
  continues: boolean;
  status: Test['status'];
  at: (d: number) => Point;
}

/**
 * Tubular continuation: walk from the contour edge towards the hilum while a ridge brighter than its
 * sides persists. Returns the start (contour edge) and end of the ridge, in px along the direction.
 */
function ridgeTowardsHilum(ctx: TurnContext, g: Geo, u: Point, distPx: number, rPx: number) {
  const n: Point = [-u[1], u[0]];
  let start = 0;
  while (start < distPx && pointInPolygon([g.centre[0] + u[0] * start, g.centre[1] + u[1] * start], g.contour))
    start += 1;
  const px = ctx.entry.pixels;
  const lesionContrast = discMean(px, g.centre, rPx * 0.6) - ringMean(px, g.centre, rPx * 1.3, rPx * 2);
  const at = (d: number): Point => [g.centre[0] + u[0] * d, g.centre[1] + u[1] * d];
  let end = start,
    misses = 0;
  const maxLen = Math.min(distPx - start, 4 * 2 * rPx);
  for (let d = start; d < start + maxLen; d += Math.max(1, rPx / 4)) {
    const p = at(d);
    const ridge = discMean(px, p, rPx / 3);
    const sides =
      (discMean(px, [p[0] + n[0] * rPx * 1.5, p[1] + n[1] * rPx * 1.5], rPx / 3) +
        discMean(px, [p[0] - n[0] * rPx * 1.5, p[1] - n[1] * rPx * 1.5], rPx / 3)) /
      2;
    if (ridge - sides > Math.max(0.005, 0.25 * lesionContrast)) {
      end = d;
      misses = 0;
    } else if (++misses >= 2) break;
  }
  return { start, end, at };
}

function vesselMeasures(ctx: TurnContext, g: Geo, hilum: Point): VesselMeasures {
  const dx = hilum[0] - g.centre[0],
    dy = hilum[1] - g.centre[1];
  const distPx = Math.hypot(dx, dy);
  const distMm = distPx * g.mmPerPx;
  const calibre = vesselCalibreMm(distMm);
  const ax = [g.axis[1][0] - g.axis[0][0], g.axis[1][1] - g.axis[0][1]];
  const alignment = Math.abs(ax[0]! * dx + ax[1]! * dy) / (Math.hypot(ax[0]!, ax[1]!) * distPx || 1);
  const elongation = g.shortMm > 0 ? g.longMm / g.shortMm : 1;
  const rPx = Math.max(2, g.diameterMm / g.mmPerPx / 2);
  const { start, end, at } = ridgeTowardsHilum(ctx, g, [dx / distPx, dy / distPx], distPx, rPx);
  const contMm = (end - start) * g.mmPerPx;
  // Each piece of evidence votes: size against the expected calibre (+1 fits, −1 exceeds, −2 exceeds it by half),
  // a tubular shape towards the hilum and a continuation (+1 each, −0.5 when missing).
  // A vessel's calibre is its short axis (seen obliquely it is drawn out, not wider): compare that,
  // and quote it as the short axis of the lesion's one size (long × short, api.md 6.1).
  const calibreMm = g.shortMm;
  let score = calibreMm <= calibre ? 1 : calibreMm > 1.5 * calibre ? -2 : -1;
  const tubular = elongation >= TUBULAR.elongation && alignment >= TUBULAR.alignment;
  score += tubular ? 1 : -0.5;
  const continues = contMm >= g.diameterMm;
  score += continues ? 1 : -0.5;
  const status: Test['status'] =
    score >= VESSEL_SCORE.supported ? 'present' : score <= VESSEL_SCORE.against ? 'absent' : 'indeterminate';
  return { distMm, calibre, calibreMm, alignment, elongation, start, end, contMm, tubular, continues, status, at };
}

function vesselEvidence(ctx: TurnContext, m: VesselMeasures): Evidence[] {
  return [
    {
      name: 'shortAxisMm',
      value: round1(m.calibreMm),
      unit: 'mm',
      estimate: true,
      spacingSource: spacingOf(ctx.entry.analysis.image).source,
    },
    {
      name: 'hilumDistanceMm',
      value: round1(m.distMm),
      unit: 'mm',
      estimate: true,
      spacingSource: spacingOf(ctx.entry.analysis.image).source,
    },
    {
      name: 'expectedVesselCalibreMm',
      value: round1(m.calibre),
      unit: 'mm',
      estimate: true,
      spacingSource: spacingOf(ctx.entry.analysis.image).source,
    },
    { name: 'elongation', value: round2(m.elongation), unit: 'ratio' },
    { name: 'hilarAlignment', value: round2(m.alignment), unit: 'ratio' },
    {
      name: 'continuationMm',
      value: round1(m.contMm),
      unit: 'mm',
      estimate: true,
      spacingSource: spacingOf(ctx.entry.analysis.image).source,
    },
  ];
}

function vesselText(ctx: TurnContext, g: Geo, m: VesselMeasures): string {
  const l = ctx.lang;
  const sizeText =
    m.calibreMm <= m.calibre
      ? tr(
          l,
          `短径约 ${round1(m.calibreMm)} mm,不超过该处(距肺门 ${round1(m.distMm)} mm)血管断面的预期管径 ${round1(m.calibre)} mm`,
          `its short axis of about ${round1(m.calibreMm)} mm fits the calibre expected of a vessel ` +
            `${round1(m.distMm)} mm from the hilum (≤ ${round1(m.calibre)} mm)`,
        )
      : tr(
          l,
          `短径约 ${round1(m.calibreMm)} mm,超过距肺门 ${round1(m.distMm)} mm 处血管断面的预期管径(≤ ${round1(m.calibre)} mm)`,
          `its short axis of about ${round1(m.calibreMm)} mm exceeds the calibre expected of a vessel ` +
            `${round1(m.distMm)} mm from the hilum (≤ ${round1(m.calibre)} mm)`,
        );
  const shapeText = m.tubular
    ? tr(
        l,
        `向肺门方向拉长(长短径比 ${round2(m.elongation)})`,
        `it is elongated towards the hilum (long/short ${round2(m.elongation)})`,
      )
    : tr(
        l,
        `未向肺门方向拉长(长短径比 ${round2(m.elongation)},方向一致性 ${round2(m.alignment)})`,
        `it is not elongated towards the hilum (long/short ${round2(m.elongation)}, ` +
          `alignment ${round2(m.alignment)})`,
      );
  const contText = m.continues
    ? tr(
        l,
        `向肺门方向有管状影延续约 ${round1(m.contMm)} mm`,
        `a m.tubular density m.continues about ${round1(m.contMm)} mm towards the hilum`,
      )
    : tr(l, '未见向肺门延续的管状影', 'no tubular continuation towards the hilum');
  const verdict =
    m.status === 'present'
      ? tr(l, '支持血管断面', 'supports a vessel seen end-on')
      : m.status === 'absent'
        ? tr(l, '不支持血管断面', 'argues against a vessel seen end-on')
        : tr(l, '无法确定', 'indeterminate');
  return tr(
    l,
    `${g.root.id}:${sizeText};${shapeText};${contText}——${verdict}。`,
    `${g.root.id}: ${sizeText}; ${shapeText}; ${contText} — ${verdict}.`,
  );
}

/** The dashed line to the hilum and the traced continuation, each with its measurement. */
function vesselDrawing(ctx: TurnContext, g: Geo, hilum: { point: Point }, m: VesselMeasures): Annotation[] {
  const l = ctx.lang;
  // The measurements the test uses travel with the drawing (api.md 10.7 `differential`).
  const spacing = spacingOf(ctx.entry.analysis.image);
  const hilarLine = segmentMeasurement(
    'centerDistance',
    { zh: '至肺门距离', en: 'Distance to hilum' },
    g.centre,
    hilum.point,
    spacing,
  );
  const annotations: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: g.root.id,
      replaces: null,
      kind: 'link',
      points: [g.centre, hilum.point],
      label: tr(l, `距肺门 ${round1(m.distMm)} mm`, `to hilum ${round1(m.distMm)} mm`),
      style: style(COLORS.centerLink, { lineDash: 'dashed' }),
      measurement: hilarLine,
    },
  ];
  if (m.continues)
    annotations.push({
      id: ctx.newAnnotationId(),
      anchorId: g.root.id,
      replaces: null,
      kind: 'link',
      points: [m.at(m.start), m.at(m.end)],
      label: tr(l, `管状延续 ${round1(m.contMm)} mm`, `tubular continuation ${round1(m.contMm)} mm`),
      style: style(COLORS.landmark, { lineWidth: 3, emphasis: 'focus' }),
      measurement: segmentMeasurement(
        'length',
        { zh: '管状延续长度', en: 'Tubular continuation' },
        m.at(m.start),
        m.at(m.end),
        spacing,
      ),
    });
  return annotations;
}

function vesselTest(ctx: TurnContext, g: Geo): Test {
  const l = ctx.lang;
  const side = g.root.location?.side ?? null;
  const hilum = side ? ctx.entry.analysis.anatomy.landmarks.find((m) => m.id === `hilum_${side}`) : undefined;
  if (!hilum)
    return {
      status: 'indeterminate',
      text: tr(
        l,
        '未定位到同侧肺门,无法按距肺门距离检验血管断面。',
        'The hilum on this side was not located, so the vessel test cannot be run.',
      ),
      evidence: [],
      annotations: [],
    };
  const m = vesselMeasures(ctx, g, hilum.point);
  return {
    status: m.status,
    text: vesselText(ctx, g, m),
    evidence: vesselEvidence(ctx, m),
    annotations: vesselDrawing(ctx, g, hilum, m),
  };
}

/** What the nipple test measures: position, a symmetric counterpart, the lateral vs medial edge. */
interface NippleMeasures {
  lowerZone: boolean;
  mirror: Point;
  ratio: number;
  counterpart: boolean;
  latStep: number;
  medStep: number;
  edge: boolean;
}

function nippleMeasures(ctx: TurnContext, g: Geo): NippleMeasures {
  const loc = g.root.location;
  const s = loc?.lungFraction?.vertical ?? null;
  const px = ctx.entry.pixels;
  const rPx = Math.max(2, g.diameterMm / g.mmPerPx / 2);
  const contrast = (c: Point) => discMean(px, c, rPx * 0.7) - ringMean(px, c, rPx * 1.3, rPx * 2.2);
  const mirror = mirrorPoints([g.centre], loc?.side ?? null, ctx.entry.analysis.anatomy, ctx.entry.analysis.image)
    .points[0]!;
  const cs = contrast(g.centre);
  const ratio = cs > 0 ? Math.max(0, contrast(mirror) / cs) : 0;
  // Edge steps along the horizontal: lateral edge vs medial edge (the image x of "lateral" depends on the side).
  const standard = !(ctx.entry.analysis.image.patientOrientation?.[0] ?? 'L').trim().toUpperCase().startsWith('R');
  const lat = (loc?.side === 'right') === standard ? -1 : 1;
  const step = (dir: number) =>
    discMean(px, [g.centre[0] + dir * rPx * 0.6, g.centre[1]], rPx / 3) -
    discMean(px, [g.centre[0] + dir * rPx * 1.4, g.centre[1]], rPx / 3);
  const latStep = step(lat);
  const medStep = step(-lat);
  return {
    lowerZone: loc?.zone === 'lower' || (s !== null && s >= 0.5 && s <= 0.9),
    mirror,
    ratio,
    counterpart: ratio >= COUNTERPART_RATIO,
    latStep,
    medStep,
    edge: latStep > 0 && latStep >= EDGE_RATIO * Math.max(medStep, 1e-3),
  };
}

function nippleEvidence(ctx: TurnContext, g: Geo, m: NippleMeasures): Evidence[] {
  return [
    { name: 'zone', value: g.root.location?.zone ?? 'unknown', unit: null },
    { name: 'counterpartContrastRatio', value: round2(m.ratio), unit: 'ratio' },
    {
      name: 'lateralMedialEdgeRatio',
      value: round2(m.medStep > 0 ? m.latStep / m.medStep : m.latStep > 0 ? 99 : 0),
      unit: 'ratio',
    },
    {
      name: 'diameterMm',
      value: round1(g.diameterMm),
      unit: 'mm',
      estimate: true,
      spacingSource: spacingOf(ctx.entry.analysis.image).source,
    },
  ];
}

/** The nipple test's sentence: position; counterpart; edges — verdict. */
function nippleText(ctx: TurnContext, g: Geo, m: NippleMeasures, status: Test['status']): string {
  const l = ctx.lang;
  const loc = g.root.location;
  const r = round2(m.ratio);
  const pos = m.lowerZone
    ? tr(l, '位于下肺野(乳头常见位置)', 'it lies in the lower zone, where nipples project')
    : tr(
        l,
        `位于${loc?.text.zh ?? '非下肺野'},不是乳头的常见位置`,
        `it lies in the ${loc?.text.en ?? 'upper or mid zone'}, not where nipples project`,
      );
  const cp = m.counterpart
    ? tr(
        l,
        `对侧对称位置有相似的影(对比度比 ${r})`,
        `the symmetric point on the other side has a similar shadow (contrast ratio ${r})`,
      )
    : tr(
        l,
        `对侧对称位置未见相似影(对比度比 ${r})`,
        `the symmetric point on the other side shows no similar shadow (contrast ratio ${r})`,
      );
  const ed = m.edge
    ? tr(l, '外缘锐利、内缘渐淡', 'its lateral edge is sharp and the medial edge fades')
    : tr(l, '未见外缘锐利、内缘渐淡的特点', 'no sharp-lateral, fading-medial edge');
  const verdict =
    status === 'present'
      ? tr(
          l,
          '可能为乳头影,建议加乳头标记复拍确认',
          'a nipple shadow is possible: a repeat film with nipple markers settles it',
        )
      : status === 'absent'
        ? tr(l, '不支持乳头影', 'argues against a nipple shadow')
        : tr(l, '无法确定,可加乳头标记复拍', 'indeterminate; a repeat film with nipple markers settles it');
  return tr(l, `${g.root.id}:${pos};${cp};${ed}——${verdict}。`, `${g.root.id}: ${pos}; ${cp}; ${ed} — ${verdict}.`);
}

function nippleTest(ctx: TurnContext, g: Geo): Test {
  const l = ctx.lang;
  const m = nippleMeasures(ctx, g);
  const sizeFits = g.diameterMm >= 4 && g.diameterMm <= 20;
  const status: Test['status'] =
    !m.lowerZone || !sizeFits ? 'absent' : m.counterpart || m.edge ? 'present' : 'indeterminate';
  const annotations: Annotation[] = [
    {
      id: ctx.newAnnotationId(),
      anchorId: g.root.id,
      replaces: null,
      kind: 'points',
      style: style(COLORS.landmark, { emphasis: 'focus' }),
      measurement: null,
      markers: [{ point: m.mirror, label: tr(l, '对侧对称点', 'mirror point'), kind: 'landmark', measurement: null }],
    },
    {
      id: ctx.newAnnotationId(),
      anchorId: g.root.id,
      replaces: null,
      kind: 'link',
      points: [g.centre, m.mirror],
      label: tr(l, '对侧对照', 'mirror'),
      style: style(COLORS.centerLink, { lineDash: 'dashed' }),
      measurement: null,
    },
  ];
  return { status, text: nippleText(ctx, g, m, status), evidence: nippleEvidence(ctx, g, m), annotations };
}

function boneTest(ctx: TurnContext, g: Geo, signs: SignAssessment[]): Test {
  const l = ctx.lang;
  const calc = signs.find((s) => s.signId === 'calcification');
  const dense = calc?.status === 'present';
  return {
    status: 'indeterminate',
    text: tr(
      l,
      `${g.root.id}:是否位于肋骨上并随肋骨移动,单张正位片无法检验(无肋骨分割,需斜位或透视);${dense ? '病灶内可见钙化样高密度,与骨岛或软骨钙化相容' : '未见骨样高密度'}。`,
      `${g.root.id}: whether it lies on a rib and moves with it cannot be tested on one frontal film (no rib ` +
        `segmentation; an oblique view or fluoroscopy can); ` +
        `${dense ? BONE_DENSE_EN : 'no bone-like density is seen'}.`,
    ),
    evidence: calc ? calc.evidence : [],
    annotations: [],
  };
}

function skinFoldTest(ctx: TurnContext, g: Geo): Test {
  const l = ctx.lang;
  const elongation = g.shortMm > 0 ? g.longMm / g.shortMm : 1;
  const inLung = !ctx.entry.analysis.anatomy.available || (g.root.location?.inLung ?? true);
  const status: Test['status'] = elongation >= 3 || !inLung ? 'present' : elongation < 1.5 ? 'absent' : 'indeterminate';
  const text =
    status === 'absent'
      ? tr(
          l,
          `${g.root.id}:为闭合的类圆形轮廓(长短径比 ${round2(elongation)}),不像皮肤皱褶形成的线状边界。`,
          `${g.root.id}: a closed roundish contour (long/short ${round2(elongation)}), not the line-like edge of a ` +
            `skin fold.`,
        )
      : status === 'present'
        ? tr(
            l,
            `${g.root.id}:形态细长(长短径比 ${round2(elongation)})或越出肺野,皮肤皱褶可能。`,
            `${g.root.id}: long and thin (long/short ${round2(elongation)}) or crossing the lung edge: a skin fold ` +
              `is possible.`,
          )
        : tr(
            l,
            `${g.root.id}:形态介于两者之间(长短径比 ${round2(elongation)}),无法确定。`,
            `${g.root.id}: an intermediate shape (long/short ${round2(elongation)}): indeterminate.`,
          );
  return {
    status,
    text,
    evidence: [
      { name: 'elongation', value: round2(elongation), unit: 'ratio' },
      { name: 'inLung', value: inLung, unit: null },
    ],
    annotations: [],
  };
}

function artefactTest(ctx: TurnContext, g: Geo): Test {
  const l = ctx.lang;
  const loc = g.root.location;
  const outside = ctx.entry.analysis.anatomy.available && !!loc && !loc.inLung && !loc.retrocardiac;
  const f = g.root.findingId ? ctx.entry.analysis.findings.find((x) => x.id === g.root.findingId) : undefined;
  const status: Test['status'] = outside ? 'present' : 'indeterminate';
  return {
    status,
    text: outside
      ? tr(
          l,
          `${g.root.id}位于肺野以外,体外物或伪影可能,请核对患者体表与衣物。`,
          `${g.root.id} lies outside the lung fields: an external object or artefact is possible; check the ` +
            `patient and clothing.`,
        )
      : tr(
          l,
          `${g.root.id}位于肺野内;是否为伪影无法仅凭本片检验(可复拍或检查体表)${f ? `,检测置信度 ${f.score.toFixed(2)}` : ''}。`,
          `${g.root.id} lies within the lung: an artefact cannot be tested on this film alone (repeat the film or ` +
            `inspect the patient)${f ? `; detector score ${f.score.toFixed(2)}` : ''}.`,
        ),
    evidence: [
      { name: 'inLung', value: loc?.inLung ?? true, unit: null },
      ...(f ? [{ name: 'score', value: round2(f.score), unit: 'fraction' as const }] : []),
    ],
    annotations: [],
  };
}

/** The hedged list of considerations a finding's features raise (never a diagnosis). */
function considerations(ctx: TurnContext, g: Geo, signs: SignAssessment[]): AnswerItem[] {
  const l = ctx.lang;
  const present = new Set(signs.filter((s) => s.status === 'present').map((s) => s.signId));
  const out: AnswerItem[] = [];
  const add = (zh: string, en: string, ids: string[]) =>
    out.push(item(tr(l, zh, en), [g.root.id], [], { signId: ids[0] ?? null, status: ids.length ? 'present' : null }));
  const why = (ids: string[]) => ids.map((id) => signName(ctx, id)).join(l === 'zh' ? '、' : ', ');
  const malignantSigns = [
    'margin_spiculated',
    'margin_lobulated',
    'notch_sign',
    'pleural_indentation',
    'vacuole_sign',
  ].filter((id) => present.has(id));
  if (g.diameterMm > 30)
    add(
      `大于3 cm的肿块:恶性肿瘤可能性较高,需CT评估。`,
      `A mass over 3 cm: malignancy is more likely; CT is needed.`,
      [],
    );
  if (malignantSigns.length)
    add(
      `有${why(malignantSigns)}:需考虑原发性肺癌。`,
      `${why(malignantSigns)}: primary lung cancer must be considered.`,
      malignantSigns,
    );
  if (present.has('calcification'))
    add(
      '有钙化:肉芽肿或错构瘤等良性病变可能(钙化形态X线判断有限)。',
      'Calcification: a granuloma or hamartoma is possible (radiographs judge the pattern poorly).',
      ['calcification'],
    );
  if (present.has('cavitation'))
    add(
      '有空洞:感染(肺脓肿、结核)或空洞性肿瘤均需考虑。',
      'Cavitation: infection (abscess, tuberculosis) or a cavitating tumour.',
      ['cavitation'],
    );
  if (present.has('margin_ill_defined') || present.has('air_bronchogram'))
    add(
      '边缘模糊/支气管充气:炎症或局灶性肺炎可能,短期复查可鉴别。',
      'Ill-defined margin / air bronchogram: inflammation or focal pneumonia is possible; a short-interval ' +
        'follow-up can tell.',
      [...['margin_ill_defined', 'air_bronchogram'].filter((id) => present.has(id))],
    );
  const findings = ctx.state.session.anchors.filter((a) => a.kind === 'finding').length;
  if (findings >= 2)
    add(
      `本片有 ${findings} 处病灶:多发时需考虑转移瘤或多发肉芽肿。`,
      `${findings} findings on this film: with several nodules, metastases or multiple granulomas come into question.`,
      [],
    );
  if (!out.length)
    add(
      '边缘光整、无特殊征象:肉芽肿、错构瘤与小的原发肿瘤在X线上无法区分。',
      'Smooth and without distinctive signs: a granuloma, a hamartoma and a small primary tumour cannot be told ' +
        'apart on a radiograph.',
      [],
    );
  return out;
}

/** Asked again, the same evidence drawing (same anchor, kind and label) is updated in place rather than drawn twice. */
function reuseIds(ctx: TurnContext, annotations: Annotation[]): Annotation[] {
  const key = (a: Annotation) =>
    `${a.anchorId}|${a.kind}` +
    `|${'label' in a ? a.label : a.kind === 'points' ? a.markers.map((m) => m.label).join(',') : ''}`;
  const existing = new Map(ctx.state.session.annotations.map((a) => [key(a), a.id]));
  return annotations.map((a) => ({ ...a, id: existing.get(key(a)) ?? a.id }));
}

type RefinedOk = Extract<ReturnType<typeof refinedSubject>, { refined: unknown }>;

/** The geometry the mimic tests read: the refined outline, its centre, axes and sizes in mm. */
function geoOf(ctx: TurnContext, r: RefinedOk): Geo {
  const sp = spacingOf(ctx.entry.analysis.image);
  const contour = r.refined.geometry.type === 'polygon' ? r.refined.geometry.points : [];
  const axes = feretAxes(contour, sp.mm);
  const m = (n: string) => r.refined.measurements.find((x) => x.name === n);
  const longMm = m('longAxis')?.valueMm ?? axes.longAxis.length;
  const shortMm = m('shortAxis')?.valueMm ?? axes.shortAxis.length;
  return {
    root: r.root,
    contour,
    centre: r.refined.center ?? polygonCentroid(contour),
    mmPerPx: sp.mm ? (sp.mm[0] + sp.mm[1]) / 2 : 1,
    diameterMm: m('diameter')?.valueMm ?? (longMm + shortMm) / 2,
    longMm,
    shortMm,
    axis: [axes.longAxis.a, axes.longAxis.b],
  };
}

const BONE_DENSE_EN = 'it contains calcific density, compatible with a bone island or cartilage calcification';

/** Runs one mimic's test. */
function runMimicTest(ctx: TurnContext, id: MimicId, g: Geo, signs: SignAssessment[]): Test {
  if (id === 'vessel_end_on') return vesselTest(ctx, g);
  if (id === 'nipple_shadow') return nippleTest(ctx, g);
  if (id === 'bone') return boneTest(ctx, g, signs);
  return id === 'skin_fold' ? skinFoldTest(ctx, g) : artefactTest(ctx, g);
}

/** One mimic asked: its test's sentence; else what is supported and what is against. */
function differentialHeadline(ctx: TurnContext, rootId: string, tests: { id: MimicId; t: Test }[], one: boolean) {
  const l = ctx.lang;
  if (one) return tests[0]!.t.text;
  const name = (id: MimicId) => MIMICS.find((x) => x.id === id)!.name[l];
  const supported = tests.filter((x) => x.t.status === 'present').map((x) => name(x.id));
  const excluded = tests.filter((x) => x.t.status === 'absent').map((x) => name(x.id));
  const j = (xs: string[]) => xs.join(l === 'zh' ? '、' : ', ');
  return tr(
    l,
    `${rootId}鉴别:${supported.length ? `支持${j(supported)}` : '未见支持的类似影'}` +
      `${excluded.length ? `;不支持${j(excluded)}` : ''};其余X线无法检验。`,
    `${rootId} differential: ${supported.length ? `supported: ${j(supported)}` : 'no mimic supported'}` +
      `${excluded.length ? `; against: ${j(excluded)}` : ''}; the rest cannot be tested on this film.`,
  );
}

function differentialNotes(ctx: TurnContext) {
  return section('limits', tr(ctx.lang, '说明', 'Notes'), [
    item(
      tr(
        ctx.lang,
        'X线为重叠投影,类似影检验只是提示;性质需CT或随访确认。',
        'A radiograph is a summation image; these tests only point the way, and CT or follow-up settles the nature.',
      ),
    ),
    readerResponsibility(ctx),
  ]);
}

/**
 * "这个影会不会是血管断面 / could this be a nipple shadow / 鉴别诊断有哪些" (api.md 10.7
 * `differential`): each named mimic tested with the image evidence the analysis has, the evidence
 * drawn; without a named mimic every mimic test plus a hedged list driven by the finding's features.
 */
export function differential(ctx: TurnContext): IntentResult {
  const l = ctx.lang;
  const r = refinedSubject(ctx);
  if (!isRefined(r)) return r;
  const g = geoOf(ctx, r);
  const asked = mimicsAsked(ctx.understanding.normalizedText);
  const ids: MimicId[] = asked.length ? asked : MIMICS.map((x) => x.id);
  const signs = r.refined.signs;
  const tests = ids.map((id) => ({ id, t: runMimicTest(ctx, id, g, signs) }));
  const items = tests.map(({ t }) => item(t.text, [r.root.id, r.refined.id], t.evidence, { status: t.status }));
  const sections = [section('comparison', tr(l, '类似影检验', 'Mimic tests'), items)];
  if (!asked.length)
    sections.push(
      section(
        'findings',
        tr(l, '按征象需考虑(非诊断)', 'Considerations from its features (not a diagnosis)'),
        considerations(ctx, g, signs),
      ),
    );
  sections.push(differentialNotes(ctx));
  return {
    headline: differentialHeadline(ctx, r.root.id, tests, asked.length === 1),
    sections,
    suggestions: [
      tr(l, '下一步建议怎么做?', 'What do you recommend?'),
      tr(l, '和对侧同一位置比较一下', 'Compare it with the same area on the other side.'),
    ],
    annotations: [
      ...refinedOutline(ctx, r),
      ...reuseIds(
        ctx,
        tests.flatMap((x) => x.t.annotations),
      ),
    ],
    createdAnchors: r.created,
    focusAnchorId: r.root.id,
    refinementCache: r.cache,
  };
}
