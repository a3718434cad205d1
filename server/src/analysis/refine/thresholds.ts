/**
 * Thresholds of the focused re-analysis (docs/analysers.md, "Focused re-analysis"). Tuned on the
 * TUNING split of the synthetic insertion set (scripts/eval-refine.ts --split tune); the figures
 * in docs/analysers.md come from the separate TEST split.
 */
export const REFINE = {
  // v3: insensitive signs never absent, notch depth relative to size, evidence-derived confidence
  // (v2: vessel rejection, rib-aware background)
  version: 3,
  // crop and segmentation
  maxWorkSide: 512, // crops wider than this are block-averaged (f = ceil(side / 512))
  spiculeSearchMm: [8, 25] as const, // radial search beyond the edge: clamp(1.2·D, 8 mm, 25 mm)
  traceMinSizeRatio: 0.75, // traced ÷ coarse equivalent diameter outside [0.75, 1.3]: the trace failed (v3) —
  traceMaxSizeRatio: 1.3, // keep the coarse outline for the size, sign confidence ≤ 0.6
  minRadiusPx: 4, // smaller regions: crop too small → indeterminate
  minContextFraction: 0.6, // the crop must leave ≥ 0.6 × radius of context on every side
  ribCoherence: [0.2, 0.5] as const, // structure-tensor coherence of the surroundings: directional fill weight 0 → 1
  // quality
  minContrast: 0.012, // Δ (display units) below which the edge cannot be traced
  minEdgeSnr: 3, // Δ / noise σ
  overlapFraction: 0.35, // share of the rim outside the visible lung (with lungMask) → overlap
  // margin
  sharpnessRef: 0.1, // kRef = max(2 px, 0.1·D): boundarySharpness = maxSlope·kRef/Δ
  illDefinedSharpness: 0.4, // boundarySharpness below → margin_ill_defined
  smoothMaxRoughness: 0.15, // contourRoughness above this is never margin_smooth
  // lobulation
  lobulationIndex: 0.08, // harmonic amplitude (orders 3..12) / mean radius …
  lobulationMinNotches: 5, // … with ≥ 5 notches between lobulations
  notchProminence: 0.05, // valley prominence / mean radius
  notchMinPx: 0.8, // … and at least this many px
  notchMinHullPx: 0.3, // … and its depth below the convex hull ≥ 0.3 px
  notchSignDepth: 0.08, // notch_sign: hull depth ≥ 8 % of the diameter (relative to the lesion) …
  notchSignDepthMm: 1.5, // … and ≥ 1.5 mm (v3; was 2 % and 0.5 mm: 0.6 mm dents in 2 cm nodules)
  // spiculation
  ridgeLateralMm: 1.0, // lateral offset of the ridge test
  ridgeFraction: 0.12, // ridge ≥ 0.12·Δ …
  ridgeNoiseK: 1.5, // … and ≥ median + 2.5 σ (MAD) of the ridge response around the lesion
  ridgeRadialHalfPx: 2.5, // radial averaging of the ridge response (± px)
  spiculeMinMm: 2, // shorter projections are ignored
  spiculeMinPx: 5, // (uncalibrated)
  spiculeKeepMm: 3, // a counted spicule is ≥ 3 mm long …
  spiculeBaseRidge: 1.2, // … and its ridge over its first third averages ≥ 1.2 × the threshold
  spiculeMinCount: 2, // margin_spiculated needs ≥ 2 such spicules
  // density
  calcExcess: 0.85, // calcium: excess ≥ (1 + 0.85) × the soft-tissue level …
  calcNoiseK: 4, // … and ≥ 4 σ above it
  bandElongation: 3, // calcium or lucent components this elongated (PCA axis ratio) …
  bandMinRel: 0.7, // … and at least 0.7 × the radius long are rib-band residue, not signs
  // calcifiedFraction for "present" (v3: 0.02 → 0.07 on TUNING: false "present" 15 % → 3 %, sensitivity 70 → 45 %)
  calcMinFraction: 0.07,
  calcAbsentMinMm: 10, // (unused since v3: calcification is never "absent" on a radiograph)
  calcAbsentMinSnr: 8,
  lucentLevel: 0.4, // lucency: excess ≤ 0.4 × soft-tissue level …
  lucentNoiseK: 3, // … and ≥ 3 σ below it
  cavityMinMm: 5, // lucency ≥ 5 mm → cavity; smaller → vacuole
  cavityMinRel: 0.3, // (uncalibrated: ≥ 0.3 × diameter)
  vacuoleMinMm: 1,
  tubularAspect: 3,
  tubularMinRel: 0.25,
  bronchogramMinTubes: 5, // air_bronchogram "present" needs ≥ 5 tubular lucencies (v3; was 1): the synthetic
  // TUNING lesions have no bronchograms, yet 28 % show ≥ 2 tube-like gaps (clutter); ≥ 5: 4 %
  vacuoleMinCount: 4, // vacuole_sign "present" needs ≥ 4 small lucencies (v3; was 1): ≥ 1 on 32 % of
  // non-cavitated TUNING lesions (none has vacuoles), ≥ 4 on 5 %
  homogeneousCv: 0.25, // densityCv ≤ → homogeneous
  heterogeneousCv: 0.4, // densityCv ≥ → not homogeneous
  // pleura
  pleuralContactMm: 1,
  pleuralTailMaxMm: 40, // farther than this: no indentation (absent)
  tailReachMm: 2, // a tail must reach within 2 mm of the pleura
  // relation bridge
  bridgeHalfWidthMm: 2.5, // corridor half width searched around the gap line
  bridgeFlankMm: [5, 9] as const, // aerated-lung reference: flanks at 5–9 mm either side
  bridgeMinFraction: 0.9, // share of the gap with corridor excess ≥ threshold
  bridgeExcess: 0.35, // corridor excess ≥ 0.35 × the subject's soft-tissue excess
} as const;
