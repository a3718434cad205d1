/**
 * The 11 fixed signs (api.md 9.2) from the measured features, with the fixed evidence of api.md
 * 9.3. "indeterminate" when the evidence is weak: low contrast / edge SNR, a crop too small, the
 * rim outside the visible lung (heart, diaphragm, mediastinum overlap), or a mm threshold needed
 * while spacing is "none"; the reason is appended to `method` ("margin@1 (indeterminate: …)").
 */
import type { Evidence, Notch, SignAssessment, Spicule } from '../../contract';
import type { ImageSpacing } from '../../geometry/measurement';
import { evBool, evCount, evFraction, evMm, evRatio, evString, sign, SIGN_IDS, type Status } from './evidence';
import type { densityFeatures, lobulationFeatures, marginFeatures, spiculeFeatures, WorkLesion } from './features';
import type { PleuraFeatures } from './pleura';
import { REFINE } from './thresholds';
import { calibrated, loadSignModel, predict, signFeatureVector, standardise, type SignModelFile } from './signModel';

export interface Quality {
  contrast: number; // soft-tissue excess Δ (display units)
  edgeSnr: number; // edge contrast / noise σ
  noise: number;
  cropTooSmall: boolean;
  /** Traced size ÷ detector outline size when they disagree (the detector outline is kept), else null. */
  traceSizeRatio?: number | null;
  outsideLung: number | null; // share of the rim outside the visible lung (null without a lung mask)
  diameterMm: number | null;
  diameterPx: number;
  mmPx: number | null;
  f: number;
}

export interface SignInput {
  quality: Quality;
  margin: ReturnType<typeof marginFeatures>;
  lobulation: ReturnType<typeof lobulationFeatures>;
  spiculation: ReturnType<typeof spiculeFeatures>;
  density: ReturnType<typeof densityFeatures>;
  pleura: PleuraFeatures | null;
  spacing: ImageSpacing;
  notches: Notch[];
  spicules: Spicule[];
  lesion: WorkLesion;
}

const V = `@${REFINE.version}`;
const method = (analyser: string, reason: string | null) =>
  reason ? `${analyser}${V} (indeterminate: ${reason})` : `${analyser}${V}`;

/** Why the image evidence around this lesion is too weak for any margin or density call, or null. */
export function weakEvidence(q: Quality): string | null {
  if (q.cropTooSmall) return 'crop too small (region too small or at the image border)';
  if (q.contrast < REFINE.minContrast || q.edgeSnr < REFINE.minEdgeSnr)
    return `low contrast (edge contrast ${q.contrast.toFixed(3)}, edge SNR ${q.edgeSnr.toFixed(1)})`;
  if (q.outsideLung !== null && q.outsideLung > REFINE.overlapFraction)
    return (
      `overlap: ${Math.round(q.outsideLung * 100)} % of the rim lies over ` +
      'heart/mediastinum/diaphragm (outside the visible lung)'
    );
  return null;
}

/**
 * Confidence in a call, from the strength of its evidence: 0.5 at the decision threshold, rising
 * with the distance from it (one `scale` = full strength) and scaled by image quality (edge SNR
 * from the minimum usable 3 up to 15). Capped at `cap` — a radiograph never gives certainty on a
 * fine sign — so weak evidence on a poor image stays near 0.5 instead of a constant 0.95.
 */
export function evidenceConf(distance: number, scale: number, q: Pick<Quality, 'edgeSnr'>, cap = 0.9): number {
  const strength = Math.min(1, Math.max(0, distance / Math.max(scale, 1e-9)));
  const quality = Math.min(1, Math.max(0.25, (q.edgeSnr - REFINE.minEdgeSnr) / (15 - REFINE.minEdgeSnr)));
  return 0.5 + (cap - 0.5) * strength * quality;
}

/** What every sign step reads: the input, its weak-evidence reason and unit helpers. */
interface Ctx {
  s: SignInput;
  q: Quality;
  src: ImageSpacing['source'];
  weak: string | null;
  D: number;
  mm: (px: number) => number | null;
}

function context(s: SignInput): Ctx {
  const q = s.quality;
  const src = s.spacing.source;
  return {
    s,
    q,
    src,
    weak: weakEvidence(q),
    D: q.diameterPx,
    mm: (px: number) => (q.mmPx !== null && src !== 'none' ? px * q.mmPx : null),
  };
}

const clocks = (xs: { clock: number }[]) => [...new Set(xs.map((x) => x.clock))].sort((a, b) => a - b).join(',');

// ---- margin: ill-defined ------------------------------------------------------------------
function illDefinedSign(c: Ctx): SignAssessment {
  const sharp = c.s.margin.boundarySharpness;
  const edgeWidthMm = c.mm(c.s.margin.edgeWidthW * c.q.f);
  const ev: Evidence[] = [evFraction('boundarySharpness', sharp), ...evMm('edgeWidthMm', edgeWidthMm, c.src)];
  if (c.weak) return sign('margin_ill_defined', 'indeterminate', 0.4, ev, method('margin', c.weak));
  const present = sharp < REFINE.illDefinedSharpness;
  const conf = evidenceConf(Math.abs(sharp - REFINE.illDefinedSharpness), 0.25, c.q);
  return sign('margin_ill_defined', present ? 'present' : 'absent', conf, ev, method('margin', null));
}

// ---- lobulation and notches ---------------------------------------------------------------
interface NotchStats {
  maxDepthPx: number;
  maxDepthMm: number;
  notchEv: Evidence[];
}

function notchStats(c: Ctx): NotchStats {
  const notches = c.s.notches;
  return {
    maxDepthPx: notches.reduce((m, nt) => Math.max(m, nt.depth.valuePx ?? 0), 0),
    maxDepthMm: notches.reduce((m, nt) => Math.max(m, nt.depth.valueMm ?? 0), 0),
    notchEv: [evCount('notchCount', notches.length), evString('notchClocks', clocks(notches))],
  };
}

function lobulationSign(c: Ctx, ill: SignAssessment, ns: NotchStats): SignAssessment {
  const li = c.s.lobulation.lobulationIndex;
  const count = c.s.notches.length;
  const ev: Evidence[] = [
    ...ns.notchEv,
    evRatio('lobulationIndex', li),
    ...evMm('maxNotchDepthMm', count ? ns.maxDepthMm : 0, c.src),
  ];
  if (c.weak) return sign('margin_lobulated', 'indeterminate', 0.4, ev, method('lobulation', c.weak));
  const present = li >= REFINE.lobulationIndex && count >= REFINE.lobulationMinNotches;
  const distance = present
    ? Math.min(li - REFINE.lobulationIndex, (count - REFINE.lobulationMinNotches + 1) * 0.01)
    : count >= 2
      ? REFINE.lobulationIndex - li
      : Math.max(REFINE.lobulationIndex - li, 0.5 * REFINE.lobulationIndex);
  const conf = evidenceConf(distance, REFINE.lobulationIndex, c.q);
  // a blurred edge makes the traced outline (and so its lobulation) less certain
  const blurFactor = present && ill.status === 'present' ? 0.8 : 1;
  return sign('margin_lobulated', present ? 'present' : 'absent', conf * blurFactor, ev, method('lobulation', null));
}

/**
 * Notch sign (脐凹征): a notch deep RELATIVE to the lesion (≥ 8 % of its diameter) and ≥ 1.5 mm —
 * a 0.6 mm dent in a 2 cm contour is pixel noise of the traced edge, not a notch sign. Notches and
 * lobulation tell one story (api.md 9): it is "present" only on a lobulated contour; a deep dent in
 * a contour that is not lobulated (a crossing vessel, a traced rib edge) leaves it undecided.
 */
function notchSign(c: Ctx, lob: SignAssessment, ns: NotchStats): SignAssessment {
  const count = c.s.notches.length;
  const ev: Evidence[] = [...ns.notchEv, ...evMm('maxNotchDepthMm', count ? ns.maxDepthMm : 0, c.src)];
  if (c.weak) return sign('notch_sign', 'indeterminate', 0.4, ev, method('lobulation', c.weak));
  const depthRel = c.D > 0 ? ns.maxDepthPx / c.D : 0;
  const deep =
    count >= 1 && depthRel >= REFINE.notchSignDepth && (c.q.mmPx === null || ns.maxDepthMm >= REFINE.notchSignDepthMm);
  if (deep && lob.status === 'present') {
    const own = evidenceConf(depthRel - REFINE.notchSignDepth, REFINE.notchSignDepth, c.q, 0.85);
    return sign('notch_sign', 'present', Math.min(lob.confidence, own), ev, method('lobulation', null));
  }
  if (deep)
    return sign(
      'notch_sign',
      'indeterminate',
      0.45,
      ev,
      method('lobulation', 'a deep notch in a contour that is not lobulated'),
    );
  const conf = evidenceConf(REFINE.notchSignDepth - depthRel, REFINE.notchSignDepth, c.q);
  return sign('notch_sign', 'absent', conf, ev, method('lobulation', null));
}

// ---- spiculation --------------------------------------------------------------------------
function spiculationSign(c: Ctx): SignAssessment {
  const spicules = c.s.spicules;
  const lens = spicules.map((sp) => sp.length.valueMm ?? 0);
  const ev: Evidence[] = [
    evCount('spiculeCount', spicules.length),
    ...evMm('spiculeLengthMaxMm', lens.length ? Math.max(...lens) : 0, c.src),
    ...evMm('spiculeLengthMeanMm', lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 0, c.src),
    evString('spiculeClocks', clocks(spicules)),
  ];
  if (c.weak) return sign('margin_spiculated', 'indeterminate', 0.4, ev, method('spiculation', c.weak));
  const present = spicules.length >= REFINE.spiculeMinCount;
  const conf = present
    ? evidenceConf(spicules.length - REFINE.spiculeMinCount + 1, 4, c.q)
    : evidenceConf(REFINE.spiculeMinCount - spicules.length, REFINE.spiculeMinCount, c.q);
  return sign('margin_spiculated', present ? 'present' : 'absent', conf, ev, method('spiculation', null));
}

// ---- smooth: none of the irregular margins, low roughness ---------------------------------
function smoothSign(c: Ctx, others: SignAssessment[]): SignAssessment {
  const rough = c.s.margin.contourRoughness;
  const ev: Evidence[] = [
    evRatio('contourRoughness', rough),
    evFraction('boundarySharpness', c.s.margin.boundarySharpness),
  ];
  if (c.weak) return sign('margin_smooth', 'indeterminate', 0.4, ev, method('margin', c.weak));
  const anyPresent = others.filter((o) => o.status === 'present');
  const present = anyPresent.length === 0 && rough <= REFINE.smoothMaxRoughness;
  const conf = present
    ? Math.min(
        ...others.map((o) => o.confidence),
        evidenceConf(REFINE.smoothMaxRoughness - rough, REFINE.smoothMaxRoughness, c.q),
      )
    : anyPresent.length
      ? Math.max(...anyPresent.map((o) => o.confidence))
      : evidenceConf(rough - REFINE.smoothMaxRoughness, REFINE.smoothMaxRoughness, c.q);
  return sign('margin_smooth', present ? 'present' : 'absent', conf, ev, method('margin', null));
}

// ---- density ------------------------------------------------------------------------------
function calcificationEvidence(c: Ctx): Evidence[] {
  return [
    evFraction('calcifiedFraction', c.s.density.calcifiedFraction),
    evString('calcificationPattern', c.s.density.calcificationPattern),
  ];
}

/**
 * Radiograph-insensitive sign: "present" or "indeterminate", never "absent" (a radiograph cannot
 * show that a lesion holds no calcium; CT can).
 */
function calcificationNotSeen(c: Ctx, ev: Evidence[]): SignAssessment {
  const why =
    c.s.density.calcifiedFraction > 0
      ? 'a few dense pixels below the calcification threshold'
      : 'no calcium seen, but a radiograph cannot exclude calcification (CT can)';
  return sign('calcification', 'indeterminate', 0.5, ev, method('density', why));
}

function calcificationSign(c: Ctx): SignAssessment {
  const density = c.s.density;
  const ev = calcificationEvidence(c);
  if (c.weak) return sign('calcification', 'indeterminate', 0.4, ev, method('density', c.weak));
  if (density.calcifiedFraction < REFINE.calcMinFraction) return calcificationNotSeen(c, ev);
  const distance = Math.min(
    density.calcifiedFraction - REFINE.calcMinFraction,
    0.05 * (density.calcContrast - REFINE.calcExcess),
  );
  return sign('calcification', 'present', evidenceConf(distance, 0.08, c.q), ev, method('density', null));
}

function largestLucencyMm(c: Ctx): number | null {
  const l = c.s.density.lucencies;
  return l.length ? c.mm(l[0]!.diameterW * c.q.f) : 0;
}

function cavitationEvidence(c: Ctx): Evidence[] {
  const cav = c.s.density.cavity;
  return [
    evFraction('lucentFraction', c.s.density.lucentFraction),
    ...evMm('lucencyMaxDiameterMm', largestLucencyMm(c), c.src),
    ...evMm('wallThicknessMaxMm', cav ? c.mm(cav.wallMaxW * c.q.f) : 0, c.src),
  ];
}

function cavitationSign(c: Ctx): SignAssessment {
  const { density } = c.s;
  const ev = cavitationEvidence(c);
  if (c.weak) return sign('cavitation', 'indeterminate', 0.4, ev, method('density', c.weak));
  if (density.cavity)
    return sign('cavitation', 'present', evidenceConf(density.lucentFraction, 0.15, c.q), ev, method('density', null));
  if (density.lucentFraction < 0.03)
    return sign(
      'cavitation',
      'absent',
      evidenceConf(0.03 - density.lucentFraction, 0.03, c.q),
      ev,
      method('density', null),
    );
  return sign(
    'cavitation',
    'indeterminate',
    0.45,
    ev,
    method('density', 'lucent area present but no closed lucency large enough for a cavity'),
  );
}

/** Radiograph-insensitive: never "absent" (1–5 mm lucencies are below what a radiograph resolves). */
function vacuoleSign(c: Ctx): SignAssessment {
  const { density } = c.s;
  const cav = density.cavity;
  const ev: Evidence[] = [
    evCount('lucencyCount', density.lucencies.length),
    ...evMm('lucencyMaxDiameterMm', largestLucencyMm(c), c.src),
  ];
  if (c.weak) return sign('vacuole_sign', 'indeterminate', 0.4, ev, method('density', c.weak));
  if (c.src === 'none' || c.q.mmPx === null)
    return sign(
      'vacuole_sign',
      'indeterminate',
      0.4,
      ev,
      method('density', 'the ≤ 5 mm size threshold needs pixel spacing (spacing none)'),
    );
  const cavityMinW = REFINE.cavityMinMm / (c.q.mmPx * c.q.f);
  const vacuoles = density.lucencies.filter((l) => l.diameterW < cavityMinW && (!cav || l.diameterW < cav.diameterW));
  if (vacuoles.length >= REFINE.vacuoleMinCount && !cav)
    return sign('vacuole_sign', 'present', evidenceConf(vacuoles.length, 3, c.q, 0.75), ev, method('density', null));
  const why = cav
    ? 'the lucency is a cavity; smaller bubble-like lucencies cannot be judged beside it'
    : vacuoles.length
      ? 'a few small lucencies, not enough for a vacuole sign (ribs and vessels leave such gaps)'
      : 'no bubble-like lucency seen, but a radiograph cannot exclude vacuoles (CT can)';
  return sign('vacuole_sign', 'indeterminate', 0.4, ev, method('density', why));
}

/**
 * Radiograph-insensitive: "present" only with enough branching-tube lucencies (one tube-like gap
 * is as often a rib edge or vessel crossing), else indeterminate — never "absent".
 */
function bronchogramSign(c: Ctx): SignAssessment {
  const tubes = c.s.density.tubularCount;
  const ev: Evidence[] = [evCount('tubularLucencyCount', tubes)];
  if (c.weak) return sign('air_bronchogram', 'indeterminate', 0.35, ev, method('density', c.weak));
  if (tubes >= REFINE.bronchogramMinTubes)
    return sign(
      'air_bronchogram',
      'present',
      evidenceConf(tubes - REFINE.bronchogramMinTubes + 1, 3, c.q, 0.75),
      ev,
      method('density', null),
    );
  const why = tubes
    ? 'a few tube-like lucencies, not enough for an air bronchogram (ribs and vessels leave such gaps)'
    : 'no tubular lucency seen, but a radiograph cannot exclude an air bronchogram (CT can)';
  return sign('air_bronchogram', 'indeterminate', 0.35, ev, method('density', why));
}

function homogeneitySign(c: Ctx, inner: SignAssessment[]): SignAssessment {
  const cv = c.s.density.densityCv;
  const ev: Evidence[] = [evRatio('densityCv', cv)];
  if (c.weak) return sign('homogeneous_density', 'indeterminate', 0.4, ev, method('density', c.weak));
  const [calc] = inner;
  const present = inner.filter((x) => x.status === 'present');
  if (present.length) {
    // calcification's confidence counts even when it is not present (the v2 rule, kept)
    const conf = Math.max(calc!.confidence, ...present.map((x) => x.confidence));
    return sign('homogeneous_density', 'absent', conf, ev, method('density', null));
  }
  if (cv <= REFINE.homogeneousCv)
    return sign(
      'homogeneous_density',
      'present',
      evidenceConf(REFINE.homogeneousCv - cv, REFINE.homogeneousCv, c.q),
      ev,
      method('density', null),
    );
  if (cv >= REFINE.heterogeneousCv)
    return sign(
      'homogeneous_density',
      'absent',
      evidenceConf(cv - REFINE.heterogeneousCv, REFINE.heterogeneousCv, c.q),
      ev,
      method('density', null),
    );
  return sign(
    'homogeneous_density',
    'indeterminate',
    0.45,
    ev,
    method('density', 'density variation between the homogeneous and heterogeneous thresholds'),
  );
}

// ---- pleura -------------------------------------------------------------------------------
function pleuraSign(c: Ctx): SignAssessment {
  const pleura = c.s.pleura;
  if (!pleura)
    return sign(
      'pleural_indentation',
      'indeterminate',
      0.3,
      [],
      method('pleura', 'no pleural surface (anatomy unavailable)'),
    );
  const ev: Evidence[] = [
    ...evMm('pleuralDistanceMm', pleura.distanceMm, c.src),
    evBool('pleuralContact', pleura.contact),
    evBool('tailPresent', pleura.tailPresent),
    ...(pleura.tailPresent ? evMm('tailLengthMm', pleura.tailLengthMm, c.src) : []),
  ];
  if (c.src === 'none' || c.q.mmPx === null)
    return sign(
      'pleural_indentation',
      'indeterminate',
      0.4,
      ev,
      method('pleura', 'mm thresholds need pixel spacing (spacing none)'),
    );
  if (c.weak && !pleura.tailPresent)
    return sign('pleural_indentation', 'indeterminate', 0.4, ev, method('pleura', c.weak));
  if (pleura.tailPresent)
    return sign(
      'pleural_indentation',
      'present',
      evidenceConf(pleura.tailLengthMm ?? 0, 15, c.q, 0.8),
      ev,
      method('pleura', null),
    );
  const conf = pleura.contact
    ? evidenceConf(0.2, 1, c.q)
    : evidenceConf(pleura.distanceMm ?? 0, REFINE.pleuralTailMaxMm, c.q);
  return sign('pleural_indentation', 'absent', conf, ev, method('pleura', null));
}

const ORDER = SIGN_IDS;

/**
 * A traced edge whose size disagrees with the detector outline (the size is then the detector
 * outline's): the calls stand, but no more than weakly (confidence ≤ 0.6).
 */
function capForTraceFailure(q: Quality, signs: SignAssessment[]): SignAssessment[] {
  if (q.traceSizeRatio == null) return signs;
  return signs.map((sg) => (sg.status !== 'indeterminate' ? { ...sg, confidence: Math.min(sg.confidence, 0.6) } : sg));
}

/** The four margin signs and the notch sign by the hand-set thresholds (version 3). */
function marginSigns(c: Ctx): Record<string, SignAssessment> {
  const ill = illDefinedSign(c);
  const ns = notchStats(c);
  const lob = lobulationSign(c, ill, ns);
  const spic = spiculationSign(c);
  return {
    margin_ill_defined: ill,
    margin_lobulated: lob,
    notch_sign: notchSign(c, lob, ns),
    margin_spiculated: spic,
    margin_smooth: smoothSign(c, [ill, lob, spic]),
  };
}

// ---- learned calls (issue 13): the same evidence, the status and confidence from the model ----
const MARGIN_IDS: Record<string, string> = {
  smooth: 'margin_smooth',
  lobulated: 'margin_lobulated',
  spiculated: 'margin_spiculated',
  ill_defined: 'margin_ill_defined',
};
/** A learned probability as a confidence: capped like every call (a radiograph never makes a fine sign certain). */
const probConf = (p: number) => Math.min(0.9, p);

function relabel(sg: SignAssessment, status: SignAssessment['status'], conf: number, v: string, why: string | null) {
  const analyser = sg.method.split('@')[0]!;
  const m = why ? `${analyser}@${v} (indeterminate: ${why})` : `${analyser}@${v}`;
  return sign(sg.signId, status, conf, sg.evidence, m);
}

/**
 * The margin class from the learned model: the most probable class is the one "present" sign (so
 * it is the class an answer leads with); a class the model gives < 0.15 is "absent"; the rest stay
 * indeterminate. The notch sign follows the learned lobulation call.
 */
function learnedMargin(c: Ctx, hand: Record<string, SignAssessment>, model: SignModelFile, z: number[]) {
  const m = model.margin;
  const p = predict(m, z);
  const lead = p.indexOf(Math.max(...p));
  const out: Record<string, SignAssessment> = { ...hand };
  m.classes.forEach((cls, i) => {
    const id = MARGIN_IDS[cls]!;
    const pi = p[i]!;
    if (i === lead) out[id] = relabel(hand[id]!, 'present', probConf(pi), model.version, null);
    else if (pi < 0.15) out[id] = relabel(hand[id]!, 'absent', probConf(1 - pi), model.version, null);
    else
      out[id] = relabel(
        hand[id]!,
        'indeterminate',
        0.5,
        model.version,
        `p = ${pi.toFixed(2)}, below the leading class`,
      );
  });
  out.notch_sign = notchSign(c, out.margin_lobulated!, notchStats(c));
  return out;
}

/** Calcification from the learned model: "present" or "indeterminate", never "absent". */
function learnedCalcification(hand: SignAssessment, model: SignModelFile, z: number[]): SignAssessment {
  const p = predict(model.calcification, z)[1]!;
  if (p >= model.calcification.presentAt)
    return relabel(hand, 'present', probConf(calibrated(model.calcification, p)), model.version, null);
  const pc = calibrated(model.calcification, p).toFixed(2);
  const why = `p = ${pc}; a radiograph cannot exclude calcification (CT can)`;
  return relabel(hand, 'indeterminate', 0.5, model.version, why);
}

/**
 * Cavitation from the learned model: it decides "present"; below its bound the hand rule's
 * "absent" (no lucent area at all) stands, and a hand "present" the model does not confirm becomes
 * indeterminate.
 */
function learnedCavitation(hand: SignAssessment, model: SignModelFile, z: number[]): SignAssessment {
  const cav = model.cavitation;
  const p = predict(cav, z)[1]!;
  if (p >= cav.presentAt) return relabel(hand, 'present', probConf(calibrated(cav, p)), model.version, null);
  if (hand.status === 'absent') return hand;
  const why =
    hand.status === 'present'
      ? `a closed lucency, but the learned model does not confirm a cavity (p = ${calibrated(cav, p).toFixed(2)})`
      : `p = ${calibrated(cav, p).toFixed(2)}, lucent area without a convincing cavity`;
  return relabel(hand, 'indeterminate', 0.45, model.version, why);
}

/**
 * Decides the 11 signs. With a learned model (models/refine-signs/signs.json), the calls it is wired
 * for replace the hand thresholds — never on weak evidence, which stays indeterminate.
 */
export function decideSigns(s: SignInput, model: SignModelFile | null = loadSignModel()): SignAssessment[] {
  const c = context(s);
  let margin = marginSigns(c);
  let calc = calcificationSign(c);
  let cavitation = cavitationSign(c);
  if (model && !c.weak) {
    const z = standardise(signFeatureVector(s), model.transform);
    if (model.wired.margin) margin = learnedMargin(c, margin, model, z);
    if (model.wired.calcification) calc = learnedCalcification(calc, model, z);
    if (model.wired.cavitation) cavitation = learnedCavitation(cavitation, model, z);
  }
  const vacuole = vacuoleSign(c);
  const bronch = bronchogramSign(c);
  const out: Record<string, SignAssessment> = {
    ...margin,
    calcification: calc,
    cavitation,
    vacuole_sign: vacuole,
    air_bronchogram: bronch,
    homogeneous_density: homogeneitySign(c, [calc, cavitation, vacuole, bronch]),
    pleural_indentation: pleuraSign(c),
  };
  return capForTraceFailure(
    c.q,
    ORDER.map((id) => out[id]!),
  );
}

/** The margin class an answer leads with: the present margin sign with the highest confidence (api.md 9.1). */
export function leadMarginClass(
  signs: readonly SignAssessment[],
): 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined' | null {
  const names: Record<string, 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined'> = {
    margin_smooth: 'smooth',
    margin_lobulated: 'lobulated',
    margin_spiculated: 'spiculated',
    margin_ill_defined: 'ill_defined',
  };
  let best: SignAssessment | null = null;
  for (const sg of signs)
    if (names[sg.signId] && sg.status === 'present' && (!best || sg.confidence > best.confidence)) best = sg;
  return best ? names[best.signId]! : null;
}

export type { Status };
