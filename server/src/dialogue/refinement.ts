import type { Anchor, Polygon } from '../contract';
import { refineRegion, type RefinementResult } from '../analysis/refine';
import { geometryPolygon } from '../geometry/shapes';
import { turnAnchor, spacingOf } from '../sessions/anchors';
import type { AnalysisEntry } from '../store/types';
import type { TurnContext } from './context';

/** The pleural surface on the subject's side: the ipsilateral lung contours, when anatomy exists. */
export function pleuraFor(entry: AnalysisEntry, side: 'right' | 'left' | null): Polygon[] | undefined {
  if (!side) return undefined;
  const lung = entry.analysis.anatomy.structures.find((s) => s.id === (side === 'right' ? 'lung_right' : 'lung_left'));
  return lung?.contours;
}

/** Findings whose refined size the overview states up front (the rest quote the detector's size until refined). */
export const OVERVIEW_REFINE_MAX = 3;

/**
 * Refinement results by analysis, side and outline: the eager pass after the analysis, the overview's
 * preview and the later anchor share one computation (the result depends on nothing else).
 */
const RESULTS = new Map<string, RefinementResult>();
const RESULTS_MAX = 64;

type Side = 'right' | 'left' | null;
const resultKey = (entry: AnalysisEntry, side: Side, poly: Polygon): string =>
  `${entry.analysis.id}|${side}|${poly.length}|${poly.map((p) => `${p[0]},${p[1]}`).join(';')}`;

function refineOnEntry(entry: AnalysisEntry, side: Side, poly: Polygon): RefinementResult {
  const key = resultKey(entry, side, poly);
  const hit = RESULTS.get(key);
  if (hit) return hit;
  const px = entry.pixels;
  const result = refineRegion({
    display: px.display,
    width: px.width,
    height: px.height,
    scale: px.scale,
    contour: poly,
    spacing: spacingOf(entry.analysis.image),
    pleuraPolygons: pleuraFor(entry, side),
  });
  RESULTS.set(key, result);
  if (RESULTS.size > RESULTS_MAX) RESULTS.delete(RESULTS.keys().next().value!);
  return result;
}

const refineCached = (ctx: TurnContext, root: Anchor, poly: Polygon): RefinementResult =>
  refineOnEntry(
    ctx.entry,
    root.location?.side === 'right' || root.location?.side === 'left' ? root.location.side : null,
    poly,
  );

/**
 * Eager refinement (issue 14: the first refinement under 150 ms): right after the analysis, the
 * findings the first overview will refine are refined here, so that turn reads cached results. The
 * finding anchors of a session carry the finding's contour and location, so the keys agree.
 * Returns how many were refined (errors leave the lazy path to try again). EAGER_REFINE=0 turns it off.
 */
export function prerefineFindings(entry: AnalysisEntry, max = OVERVIEW_REFINE_MAX): number {
  if (process.env.EAGER_REFINE === '0') return 0; // off: the first overview refines lazily, as before
  let n = 0;
  for (const f of entry.analysis.findings.slice(0, max)) {
    if (f.contour.length < 3) continue;
    try {
      refineOnEntry(entry, f.location?.side ?? null, f.contour);
      n++;
    } catch {
      // a failed refinement here is retried (and reported) when a turn asks for it
    }
  }
  return n;
}

/**
 * The refined size and signs of a region root without creating its anchor (the overview states the
 * one size per lesion from turn 1, api.md 6.1); the anchor made later reuses the same result.
 */
export function previewRefinement(ctx: TurnContext, root: Anchor): RefinementResult | null {
  if (root.refinedBy) {
    const existing = ctx.anchor(root.refinedBy);
    if (existing)
      return {
        contour: [],
        center: existing.center,
        measurements: existing.measurements,
        signs: existing.signs,
        features: existing.features ?? { notches: [], spicules: [] },
        cropBox: [0, 0, 0, 0],
        quality: { contrast: 0, edgeSnr: 0 },
      };
  }
  const poly = geometryPolygon(root.geometry);
  return poly ? refineCached(ctx, root, poly) : null;
}

/**
 * The refinement anchor of a region root, created on first use and cached in the session
 * (api.md 10.6); points are never refined.
 */
export function ensureRefinement(
  ctx: TurnContext,
  root: Anchor,
): { anchor: Anchor | null; cache: 'hit' | 'miss' | null; created: Anchor | null } {
  if (root.refinedBy) {
    const existing = ctx.anchor(root.refinedBy);
    if (existing) return { anchor: existing, cache: 'hit', created: null };
  }
  const poly = geometryPolygon(root.geometry);
  if (!poly) return { anchor: null, cache: null, created: null };
  const result: RefinementResult = refineCached(ctx, root, poly);
  const anchor = turnAnchor(ctx, (id) => ({
    kind: 'refinement',
    parentId: root.id,
    label: { zh: `${id} ${root.id}精细轮廓`, en: `${id} refined outline of ${root.id}` },
    geometry: { type: 'polygon', points: result.contour },
    center: result.center,
    location: root.location,
    measurements: result.measurements,
    signs: result.signs,
    features: result.features,
  }));
  const id = anchor.id;
  ctx.state.session.anchors.push(anchor);
  root.refinedBy = id;
  ctx.state.refinements[root.id] = { anchorId: id, cropBox: result.cropBox, quality: result.quality };
  return { anchor, cache: 'miss', created: anchor };
}
