/**
 * The current film's lesions as the comparison sees them (issue 17): a region anchor's refined outline
 * and its one size (api.md 6.1) — the refinement anchor's when it exists, else the same refinement
 * computed here (dialogue/refinement.ts runs the identical computation for a new refinement anchor).
 */
import type { Anchor } from '../../contract';
import type { AnalysisEntry } from '../../store/types';
import { geometryPolygon } from '../../geometry/shapes';
import { pleuraOf, refinedLesion, sizeOf, type CurrentLesion } from './compare';

/** The comparison lesion of a region root; null for a point anchor (no outline, no size). */
export function currentLesionOf(entry: AnalysisEntry, root: Anchor, refined: Anchor | null): CurrentLesion | null {
  if (refined && refined.geometry.type === 'polygon' && refined.geometry.points.length >= 3) {
    return {
      anchorId: root.id,
      center: refined.center,
      outline: refined.geometry.points,
      size: sizeOf(refined.measurements),
    };
  }
  const poly = geometryPolygon(root.geometry);
  if (!poly || poly.length < 3) return null;
  const r = refinedLesion(entry, poly, pleuraOf(entry.analysis, root.location?.side));
  if (r.outline.length < 3) return null;
  return { anchorId: root.id, center: r.center, outline: r.outline, size: r.size };
}

/** The lesions a film-level comparison covers: every finding anchor, and drawn regions. */
export function comparableRoots(anchors: readonly Anchor[]): Anchor[] {
  return anchors.filter((a) => a.kind === 'finding' || (a.kind === 'user' && a.geometry.type !== 'point'));
}
