/**
 * Measurements live in anchors and in annotation blocks (api.md 10.7); OHIF's measurements panel
 * lists only what a drawing carries. A comparison's `measurement` anchor holds both sizes and the
 * change (api.md 8.4); its outline carries one size and its label carries none. So that every
 * measurement reaches the panel, a label that names a `measurement` anchor and carries nothing is
 * given that anchor's last measurement no drawing lists (the change: api.md orders sizes, then the
 * change). A label that already carries a measurement is left alone. Pure, so it is unit-tested.
 */
import type { Anchor, Annotation, Measurement } from '../api/contract';

const same = (a: Measurement, b: Measurement): boolean =>
  a.name === b.name && a.value === b.value && a.unit === b.unit && a.label.en === b.label.en;

/** Every measurement the drawings already carry (their blocks and their markers'). */
function carried(annotations: Annotation[]): Measurement[] {
  return annotations.flatMap((a) => [
    ...(a.measurement ? [a.measurement] : []),
    ...(a.kind === 'points' ? a.markers.flatMap((m) => (m.measurement ? [m.measurement] : [])) : []),
  ]);
}

/** The annotations with each bare label of a `measurement` anchor carrying its unlisted measurement. */
export function withAnchorMeasurements(annotations: Annotation[], anchors: Anchor[]): Annotation[] {
  const byId = new Map(anchors.map((a) => [a.id, a]));
  const listed = carried(annotations);
  return annotations.map((a) => {
    if (a.kind !== 'label' || a.measurement || !a.anchorId) return a;
    const anchor = byId.get(a.anchorId);
    if (anchor?.kind !== 'measurement') return a;
    const unlisted = anchor.measurements.filter((m) => !listed.some((c) => same(c, m)));
    const m = unlisted[unlisted.length - 1];
    if (!m) return a;
    listed.push(m);
    return { ...a, measurement: m };
  });
}
