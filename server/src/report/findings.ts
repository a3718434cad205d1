/** The findings section: sentences grouped by region, subjects in priority order (api.md 14.1). */
import type { Analysis, Lang, Report, ReportRegion, Session, Sign } from '../contract';
import { lungClearSentence, ctrSentence, unassessedSentences } from './analysisSentences';
import type { Draft } from './draft';
import { collectSubjects, relationAnchors } from './input';
import { REGION_ORDER, regionOfLocation, regionTitle } from './regions';
import { relationSentence } from './relationSentences';
import { subjectSentences } from './subjectSentences';

export function findingsSection(
  session: Session,
  analysis: Analysis,
  signById: ReadonlyMap<string, Sign>,
  lesionThreshold: number | null,
  lang: Lang,
): Report['findings'] {
  const byRegion = new Map<ReportRegion, Draft[]>(REGION_ORDER.map((r) => [r, []]));
  const put = (r: ReportRegion, d: Draft | null) => {
    if (d) byRegion.get(r)!.push(d);
  };
  const subjects = collectSubjects(session, analysis);
  const relations = relationAnchors(session);
  const regionOfAnchor = new Map<string, ReportRegion>();
  for (const s of subjects) {
    const region = regionOfLocation(s.root.location);
    regionOfAnchor.set(s.root.id, region);
    for (const d of subjectSentences(s, analysis, signById, lang)) put(region, d);
    // Relations follow their subject, so a reader sees "where" right after "what".
    for (const m of relations.filter((r) => r.relation!.fromAnchorId === s.root.id))
      put(region, relationSentence(m, analysis, session, lang));
  }
  for (const m of relations.filter((r) => !regionOfAnchor.has(r.relation!.fromAnchorId))) {
    put('other', relationSentence(m, analysis, session, lang));
  }
  for (const side of ['right', 'left'] as const) {
    const region: ReportRegion = side === 'right' ? 'lung_right' : 'lung_left';
    const hasFinding = analysis.findings.some((f) => regionOfLocation(f.location) === region);
    if (!hasFinding) {
      const clear = lungClearSentence(analysis, side, lesionThreshold, lang);
      // The "nothing detected" statement leads the lung's section, user anchors follow it.
      if (clear) byRegion.get(region)!.unshift(clear);
    }
  }
  put('heart', ctrSentence(analysis, lang));
  for (const u of unassessedSentences(analysis, lesionThreshold, lang)) put(u.region, u.draft);
  let n = 0;
  return REGION_ORDER.filter((r) => byRegion.get(r)!.length).map((r) => {
    const sentences = byRegion.get(r)!.map((d) => ({ id: `find-${++n}`, ...d }));
    return { region: r, title: regionTitle(r, lang), sentences };
  });
}
