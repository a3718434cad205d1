import type { Anchor, Annotation, Marker, Measurement, Point } from '../../contract';
import { formatMeasurement } from '../../geometry/measurement';
import { tr, type TurnContext } from '../context';
import { COLORS, style } from '../palette';

/** One focused marker set on a refined outline (none when there are no markers). */
function markerSet(ctx: TurnContext, refined: Anchor, color: string, markers: Marker[]): Annotation[] {
  if (!markers.length) return [];
  const look = style(color, { emphasis: 'focus' });
  return [
    {
      id: ctx.newAnnotationId(),
      anchorId: refined.id,
      replaces: null,
      kind: 'points',
      style: look,
      measurement: null,
      markers,
    },
  ];
}

/** A refined outline's notches as one marker set (none when it has no notches). */
export function notchMarkers(ctx: TurnContext, refined: Anchor): Annotation[] {
  const markers = (refined.features?.notches ?? []).map((n) => ({
    point: n.point,
    label: tr(ctx.lang, `切迹 ${n.clock}点`, `notch ${n.clock} o'clock`),
    kind: 'notch' as const,
    measurement: n.depth,
  }));
  return markerSet(ctx, refined, COLORS.notch, markers);
}

/** A refined outline's spicule tips as one marker set (none when it has no spicules). */
export function spiculeMarkers(ctx: TurnContext, refined: Anchor): Annotation[] {
  const markers = (refined.features?.spicules ?? []).map((s) => ({
    point: s.tip,
    label: tr(ctx.lang, `毛刺 ${formatMeasurement(s.length, 'en')}`, `spicule ${formatMeasurement(s.length, 'en')}`),
    kind: 'spicule_tip' as const,
    measurement: s.length,
  }));
  return markerSet(ctx, refined, COLORS.spicule, markers);
}

/** A measured line (centre or gap link) on a measurement anchor, labelled with its short value. */
export function measuredLink(
  ctx: TurnContext,
  anchorId: string,
  points: [Point, Point],
  m: Measurement,
  label: string,
  look: Annotation['style'],
): Annotation {
  return {
    id: ctx.newAnnotationId(),
    anchorId,
    replaces: null,
    kind: 'link',
    points,
    label,
    style: look,
    measurement: m,
  };
}
