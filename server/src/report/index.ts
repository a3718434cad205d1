import type { Lang } from '../contract';
import type { Analysers } from '../analysis/analysers';
import { ApiError } from '../errors';
import type { Ontology } from '../ontology';
import type { SessionService } from '../sessions/service';

export interface ReportOutput { type: 'json' | 'text/plain; charset=utf-8' | 'application/dicom'; body: unknown; filename?: string }
export interface ReportDeps { sessions: SessionService; ontology: Ontology; analysers: Analysers }

/** GET /sessions/:id/report (api.md 14). */
export async function buildReport(deps: ReportDeps, sessionId: string, format: 'json' | 'text' | 'dicom-sr', lang?: Lang): Promise<ReportOutput> {
  const session = deps.sessions.get(sessionId);
  void lang; void format; void session;
  throw new ApiError('model_unavailable', 'Report generation is not available in this version.');
}
