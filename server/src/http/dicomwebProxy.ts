import type express from 'express';
import http from 'node:http';
import https from 'node:https';
import type { Config } from '../config';
import { ApiError } from '../errors';
import { sendError } from './envelope';

/** Request headers passed upstream. Host is the browser's: Orthanc builds BulkDataURI/RetrieveURL from it. */
const REQUEST_HEADERS = ['accept', 'accept-encoding', 'content-type', 'content-length', 'host', 'if-none-match', 'if-modified-since', 'range'];
/** Response headers passed back; hop-by-hop headers and cookies stay behind. */
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'cache-control', 'etag', 'last-modified', 'location', 'content-location', 'accept-ranges', 'content-range'];

type Handler = (req: express.Request, res: express.Response) => void;

/** Streams one request to `${base}${rest}`; `req.url` is already relative to the mount point. */
function forwardTo(base: string | null, timeoutMs: number, what: string): Handler {
  return (req, res) => {
    if (!base) {
      sendError(res, new ApiError('dicomweb_unavailable', `${what} is not configured on this server (set DICOMWEB_URL).`));
      return;
    }
    // "/?a=1" under the mount means the mount point itself: no trailing slash upstream.
    const rest = req.url === '/' || req.url.startsWith('/?') ? req.url.slice(1) : req.url;
    const target = new URL(base + rest);
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
      if (res.headersSent) { res.destroy(); return; }
      sendError(res, new ApiError('dicomweb_error', `The ${what} server did not answer (${err.message === 'timeout' ? 'timeout' : 'connection failed'}).`,
        { upstreamStatus: null }));
    });
    // The browser going away must not leave the upstream request running.
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    if (parsed) upstream.end(parsed);
    else req.pipe(upstream);
  };
}

/** Same-origin proxy /dicom-web/* → DICOMWEB_URL and /wado → WADO_URI_URL (api.md 16), behind the API's token check. */
export function mountDicomwebProxy(app: express.Express, config: Config, auth: express.RequestHandler): void {
  const timeout = config.limits.dicomwebTimeoutMs;
  // app.use strips the prefix exactly once: /dicom-web/studies → ${DICOMWEB_URL}/studies.
  app.use('/dicom-web', auth, forwardTo(config.dicomwebUrl, timeout, 'DICOMweb'));
  app.use('/wado', auth, forwardTo(config.wadoUriUrl, timeout, 'WADO-URI'));
}
