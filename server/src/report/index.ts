/** GET /sessions/:id/report (api.md 14): json, text or DICOM SR of a session. */
import type { Lang } from '../contract';
import type { Analysers } from '../analysis/analysers';
import type { Ontology } from '../ontology';
import type { SessionService } from '../sessions/service';
import { generateReport } from './generate';
import { lesionModelRan, type ReportInput } from './input';
import { buildStructuredReport, sourceImage } from './sr';
import { reportToText } from './text';
import { reportPrior } from './comparison';
import { stripBidi } from '../safeText';

export { generateReport } from './generate';
export { reportToText } from './text';
export { buildStructuredReport } from './sr';
export { reportFrameworks } from './frameworks';
export type { ReportInput } from './input';

export interface ReportOutput {
  type: 'json' | 'text/plain; charset=utf-8' | 'application/dicom';
  body: unknown;
  filename?: string;
}
export interface ReportDeps {
  sessions: SessionService;
  ontology: Ontology;
  analysers: Analysers;
}

/** GET /sessions/:id/report (api.md 14). */
export async function buildReport(
  deps: ReportDeps,
  sessionId: string,
  format: 'json' | 'text' | 'dicom-sr',
  lang?: Lang,
): Promise<ReportOutput> {
  const { state, entry } = await deps.sessions.open(sessionId);
  const analysis = entry.analysis;
  const prior = reportPrior(state.session, entry, await deps.sessions.priorEntry(state));
  const input: ReportInput = {
    session: state.session,
    analysis,
    signById: deps.ontology.signById,
    lesionThreshold: lesionModelRan(analysis) ? (deps.analysers.lesion?.threshold ?? null) : null,
    lang: lang ?? state.session.language,
    prior,
  };
  // Refuse a PNG/JPEG source before doing any work.
  if (format === 'dicom-sr') sourceImage(input);
  const report = generateReport(input);
  if (format === 'json') return { type: 'json', body: report };
  if (format === 'text') return { type: 'text/plain; charset=utf-8', body: stripBidi(reportToText(report)) };
  return {
    type: 'application/dicom',
    body: buildStructuredReport(input, report),
    filename: `cxr-copilot-${sessionId}.dcm`,
  };
}
