/** Assembles the JSON report (api.md 14.1) from a session and its analysis. */
import type { Report } from '../contract';
import { nowIso } from '../ids';
import { numbered } from './draft';
import { findingsSection } from './findings';
import { reportFrameworks } from './frameworks';
import { impressionSection, recommendationsSection } from './impression';
import { collectSubjects, type ReportInput } from './input';
import { comparisonSection } from './comparison';
import { disclaimer, limitationsSection, techniqueSection } from './technique';

/** The structured report of a session; every findings/impression sentence names its anchors and evidence. */
export function generateReport(input: ReportInput): Report {
  const { session, analysis, signById, lesionThreshold, lang } = input;
  const anySigns = collectSubjects(session, analysis).some((s) => s.signs.length > 0);
  return {
    sessionId: session.id,
    analysisId: analysis.id,
    language: lang,
    generatedAt: input.generatedAt ?? nowIso(),
    frameworks: reportFrameworks(analysis),
    technique: numbered('tech', techniqueSection(analysis, lesionThreshold, lang)),
    findings: findingsSection(session, analysis, signById, lesionThreshold, lang),
    impression: numbered('imp', impressionSection(session, analysis, signById, lesionThreshold, lang)),
    recommendations: numbered('rec', recommendationsSection(session, analysis, lang)),
    limitations: numbered('lim', limitationsSection(analysis, lang, anySigns)),
    disclaimer: disclaimer(lang),
    ...(input.prior
      ? { comparison: numbered('cmp', comparisonSection(input.prior, lang, analysis.image.spacingSource)) }
      : {}),
  };
}
