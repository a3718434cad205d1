import type { Anchor, Polygon } from '../contract';
import { refineRegion, type RefinementResult } from '../analysis/refine';
import { geometryPolygon } from '../geometry/shapes';
import { nowIso } from '../ids';
import { spacingOf } from '../sessions/anchors';
import type { TurnContext } from './context';

/** The pleural surface on the subject's side: the ipsilateral lung contours, when anatomy exists. */
export function pleuraFor(ctx: TurnContext, side: 'right' | 'left' | null): Polygon[] | undefined {
  if (!side) return undefined;
  const lung = ctx.entry.analysis.anatomy.structures.find(
    (s) => s.id === (side === 'right' ? 'lung_right' : 'lung_left'),
  );
  return lung?.contours;
}

/** Refinement results by analysis, anchor and outline: the overview's preview and the later anchor share one computation. */
const RESULTS = new Map<string, RefinementResult>();
const RESULTS_MAX = 64;

function refineCached(ctx: TurnContext, root: Anchor, poly: Polygon): RefinementResult {
  const key = `${ctx.entry.analysis.id}|${root.id}|${poly.length}|${poly.map((p) => `${p[0]},${p[1]}`).join(';')}`;
  const hit = RESULTS.get(key);
  if (hit) return hit;
  const info = ctx.entry.analysis.image;
  const px = ctx.entry.pixels;
  const result = refineRegion({
    display: px.display,
    width: px.width,
    height: px.height,
    scale: px.scale,
    contour: poly,
    spacing: spacingOf(info),
    pleuraPolygons: pleuraFor(ctx, root.location?.side ?? null),
  });
  RESULTS.set(key, result);
  if (RESULTS.size > RESULTS_MAX) RESULTS.delete(RESULTS.keys().next().value!);
  return result;
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
  const id = ctx.newAnchorId();
  const anchor: Anchor = {
    id,
    kind: 'refinement',
    parentId: root.id,
    createdAt: nowIso(),
    createdByTurnId: ctx.turnId,
    label: { zh: `${id} ${root.id}精细轮廓`, en: `${id} refined outline of ${root.id}` },
    findingId: null,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'polygon', points: result.contour },
    center: result.center,
    location: root.location,
    measurements: result.measurements,
    signs: result.signs,
    features: result.features,
    relation: null,
    refinedBy: null,
  };
  ctx.state.session.anchors.push(anchor);
  root.refinedBy = id;
  ctx.state.refinements[root.id] = { anchorId: id, cropBox: result.cropBox, quality: result.quality };
  return { anchor, cache: 'miss', created: anchor };
}
