/**
 * The 11 fixed signs (api.md 9.2) from the measured features, with the fixed evidence of api.md
 * 9.3. "indeterminate" when the evidence is weak: low contrast / edge SNR, a crop too small, the
 * rim outside the visible lung (heart, diaphragm, mediastinum overlap), or a mm threshold needed
 * while spacing is "none"; the reason is appended to `method` ("margin@1 (indeterminate: …)").
 */
import type { Evidence, Notch, SignAssessment, Spicule } from '../../contract';
import type { ImageSpacing } from '../../geometry/measurement';
import { confFrom, evBool, evCount, evFraction, evMm, evRatio, evString, sign, type Status } from './evidence';
import type { densityFeatures, lobulationFeatures, marginFeatures, spiculeFeatures, WorkLesion } from './features';
import type { PleuraFeatures } from './pleura';
import { REFINE } from './thresholds';

export interface Quality {
  contrast: number;          // soft-tissue excess Δ (display units)
  edgeSnr: number;           // edge contrast / noise σ
  noise: number;
  cropTooSmall: boolean;
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
const method = (analyser: string, reason: string | null) => (reason ? `${analyser}${V} (indeterminate: ${reason})` : `${analyser}${V}`);

/** Why the image evidence around this lesion is too weak for any margin or density call, or null. */
export function weakEvidence(q: Quality): string | null {
  if (q.cropTooSmall) return 'crop too small (region too small or at the image border)';
  if (q.contrast < REFINE.minContrast || q.edgeSnr < REFINE.minEdgeSnr) return `low contrast (edge contrast ${q.contrast.toFixed(3)}, edge SNR ${q.edgeSnr.toFixed(1)})`;
  if (q.outsideLung !== null && q.outsideLung > REFINE.overlapFraction) return `overlap: ${Math.round(q.outsideLung * 100)} % of the rim lies over heart/mediastinum/diaphragm (outside the visible lung)`;
  return null;
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
  const illConf = confFrom(Math.abs(sharp - REFINE.illDefinedSharpness), 0.25);
  const ill = weak
    ? sign('margin_ill_defined', 'indeterminate', 0.4, illEv, method('margin', weak))
    : sign('margin_ill_defined', illPresent ? 'present' : 'absent', illConf, illEv, method('margin', null));

  // ---- lobulation and notches ------------------------------------------------------------
  const li = lobulation.lobulationIndex;
  const clocks = (xs: { clock: number }[]) => [...new Set(xs.map((x) => x.clock))].sort((a, b) => a - b).join(',');
  const maxDepthPx = notches.reduce((m, nt) => Math.max(m, nt.depth.valuePx ?? 0), 0);
  const maxDepthMm = notches.reduce((m, nt) => Math.max(m, nt.depth.valueMm ?? 0), 0);
  const notchEv: Evidence[] = [evCount('notchCount', notches.length), evString('notchClocks', clocks(notches))];
  const lobEv: Evidence[] = [...notchEv, evRatio('lobulationIndex', li), ...evMm('maxNotchDepthMm', notches.length ? maxDepthMm : 0, src)];
  const lobPresent = li >= REFINE.lobulationIndex && notches.length >= REFINE.lobulationMinNotches;
  const lobConf = lobPresent
    ? confFrom(Math.min(li - REFINE.lobulationIndex, (notches.length - 1.5) * 0.02), REFINE.lobulationIndex)
    : confFrom(notches.length >= 2 ? REFINE.lobulationIndex - li : Math.max(REFINE.lobulationIndex - li, 0.5 * REFINE.lobulationIndex), REFINE.lobulationIndex);
  // a blurred edge makes the traced outline (and so its lobulation) less certain
  const blurFactor = illPresent ? 0.8 : 1;
  const lob = weak
    ? sign('margin_lobulated', 'indeterminate', 0.4, lobEv, method('lobulation', weak))
    : sign('margin_lobulated', lobPresent ? 'present' : 'absent', lobPresent ? lobConf * blurFactor : lobConf, lobEv, method('lobulation', null));
  const depthRel = D > 0 ? maxDepthPx / D : 0;
  const notchPresent = notches.length >= 1 && depthRel >= REFINE.notchSignDepth && (q.mmPx === null || maxDepthMm >= REFINE.notchSignDepthMm);
  const notchSignEv: Evidence[] = [...notchEv, ...evMm('maxNotchDepthMm', notches.length ? maxDepthMm : 0, src)];
  const notch = weak
    ? sign('notch_sign', 'indeterminate', 0.4, notchSignEv, method('lobulation', weak))
    : sign('notch_sign', notchPresent ? 'present' : 'absent',
      notchPresent ? confFrom(depthRel - REFINE.notchSignDepth, 2 * REFINE.notchSignDepth) : confFrom(notches.length ? REFINE.notchSignDepth - depthRel : REFINE.notchSignDepth, REFINE.notchSignDepth),
      notchSignEv, method('lobulation', null));

  // ---- spiculation -----------------------------------------------------------------------
  const lens = spicules.map((sp) => sp.length.valueMm ?? 0);
  const spEv: Evidence[] = [
    evCount('spiculeCount', spicules.length),
    ...evMm('spiculeLengthMaxMm', lens.length ? Math.max(...lens) : 0, src),
    ...evMm('spiculeLengthMeanMm', lens.length ? lens.reduce((a, b) => a + b, 0) / lens.length : 0, src),
    evString('spiculeClocks', clocks(spicules)),
  ];
  const spPresent = spicules.length >= REFINE.spiculeMinCount;
  const spConf = spPresent ? confFrom(spicules.length - REFINE.spiculeMinCount + 2, 3) : confFrom(REFINE.spiculeMinCount - spicules.length, REFINE.spiculeMinCount);
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
      ? Math.min(...others.map((o) => o.confidence), confFrom(REFINE.smoothMaxRoughness - rough, REFINE.smoothMaxRoughness))
      : anyPresent.length ? Math.max(...anyPresent.map((o) => o.confidence)) : confFrom(rough - REFINE.smoothMaxRoughness, REFINE.smoothMaxRoughness);
    smooth = sign('margin_smooth', smoothPresent ? 'present' : 'absent', conf, smoothEv, method('margin', null));
  }

  // ---- density ---------------------------------------------------------------------------
  const dMm = q.diameterMm;
  const calcEv: Evidence[] = [evFraction('calcifiedFraction', density.calcifiedFraction), evString('calcificationPattern', density.calcificationPattern)];
  let calc: SignAssessment;
  const calcPresent = density.calcifiedFraction >= REFINE.calcMinFraction;
  if (weak) calc = sign('calcification', 'indeterminate', 0.4, calcEv, method('density', weak));
  else if (calcPresent) calc = sign('calcification', 'present', confFrom(Math.min(density.calcifiedFraction - REFINE.calcMinFraction, 0.05 * (density.calcContrast - REFINE.calcExcess)), 0.08), calcEv, method('density', null));
  else if (density.calcifiedFraction === 0 && q.edgeSnr >= REFINE.calcAbsentMinSnr && (dMm === null ? D >= 28 : dMm >= REFINE.calcAbsentMinMm))
    calc = sign('calcification', 'absent', 0.65, calcEv, method('density', null));
  else calc = sign('calcification', 'indeterminate', 0.5, calcEv, method('density',
    density.calcifiedFraction > 0 ? 'a few dense pixels below the calcification threshold' : 'radiographic sensitivity to calcium is limited for a small or faint lesion'));

  const lucMaxMm = density.lucencies.length ? mm(density.lucencies[0]!.diameterW * q.f) : 0;
  const cav = density.cavity;
  const cavEv: Evidence[] = [evFraction('lucentFraction', density.lucentFraction), ...evMm('lucencyMaxDiameterMm', lucMaxMm, src), ...evMm('wallThicknessMaxMm', cav ? mm(cav.wallMaxW * q.f) : 0, src)];
  const cavitation = weak
    ? sign('cavitation', 'indeterminate', 0.4, cavEv, method('density', weak))
    : cav
      ? sign('cavitation', 'present', confFrom(density.lucentFraction, 0.15), cavEv, method('density', null))
      : density.lucentFraction < 0.03
        ? sign('cavitation', 'absent', confFrom(0.03 - density.lucentFraction, 0.03), cavEv, method('density', null))
        : sign('cavitation', 'indeterminate', 0.45, cavEv, method('density', 'lucent area present but no closed lucency large enough for a cavity'));

  const cavityMinW = q.mmPx ? REFINE.cavityMinMm / (q.mmPx * q.f) : Infinity;
  const vacuoles = density.lucencies.filter((l) => l.diameterW < cavityMinW && (!cav || l.diameterW < cav.diameterW));
  const vacEv: Evidence[] = [evCount('lucencyCount', density.lucencies.length), ...evMm('lucencyMaxDiameterMm', lucMaxMm, src)];
  let vacuole: SignAssessment;
  if (weak) vacuole = sign('vacuole_sign', 'indeterminate', 0.4, vacEv, method('density', weak));
  else if (src === 'none' || q.mmPx === null) vacuole = sign('vacuole_sign', 'indeterminate', 0.4, vacEv, method('density', 'the ≤ 5 mm size threshold needs pixel spacing (spacing none)'));
  else if (vacuoles.length && !cav) vacuole = sign('vacuole_sign', 'present', 0.6, vacEv, method('density', null));
  else if (density.lucencies.length === 0 && (dMm ?? 0) >= 15 && q.edgeSnr >= REFINE.calcAbsentMinSnr) vacuole = sign('vacuole_sign', 'absent', 0.6, vacEv, method('density', null));
  else vacuole = sign('vacuole_sign', cav ? 'absent' : 'indeterminate', cav ? 0.55 : 0.4, vacEv, method('density', cav ? null : 'bubble-like lucencies of 1–5 mm are below radiographic resolution for this lesion'));

  const tubEv: Evidence[] = [evCount('tubularLucencyCount', density.tubularCount)];
  let bronch: SignAssessment;
  if (weak) bronch = sign('air_bronchogram', 'indeterminate', 0.35, tubEv, method('density', weak));
  else if (density.tubularCount >= 1) bronch = sign('air_bronchogram', 'present', 0.55 + 0.1 * Math.min(3, density.tubularCount), tubEv, method('density', null));
  else if ((dMm === null ? D >= 57 : dMm >= 20) && q.edgeSnr >= REFINE.calcAbsentMinSnr) bronch = sign('air_bronchogram', 'absent', 0.6, tubEv, method('density', null));
  else bronch = sign('air_bronchogram', 'indeterminate', 0.35, tubEv, method('density', 'tubular lucencies are not resolvable in a lesion this small or faint'));

  const cv = density.densityCv;
  const homEv: Evidence[] = [evRatio('densityCv', cv)];
  let hom: SignAssessment;
  if (weak) hom = sign('homogeneous_density', 'indeterminate', 0.4, homEv, method('density', weak));
  else if (calc.status === 'present' || cavitation.status === 'present' || vacuole.status === 'present' || bronch.status === 'present')
    hom = sign('homogeneous_density', 'absent', 0.8, homEv, method('density', null));
  else if (cv <= REFINE.homogeneousCv) hom = sign('homogeneous_density', 'present', confFrom(REFINE.homogeneousCv - cv, REFINE.homogeneousCv), homEv, method('density', null));
  else if (cv >= REFINE.heterogeneousCv) hom = sign('homogeneous_density', 'absent', confFrom(cv - REFINE.heterogeneousCv, REFINE.heterogeneousCv), homEv, method('density', null));
  else hom = sign('homogeneous_density', 'indeterminate', 0.45, homEv, method('density', 'density variation between the homogeneous and heterogeneous thresholds'));

  // ---- pleura ----------------------------------------------------------------------------
  let pl: SignAssessment;
  if (!pleura) pl = sign('pleural_indentation', 'indeterminate', 0.3, [], method('pleura', 'no pleural surface (anatomy unavailable)'));
  else {
    const ev: Evidence[] = [
      ...evMm('pleuralDistanceMm', pleura.distanceMm, src), evBool('pleuralContact', pleura.contact), evBool('tailPresent', pleura.tailPresent),
      ...(pleura.tailPresent ? evMm('tailLengthMm', pleura.tailLengthMm, src) : []),
    ];
    if (src === 'none' || q.mmPx === null) pl = sign('pleural_indentation', 'indeterminate', 0.4, ev, method('pleura', 'mm thresholds need pixel spacing (spacing none)'));
    else if (weak && !pleura.tailPresent) pl = sign('pleural_indentation', 'indeterminate', 0.4, ev, method('pleura', weak));
    else if (pleura.tailPresent) pl = sign('pleural_indentation', 'present', 0.65, ev, method('pleura', null));
    else if (pleura.contact) pl = sign('pleural_indentation', 'absent', 0.6, ev, method('pleura', null));
    else pl = sign('pleural_indentation', 'absent', (pleura.distanceMm ?? 0) > REFINE.pleuralTailMaxMm ? 0.85 : 0.7, ev, method('pleura', null));
  }

  const out: Record<string, SignAssessment> = {
    margin_smooth: smooth, margin_lobulated: lob, margin_spiculated: spic, margin_ill_defined: ill, notch_sign: notch,
    calcification: calc, cavitation, vacuole_sign: vacuole, air_bronchogram: bronch, homogeneous_density: hom, pleural_indentation: pl,
  };
  return ['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined', 'notch_sign', 'calcification', 'cavitation', 'vacuole_sign', 'air_bronchogram', 'homogeneous_density', 'pleural_indentation']
    .map((id) => out[id]!);
}

/** The margin class an answer leads with: the present margin sign with the highest confidence (api.md 9.1). */
export function leadMarginClass(signs: readonly SignAssessment[]): 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined' | null {
  const names: Record<string, 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined'> = {
    margin_smooth: 'smooth', margin_lobulated: 'lobulated', margin_spiculated: 'spiculated', margin_ill_defined: 'ill_defined',
  };
  let best: SignAssessment | null = null;
  for (const sg of signs) if (names[sg.signId] && sg.status === 'present' && (!best || sg.confidence > best.confidence)) best = sg;
  return best ? names[best.signId]! : null;
}

export type { Status };
