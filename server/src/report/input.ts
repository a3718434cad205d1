/** What the report generator reads: the session, its analysis and the ontology — never HTTP. */
import type { Analysis, Anchor, Lang, Measurement, Session, SignAssessment, Sign } from '../contract';
import type { ReportPrior } from './comparison';

export interface ReportInput {
  session: Session;
  analysis: Analysis;
  /** Sign metadata by id (names, specificity, RadLex ids). */
  signById: ReadonlyMap<string, Sign>;
  /** Operating point of the lesion detector, or null when no lesion model ran. */
  lesionThreshold: number | null;
  lang: Lang;
  /** Generation time (RFC 3339); defaults to now. */
  generatedAt?: string;
  /** The attached prior and the comparison with it (report/comparison.ts); absent without a prior. */
  prior?: ReportPrior | null;
}

/**
 * One thing the report describes: a finding or user anchor (a lineage root, api.md 8.2) with its
 * refinement when one exists. Geometry, size and signs come from the refinement when present.
 */
export interface Subject {
  root: Anchor;
  refined: Anchor | null;
  /** The signs to report: the refinement's when it has any, else the root's own. */
  signs: SignAssessment[];
  /** Size measurements: the refinement's when present, else the root's. */
  measurements: Measurement[];
  /** Priority of the underlying finding (1 = first); user anchors come after all findings. */
  order: number;
}

/** Finding and user anchors of the session with their refinements, findings first by priority. */
export function collectSubjects(session: Session, analysis: Analysis): Subject[] {
  const byId = new Map(session.anchors.map((a) => [a.id, a]));
  const priority = new Map(analysis.findings.map((f) => [f.id, f.priority]));
  const subjects: Subject[] = [];
  for (const root of session.anchors) {
    if (root.kind !== 'finding' && root.kind !== 'user') continue;
    const refined =
      (root.refinedBy && byId.get(root.refinedBy)) ||
      session.anchors.find((a) => a.kind === 'refinement' && a.parentId === root.id) ||
      null;
    const signs = refined && refined.signs.length ? refined.signs : root.signs;
    const measurements = refined && refined.measurements.length ? refined.measurements : root.measurements;
    const order =
      root.kind === 'finding' ? (priority.get(root.findingId ?? '') ?? 1000) : 10000 + Number(root.id.slice(1));
    subjects.push({ root, refined, signs, measurements, order });
  }
  return subjects.sort((a, b) => a.order - b.order);
}

/** The measurement anchors (relations) of the session, in id order. */
export const relationAnchors = (session: Session): Anchor[] =>
  session.anchors.filter((a) => a.kind === 'measurement' && a.relation);

/** True when the lesion detector ran on this analysis. */
export const lesionModelRan = (analysis: Analysis): boolean => analysis.models.some((m) => /lesion/.test(m.name));
