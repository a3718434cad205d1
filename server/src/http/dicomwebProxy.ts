import type express from 'express';
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config';
import { ApiError } from '../errors';
import { checkDicomwebRequest, checkWadoUriRequest, upstreamUrl, type PathVerdict } from './dicomwebPath';
import { sendError } from './envelope';

/** Request headers passed upstream. Host is the browser's: Orthanc builds BulkDataURI/RetrieveURL from it. */
const REQUEST_HEADERS = [
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'host',
  'if-none-match',
  'if-modified-since',
  'range',
];
/**
 * Response headers passed back; hop-by-hop headers and cookies stay behind, and so do `Location` and
 * `Content-Location`: they may name the upstream server's own URLs, which the browser must not follow.
 */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'accept-ranges',
  'content-range',
];

type Handler = (req: express.Request, res: express.Response) => void;
type Check = (url: string, method: string) => PathVerdict;

/** The contract error for a refused proxy path (400 traversal, 404 not a DICOMweb resource, 405 method). */
function refusal(v: Exclude<PathVerdict, { ok: true }>, what: string): ApiError {
  if (v.status === 400)
    return new ApiError('invalid_request', `This ${what} path is not allowed.`, { reason: v.reason });
  if (v.status === 405)
    return new ApiError('method_not_allowed', 'This method is not allowed here.', { supported: v.allowed });
  return new ApiError('not_found', `No such ${what} resource.`, { resource: 'route', reason: v.reason });
}

/** Streams one checked request to the upstream; `req.url` is relative to the mount point and still encoded. */
function forwardTo(base: string | null, timeoutMs: number, what: string, check: Check): Handler {
  return (req, res) => {
    if (!base) {
      sendError(
        res,
        new ApiError('dicomweb_unavailable', `${what} is not configured on this server (set DICOMWEB_URL).`),
      );
      return;
    }
    const verdict = check(req.url, req.method);
    if (!verdict.ok) {
      if (verdict.allowed) res.set('Allow', verdict.allowed.join(', '));
      req.resume();
      sendError(res, refusal(verdict, what));
      return;
    }
    const target = upstreamUrl(base, verdict);
    const headers: http.OutgoingHttpHeaders = {};
    for (const h of REQUEST_HEADERS) {
      const v = req.headers[h];
      if (v !== undefined) headers[h] = v;
    }
    // A JSON body parser mounted earlier may have consumed the stream; send what it parsed.
    const parsed = (req as unknown as { _body?: boolean })._body ? Buffer.from(JSON.stringify(req.body)) : null;
    if (parsed) headers['content-length'] = parsed.length;
    const lib = target.protocol === 'https:' ? https : http;
    const upstream = lib.request(target, { method: req.method, headers, timeout: timeoutMs }, (up) => {
      // A redirect would point the browser (or us) outside the DICOMweb root: never passed on.
      if (up.statusCode && up.statusCode >= 300 && up.statusCode < 400 && up.statusCode !== 304) {
        up.resume();
        sendError(
          res,
          new ApiError('dicomweb_error', `The ${what} server answered with a redirect.`, {
            upstreamStatus: up.statusCode,
          }),
        );
        return;
      }
      res.status(up.statusCode ?? 502);
      for (const h of RESPONSE_HEADERS) {
        const v = up.headers[h];
        if (v !== undefined) res.setHeader(h, v);
      }
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(
        res,
        new ApiError(
          'dicomweb_error',
          `The ${what} server did not answer (${err.message === 'timeout' ? 'timeout' : 'connection failed'}).`,
          { upstreamStatus: null },
        ),
      );
    });
    // The browser going away must not leave the upstream request running.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (parsed) upstream.end(parsed);
    else req.pipe(upstream);
  };
}

/**
 * Same-origin proxy /dicom-web/* → DICOMWEB_URL and /wado → WADO_URI_URL (api.md 16), behind the API's
 * token check; only DICOMweb resource paths and methods pass (dicomwebPath.ts, docs/security.md).
 */
export function mountDicomwebProxy(app: express.Express, config: Config, auth: express.RequestHandler): void {
  const timeout = config.limits.dicomwebTimeoutMs;
  // app.use strips the prefix exactly once: /dicom-web/studies → ${DICOMWEB_URL}/studies.
  app.use('/dicom-web', auth, forwardTo(config.dicomwebUrl, timeout, 'DICOMweb', checkDicomwebRequest));
  app.use('/wado', auth, forwardTo(config.wadoUriUrl, timeout, 'WADO-URI', checkWadoUriRequest));
}
