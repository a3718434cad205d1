import type { Anchor, LandmarkId, Landmark, Side } from './landmarkTypes';
import { turnAnchor } from '../../sessions/anchors';
import type { TurnContext } from '../context';

/** The session's landmark anchor for a landmark, made the first time a turn uses it (api.md 8.2). */
export function landmarkAnchor(ctx: TurnContext, lm: Landmark): { anchor: Anchor; created: boolean } {
  const existing = ctx.state.session.anchors.find((a) => a.kind === 'landmark' && a.landmarkId === lm.id);
  if (existing) return { anchor: existing, created: false };
  const anchor = turnAnchor(ctx, (id) => ({
    kind: 'landmark',
    label: { zh: `${id} ${lm.label.zh}`, en: `${id} ${lm.label.en}` },
    landmarkId: lm.id,
    geometry: { type: 'point', point: lm.point },
    center: lm.point,
  }));
  return { anchor, created: true };
}

/** A landmark of the analysis by id, or null. */
export function findLandmark(ctx: TurnContext, id: LandmarkId | string): Landmark | null {
  return ctx.entry.analysis.anatomy.landmarks.find((l) => l.id === id) ?? null;
}

/** Landmark id for a target stem and side ("hilum", "right" → "hilum_right"). */
export function landmarkIdFor(stem: string, side: Side): string {
  return stem === 'carina' ? 'carina' : `${stem}_${side}`;
}
