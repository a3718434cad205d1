/**
 * The 11 fixed signs (api.md 9.2) from the measured features, with the fixed evidence of api.md
 * 9.3. "indeterminate" when the evidence is weak: low contrast / edge SNR, a crop too small, the
 * rim outside the visible lung (heart, diaphragm, mediastinum overlap), or a mm threshold needed
 * while spacing is "none"; the reason is appended to `method` ("margin@1 (indeterminate: …)").
 */
import type { Evidence, Notch, SignAssessment, Spicule } from '../../contract';
import type { ImageSpacing } from '../../geometry/measurement';
import { evBool, evCount, evFraction, evMm, evRatio, evString, sign, type Status } from './evidence';
import type { densityFeatures, lobulationFeatures, marginFeatures, spiculeFeatures, WorkLesion } from './features';
import type { PleuraFeatures } from './pleura';
import { REFINE } from './thresholds';

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
    return `overlap: ${Math.round(q.outsideLung * 100)} % of the rim lies over heart/mediastinum/diaphragm (outside the visible lung)`;
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

export function decideSigns(s: SignInput): SignAssessment[] {
  const { quality: q, margin, lobulation, spiculation, density, pleura, spacing, notches, spicules } = s;
  const src = spacing.source;
  const mm = (px: number) => (q.mmPx !== null && src !== 'none' ? px * q.mmPx : null);
  const weak = weakEvidence(q);
  const D = q.diameterPx;

  // ---- margin: ill-defined --------------------------------------------------------------
  const sharp = margin.boundarySharpness;
  const edgeWidthMm = mm(margin.edgeWidthW * q.f);
  const illEv: Evidence[] = [evFraction('boundarySharpness', sharp), ...evMm('edgeWidthMm', edgeWidthMm, src)];
  const illPresent = sharp < REFINE.illDefinedSharpness;
  const illConf = evidenceConf(Math.abs(sharp - REFINE.illDefinedSharpness), 0.25, q);
  const ill = weak
    ? sign('margin_ill_defined', 'indeterminate', 0.4, illEv, method('margin', weak))
    : sign('margin_ill_defined', illPresent ? 'present' : 'absent', illConf, illEv, method('margin', null));

  // ---- lobulation and notches ------------------------------------------------------------
  const li = lobulation.lobulationIndex;
  const clocks = (xs: { clock: number }[]) => [...new Set(xs.map((x) => x.clock))].sort((a, b) => a - b).join(',');
  const maxDepthPx = notches.reduce((m, nt) => Math.max(m, nt.depth.valuePx ?? 0), 0);
  const maxDepthMm = notches.reduce((m, nt) => Math.max(m, nt.depth.valueMm ?? 0), 0);
  const notchEv: Evidence[] = [evCount('notchCount', notches.length), evString('notchClocks', clocks(notches))];
  const lobEv: Evidence[] = [
    ...notchEv,
    evRatio('lobulationIndex', li),
    ...evMm('maxNotchDepthMm', notches.length ? maxDepthMm : 0, src),
  ];
  const lobPresent = li >= REFINE.lobulationIndex && notches.length >= REFINE.lobulationMinNotches;
  const lobConf = lobPresent
    ? evidenceConf(
        Math.min(li - REFINE.lobulationIndex, (notches.length - REFINE.lobulationMinNotches + 1) * 0.01),
        REFINE.lobulationIndex,
        q,
      )
    : evidenceConf(
        notches.length >= 2
          ? REFINE.lobulationIndex - li
          : Math.max(REFINE.lobulationIndex - li, 0.5 * REFINE.lobulationIndex),
        REFINE.lobulationIndex,
        q,
      );
  // a blurred edge makes the traced outline (and so its lobulation) less certain
  const blurFactor = illPresent ? 0.8 : 1;
  // Notch sign (脐凹征): a notch deep RELATIVE to the lesion (≥ 8 % of its diameter) and ≥ 1.5 mm —
  // a 0.6 mm dent in a 2 cm contour is pixel noise of the traced edge, not a notch sign.
  const depthRel = D > 0 ? maxDepthPx / D : 0;
  const notchPresent =
    notches.length >= 1 &&
    depthRel >= REFINE.notchSignDepth &&
    (q.mmPx === null || maxDepthMm >= REFINE.notchSignDepthMm);
  // Notches and lobulation tell one story (api.md 9): the notch sign is a deep notch BETWEEN
  // lobulations, so it is "present" only on a lobulated contour; a deep dent in a contour that is
  // not lobulated (a crossing vessel, a traced rib edge) leaves the notch sign undecided.
  const lob = weak
    ? sign('margin_lobulated', 'indeterminate', 0.4, lobEv, method('lobulation', weak))
    : sign(
        'margin_lobulated',
        lobPresent ? 'present' : 'absent',
        lobPresent ? lobConf * blurFactor : lobConf,
        lobEv,
        method('lobulation', null),
      );
  const notchSignEv: Evidence[] = [...notchEv, ...evMm('maxNotchDepthMm', notches.length ? maxDepthMm : 0, src)];
  const notch = weak
    ? sign('notch_sign', 'indeterminate', 0.4, notchSignEv, method('lobulation', weak))
    : notchPresent && lob.status === 'present'
      ? sign(
          'notch_sign',
          'present',
          Math.min(lob.confidence, evidenceConf(depthRel - REFINE.notchSignDepth, REFINE.notchSignDepth, q, 0.85)),
          notchSignEv,
          method('lobulation', null),
        )
      : notchPresent
        ? sign(
            'notch_sign',
            'indeterminate',
            0.45,
            notchSignEv,
            method('lobulation', 'a deep notch in a contour that is not lobulated'),
          )
        : sign(
            'notch_sign',
            'absent',
            evidenceConf(REFINE.notchSignDepth - depthRel, REFINE.notchSignDepth, q),
            notchSignEv,
            method('lobulation', null),
          );

  // ---- spiculation -----------------------------------------------------------------------
  const lens = spicules.map((sp) => sp.length.valueMm ?? 0);
  const spEv: Evidence[] = [
    evCount('spiculeCount', spicules.length),
    ...evMm('spiculeLengthMaxMm', lens.length ? Math.max(...lens) : 0, src),
    ...evMm('spiculeLengthMeanMm', lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 0, src),
    evString('spiculeClocks', clocks(spicules)),
  ];
  const spPresent = spicules.length >= REFINE.spiculeMinCount;
  const spConf = spPresent
    ? evidenceConf(spicules.length - REFINE.spiculeMinCount + 1, 4, q)
    : evidenceConf(REFINE.spiculeMinCount - spicules.length, REFINE.spiculeMinCount, q);
  const spic = weak
    ? sign('margin_spiculated', 'indeterminate', 0.4, spEv, method('spiculation', weak))
    : sign('margin_spiculated', spPresent ? 'present' : 'absent', spConf, spEv, method('spiculation', null));

  // ---- smooth: none of the irregular margins, low roughness -------------------------------
  const rough = margin.contourRoughness;
  const smoothEv: Evidence[] = [evRatio('contourRoughness', rough), evFraction('boundarySharpness', sharp)];
  let smooth: SignAssessment;
  if (weak) smooth = sign('margin_smooth', 'indeterminate', 0.4, smoothEv, method('margin', weak));
  else {
    const others = [ill, lob, spic];
    const anyPresent = others.filter((o) => o.status === 'present');
    const smoothPresent = anyPresent.length === 0 && rough <= REFINE.smoothMaxRoughness;
    const conf = smoothPresent
      ? Math.min(
          ...others.map((o) => o.confidence),
          evidenceConf(REFINE.smoothMaxRoughness - rough, REFINE.smoothMaxRoughness, q),
        )
      : anyPresent.length
        ? Math.max(...anyPresent.map((o) => o.confidence))
        : evidenceConf(rough - REFINE.smoothMaxRoughness, REFINE.smoothMaxRoughness, q);
    smooth = sign('margin_smooth', smoothPresent ? 'present' : 'absent', conf, smoothEv, method('margin', null));
  }

  // ---- density ---------------------------------------------------------------------------
  const dMm = q.diameterMm;
  const calcEv: Evidence[] = [
    evFraction('calcifiedFraction', density.calcifiedFraction),
    evString('calcificationPattern', density.calcificationPattern),
  ];
  let calc: SignAssessment;
  const calcPresent = density.calcifiedFraction >= REFINE.calcMinFraction;
  if (weak) calc = sign('calcification', 'indeterminate', 0.4, calcEv, method('density', weak));
  else if (calcPresent)
    calc = sign(
      'calcification',
      'present',
      evidenceConf(
        Math.min(density.calcifiedFraction - REFINE.calcMinFraction, 0.05 * (density.calcContrast - REFINE.calcExcess)),
        0.08,
        q,
      ),
      calcEv,
      method('density', null),
    );
  // Radiograph-insensitive sign: "present" or "indeterminate", never "absent" (a radiograph
  // cannot show that a lesion holds no calcium; CT can).
  else
    calc = sign(
      'calcification',
      'indeterminate',
      0.5,
      calcEv,
      method(
        'density',
        density.calcifiedFraction > 0
          ? 'a few dense pixels below the calcification threshold'
          : 'no calcium seen, but a radiograph cannot exclude calcification (CT can)',
      ),
    );
  void dMm;

  const lucMaxMm = density.lucencies.length ? mm(density.lucencies[0]!.diameterW * q.f) : 0;
  const cav = density.cavity;
  const cavEv: Evidence[] = [
    evFraction('lucentFraction', density.lucentFraction),
    ...evMm('lucencyMaxDiameterMm', lucMaxMm, src),
    ...evMm('wallThicknessMaxMm', cav ? mm(cav.wallMaxW * q.f) : 0, src),
  ];
  const cavitation = weak
    ? sign('cavitation', 'indeterminate', 0.4, cavEv, method('density', weak))
    : cav
      ? sign('cavitation', 'present', evidenceConf(density.lucentFraction, 0.15, q), cavEv, method('density', null))
      : density.lucentFraction < 0.03
        ? sign(
            'cavitation',
            'absent',
            evidenceConf(0.03 - density.lucentFraction, 0.03, q),
            cavEv,
            method('density', null),
          )
        : sign(
            'cavitation',
            'indeterminate',
            0.45,
            cavEv,
            method('density', 'lucent area present but no closed lucency large enough for a cavity'),
          );

  const cavityMinW = q.mmPx ? REFINE.cavityMinMm / (q.mmPx * q.f) : Infinity;
  const vacuoles = density.lucencies.filter((l) => l.diameterW < cavityMinW && (!cav || l.diameterW < cav.diameterW));
  const vacEv: Evidence[] = [
    evCount('lucencyCount', density.lucencies.length),
    ...evMm('lucencyMaxDiameterMm', lucMaxMm, src),
  ];
  let vacuole: SignAssessment;
  if (weak) vacuole = sign('vacuole_sign', 'indeterminate', 0.4, vacEv, method('density', weak));
  else if (src === 'none' || q.mmPx === null)
    vacuole = sign(
      'vacuole_sign',
      'indeterminate',
      0.4,
      vacEv,
      method('density', 'the ≤ 5 mm size threshold needs pixel spacing (spacing none)'),
    );
  else if (vacuoles.length >= REFINE.vacuoleMinCount && !cav)
    vacuole = sign(
      'vacuole_sign',
      'present',
      evidenceConf(vacuoles.length, 3, q, 0.75),
      vacEv,
      method('density', null),
    );
  // Radiograph-insensitive: never "absent" (1–5 mm lucencies are below what a radiograph resolves).
  else
    vacuole = sign(
      'vacuole_sign',
      'indeterminate',
      0.4,
      vacEv,
      method(
        'density',
        cav
          ? 'the lucency is a cavity; smaller bubble-like lucencies cannot be judged beside it'
          : vacuoles.length
            ? 'a few small lucencies, not enough for a vacuole sign (ribs and vessels leave such gaps)'
            : 'no bubble-like lucency seen, but a radiograph cannot exclude vacuoles (CT can)',
      ),
    );

  const tubEv: Evidence[] = [evCount('tubularLucencyCount', density.tubularCount)];
  let bronch: SignAssessment;
  if (weak) bronch = sign('air_bronchogram', 'indeterminate', 0.35, tubEv, method('density', weak));
  // Radiograph-insensitive: "present" only with ≥ 2 branching-tube lucencies (one tube-like gap is
  // as often a rib edge or vessel crossing), else indeterminate — never "absent".
  else if (density.tubularCount >= REFINE.bronchogramMinTubes)
    bronch = sign(
      'air_bronchogram',
      'present',
      evidenceConf(density.tubularCount - REFINE.bronchogramMinTubes + 1, 3, q, 0.75),
      tubEv,
      method('density', null),
    );
  else
    bronch = sign(
      'air_bronchogram',
      'indeterminate',
      0.35,
      tubEv,
      method(
        'density',
        density.tubularCount
          ? 'a few tube-like lucencies, not enough for an air bronchogram (ribs and vessels leave such gaps)'
          : 'no tubular lucency seen, but a radiograph cannot exclude an air bronchogram (CT can)',
      ),
    );

  const cv = density.densityCv;
  const homEv: Evidence[] = [evRatio('densityCv', cv)];
  let hom: SignAssessment;
  if (weak) hom = sign('homogeneous_density', 'indeterminate', 0.4, homEv, method('density', weak));
  else if (
    calc.status === 'present' ||
    cavitation.status === 'present' ||
    vacuole.status === 'present' ||
    bronch.status === 'present'
  )
    hom = sign(
      'homogeneous_density',
      'absent',
      Math.max(
        calc.confidence,
        cavitation.confidence * +(cavitation.status === 'present'),
        vacuole.confidence * +(vacuole.status === 'present'),
        bronch.confidence * +(bronch.status === 'present'),
      ),
      homEv,
      method('density', null),
    );
  else if (cv <= REFINE.homogeneousCv)
    hom = sign(
      'homogeneous_density',
      'present',
      evidenceConf(REFINE.homogeneousCv - cv, REFINE.homogeneousCv, q),
      homEv,
      method('density', null),
    );
  else if (cv >= REFINE.heterogeneousCv)
    hom = sign(
      'homogeneous_density',
      'absent',
      evidenceConf(cv - REFINE.heterogeneousCv, REFINE.heterogeneousCv, q),
      homEv,
      method('density', null),
    );
  else
    hom = sign(
      'homogeneous_density',
      'indeterminate',
      0.45,
      homEv,
      method('density', 'density variation between the homogeneous and heterogeneous thresholds'),
    );

  // ---- pleura ----------------------------------------------------------------------------
  let pl: SignAssessment;
  if (!pleura)
    pl = sign(
      'pleural_indentation',
      'indeterminate',
      0.3,
      [],
      method('pleura', 'no pleural surface (anatomy unavailable)'),
    );
  else {
    const ev: Evidence[] = [
      ...evMm('pleuralDistanceMm', pleura.distanceMm, src),
      evBool('pleuralContact', pleura.contact),
      evBool('tailPresent', pleura.tailPresent),
      ...(pleura.tailPresent ? evMm('tailLengthMm', pleura.tailLengthMm, src) : []),
    ];
    if (src === 'none' || q.mmPx === null)
      pl = sign(
        'pleural_indentation',
        'indeterminate',
        0.4,
        ev,
        method('pleura', 'mm thresholds need pixel spacing (spacing none)'),
      );
    else if (weak && !pleura.tailPresent)
      pl = sign('pleural_indentation', 'indeterminate', 0.4, ev, method('pleura', weak));
    else if (pleura.tailPresent)
      pl = sign(
        'pleural_indentation',
        'present',
        evidenceConf(pleura.tailLengthMm ?? 0, 15, q, 0.8),
        ev,
        method('pleura', null),
      );
    else if (pleura.contact)
      pl = sign('pleural_indentation', 'absent', evidenceConf(0.2, 1, q), ev, method('pleura', null));
    else
      pl = sign(
        'pleural_indentation',
        'absent',
        evidenceConf(pleura.distanceMm ?? 0, REFINE.pleuralTailMaxMm, q),
        ev,
        method('pleura', null),
      );
  }

  const out: Record<string, SignAssessment> = {
    margin_smooth: smooth,
    margin_lobulated: lob,
    margin_spiculated: spic,
    margin_ill_defined: ill,
    notch_sign: notch,
    calcification: calc,
    cavitation,
    vacuole_sign: vacuole,
    air_bronchogram: bronch,
    homogeneous_density: hom,
    pleural_indentation: pl,
  };
  // A traced edge whose size disagrees with the detector outline (the size is then the detector
  // outline's): the calls stand, but no more than weakly (confidence ≤ 0.6).
  if (q.traceSizeRatio != null)
    for (const k of Object.keys(out))
      if (out[k]!.status !== 'indeterminate') out[k] = { ...out[k]!, confidence: Math.min(out[k]!.confidence, 0.6) };
  return [
    'margin_smooth',
    'margin_lobulated',
    'margin_spiculated',
    'margin_ill_defined',
    'notch_sign',
    'calcification',
    'cavitation',
    'vacuole_sign',
    'air_bronchogram',
    'homogeneous_density',
    'pleural_indentation',
  ].map((id) => out[id]!);
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
