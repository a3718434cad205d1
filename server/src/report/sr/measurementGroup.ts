/** One TID 1501 Measurement Group, encoded as the Cornerstone3D adapters (5.6.8) encode their tools. */
import type { Sign } from '../../contract';
import { CODES, CORNERSTONE_TAG, FREE_TEXT, UNITS, signConcept, statusCode, type Code } from './codes';
import { codeItem, container, lo, numItem, scoordItem, textItem, uidItem, type ImageRef, type Item } from './items';
import type { GroupSpec } from './shapes';
import { newUid } from './uid';
import { cleanLabel } from '../../safeText';

const freeText = (label: string): Code => ({
  CodeValue: FREE_TEXT.value,
  CodingSchemeDesignator: FREE_TEXT.scheme,
  CodeMeaning: lo(cleanLabel(label)),
});

/**
 * The adapters read the SCOORD from the group's first NUM, and OHIF's SR viewport reads one from
 * every NUM, so each NUM carries the shape (INFERRED FROM). Points get a zero "Center" NUM, as
 * dcmjs' TID300 Point writes them.
 */
export function measurementGroup(g: GroupSpec, ref: ImageRef, signById: ReadonlyMap<string, Sign>): Item {
  const scoord = () => scoordItem(g.graphicType, g.points, ref);
  const nums = g.nums.length ? g.nums : [{ concept: CODES.center, value: 0, unit: UNITS.none }];
  const children: Item[] = [
    textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, `${CORNERSTONE_TAG}:${g.tool}`),
    uidItem('HAS OBS CONTEXT', CODES.trackingUid, newUid()),
  ];
  if (g.tool === 'ArrowAnnotate') {
    // The arrow's text is the Finding itself (adapters' ArrowAnnotate).
    children.push(codeItem('CONTAINS', CODES.finding, freeText(g.label)));
  } else {
    if (g.finding) children.push(codeItem('CONTAINS', CODES.finding, g.finding));
    children.push(codeItem('HAS CONCEPT MOD', CODES.findingSite, freeText(g.label)));
  }
  if (g.site) {
    const lat = g.site.laterality ? [codeItem('HAS CONCEPT MOD', CODES.laterality, g.site.laterality)] : [];
    children.push(codeItem('HAS CONCEPT MOD', CODES.findingSite, g.site.site, lat));
  }
  for (const n of nums) children.push(numItem(n.concept, n.value, n.unit, [scoord()]));
  for (const s of g.signs)
    children.push(codeItem('CONTAINS', signConcept(s.signId, signById.get(s.signId)), statusCode(s.status)));
  return container('CONTAINS', CODES.measurementGroup, children);
}
