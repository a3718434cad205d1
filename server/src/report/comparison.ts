/**
 * The report's comparison with the prior film (issue 17, docs/prior.md): "比较" / "Comparison". The
 * prior is named only by the interval ("与约2年前片比较"); per lesion both sizes, the change and its
 * measurement error. Computed from the session's anchors and both analyses; no I/O.
 */
import type { Lang, SessionPrior } from '../contract';
import { compareWithPrior, type PriorComparison } from '../analysis/prior/compare';
import { comparableRoots, currentLesionOf } from '../analysis/prior/lesions';
import {
  comparedWith,
  lesionEvidence,
  lesionSentence,
  priorOnlySentence,
  registrationEvidence,
  summarySentence,
} from '../analysis/prior/text';
import type { AnalysisEntry } from '../store/types';
import type { Draft } from './draft';
import type { Session } from '../contract';

/** What the report knows about the attached prior: the comparison (null when its analysis expired) and its image. */
export interface ReportPrior {
  prior: SessionPrior;
  comparison: PriorComparison | null;
  /** The prior image's SOP reference for the SR, when the prior was a DICOM image. */
  image: { sopClassUID: string; sopInstanceUID: string; frame: number | null } | null;
}

/** Compares the session's lesions (refined outlines where they exist) with the prior. */
export function reportPrior(
  session: Session,
  current: AnalysisEntry,
  priorEntry: AnalysisEntry | null,
): ReportPrior | null {
  const prior = session.prior ?? null;
  if (!prior) return null;
  if (!priorEntry) return { prior, comparison: null, image: null };
  const byId = new Map(session.anchors.map((a) => [a.id, a]));
  const lesions = comparableRoots(session.anchors)
    .map((root) => currentLesionOf(current, root, (root.refinedBy && byId.get(root.refinedBy)) || null))
    .filter((x): x is NonNullable<typeof x> => !!x);
  const comparison = compareWithPrior({ current, prior: priorEntry, lesions, intervalDays: prior.intervalDays });
  const img = priorEntry.analysis.image;
  const image =
    img.sopInstanceUID && img.sopClassUID
      ? {
          sopClassUID: img.sopClassUID,
          sopInstanceUID: img.sopInstanceUID,
          frame: img.numberOfFrames > 1 ? img.frame + 1 : null,
        }
      : null;
  return { prior, comparison, image };
}

/** The comparison sentences: a summary with the registration, one per lesion, then prior-only findings. */
export function comparisonSection(p: ReportPrior, lang: Lang, spacing: Parameters<typeof lesionEvidence>[1]): Draft[] {
  const draft = (text: string, anchorIds: string[] = [], evidence: Draft['evidence'] = []): Draft => ({
    text,
    anchorIds,
    signIds: [],
    evidence,
  });
  const cmp = p.comparison;
  if (!cmp) {
    const head = comparedWith(p.prior.intervalDays)[lang];
    const gone =
      lang === 'zh'
        ? '前片的分析已过期或已删除,未能比较。'
        : 'the prior analysis has expired or was deleted; not compared.';
    return [draft(`${head}:${gone}`)];
  }
  if (!cmp.ok) return [draft(cmp.refusal![lang], [], registrationEvidence(cmp))];
  return [
    draft(summarySentence(cmp)[lang], [], registrationEvidence(cmp)),
    ...cmp.lesions.map((c) =>
      draft(lesionSentence(c, cmp.intervalDays)[lang], [c.anchorId], lesionEvidence(c, spacing)),
    ),
    ...cmp.priorOnly.map((o) => draft(priorOnlySentence(o)[lang])),
  ];
}
