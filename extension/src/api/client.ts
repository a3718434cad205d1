import type { Analysis, Anchor, ErrorBody, Geometry, Lang, Session, Turn, TurnRequest } from './contract';

/** A failed call, carrying the contract's error code (or a client-side one: network_error, bad_response). */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** DICOMweb reference of the image the viewer shows (api.md 4.1). */
export interface DicomwebRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frame?: number;
}

/**
 * The typed client of /api/v1. One instance per panel; no state besides the base. Authentication is
 * the server's HttpOnly sign-in cookie, sent by the browser (credentials: same-origin): the token is
 * never in script-readable storage nor in a header we build (signIn.ts).
 */
export class CopilotApi {
  constructor(readonly base: string) {}

  private async call<T>(
    method: string,
    path: string,
    body?: string | ArrayBuffer,
    contentType?: string,
    accept = 'application/json',
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: accept };
    if (contentType) headers['Content-Type'] = contentType;
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers, body, credentials: 'same-origin' });
    } catch (e) {
      throw new ApiCallError('network_error', (e as Error).message, 0);
    }
    if (res.status === 204) return undefined as T;
    if (!res.ok) {
      const err = (await res.json().catch(() => null)) as ErrorBody | null;
      if (err?.error?.code) throw new ApiCallError(err.error.code, err.error.message, res.status, err.error.details);
      throw new ApiCallError('bad_response', `HTTP ${res.status}`, res.status);
    }
    if (accept !== 'application/json') return (await res.arrayBuffer()) as T;
    return (await res.json()) as T;
  }

  private json<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.call<T>(method, path, JSON.stringify(body), 'application/json');
  }

  analyseDicomweb(ref: DicomwebRef): Promise<Analysis> {
    return this.json('POST', '/analyses', { dicomweb: ref });
  }
  analyseBytes(bytes: ArrayBuffer): Promise<Analysis> {
    return this.call('POST', '/analyses', bytes, 'application/dicom');
  }
  getAnalysis(id: string): Promise<Analysis> {
    return this.call('GET', `/analyses/${encodeURIComponent(id)}`);
  }
  createSession(analysisId: string, language: Lang): Promise<Session> {
    return this.json('POST', '/sessions', { analysisId, language });
  }
  getSession(id: string): Promise<Session> {
    return this.call('GET', `/sessions/${encodeURIComponent(id)}`);
  }
  addAnchor(sessionId: string, geometry: Geometry, clientRef: string, label?: string): Promise<Anchor> {
    return this.json(
      'POST',
      `/sessions/${encodeURIComponent(sessionId)}/anchors`,
      label ? { geometry, clientRef, label } : { geometry, clientRef },
    );
  }
  deleteAnchor(sessionId: string, anchorId: string): Promise<void> {
    return this.call('DELETE', `/sessions/${encodeURIComponent(sessionId)}/anchors/${encodeURIComponent(anchorId)}`);
  }
  turn(sessionId: string, req: TurnRequest): Promise<Turn> {
    return this.json('POST', `/sessions/${encodeURIComponent(sessionId)}/turns`, req);
  }
  /** api.md 8.4: attach an analysis of an earlier radiograph of the same patient (the viewer decides that). */
  putPrior(sessionId: string, analysisId: string): Promise<Session> {
    return this.json('PUT', `/sessions/${encodeURIComponent(sessionId)}/prior`, { analysisId });
  }
  deletePrior(sessionId: string): Promise<void> {
    return this.call('DELETE', `/sessions/${encodeURIComponent(sessionId)}/prior`);
  }
  /** Binary resources named by the server (heatmap PNG, SR), fetched with the same auth. */
  getBinary(href: string, accept: string): Promise<ArrayBuffer> {
    const path = href.startsWith(this.base) ? href.slice(this.base.length) : href;
    return this.call('GET', path, undefined, undefined, accept);
  }
}
