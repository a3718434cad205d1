import type express from 'express';
import helmet from 'helmet';
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { ApiError } from '../errors';
import { sendError } from './envelope';

/**
 * Helmet headers. The OHIF build needs inline scripts, wasm and blob: workers
 * (ohif-integration.md §8), so the CSP is widened for exactly those.
 */
export function securityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'", "'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", 'blob:'],
        'worker-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'blob:', 'data:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'font-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
  });
}

/** CORS with an allowlist: same-origin always, other origins only from CORS_ORIGINS (api.md 1.10). */
export function corsAllowlist(config: Config): express.RequestHandler {
  const allowed = new Set(config.corsOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin) return next();
    const host = req.headers.host;
    let sameOrigin = false;
    try { sameOrigin = new URL(origin).host === host; } catch { sameOrigin = false; }
    if (sameOrigin) return next();
    if (!allowed.has(origin)) {
      sendError(res, new ApiError('origin_not_allowed', 'This origin is not allowed.', { reason: 'cors' }));
      return;
    }
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Vary', 'Origin');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
    res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    res.set('Access-Control-Expose-Headers', 'X-Request-Id, Location, Retry-After');
    if (req.method === 'OPTIONS') { res.status(204).end(); return; }
    next();
  };
}

const COOKIE = 'cxr_token';

function tokenFrom(req: express.Request): string {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Bearer ')) return h.slice(7);
  const m = /(?:^|;\s*)cxr_token=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]) : '';
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * Token check when AUTH_TOKEN is set (api.md 1.10): a Bearer header, or the HttpOnly cookie a
 * browser got from `?access_token=` (OHIF's own DICOMweb requests cannot add a header).
 * GET /api/v1/status stays open.
 */
export function requireToken(config: Config): express.RequestHandler {
  const token = config.authToken ? Buffer.from(config.authToken) : null;
  return (req, res, next) => {
    if (!token) return next();
    if (req.method === 'GET' && req.originalUrl.split('?')[0] === '/api/v1/status') return next();
    if (same(Buffer.from(tokenFrom(req)), token)) return next();
    sendError(res, new ApiError('unauthorized', 'A valid bearer token is required.'));
  };
}

/**
 * Browser sign-in: a page opened with `?access_token=<AUTH_TOKEN>` gets the token as an HttpOnly,
 * SameSite=Strict cookie and is redirected to the same URL without it, so it never stays in the
 * address bar. A wrong token changes nothing.
 */
export function tokenLogin(config: Config): express.RequestHandler {
  const token = config.authToken ? Buffer.from(config.authToken) : null;
  return (req, res, next) => {
    const given = req.method === 'GET' ? req.query.access_token : undefined;
    if (!token || typeof given !== 'string') return next();
    if (!same(Buffer.from(given), token)) return next();
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.delete('access_token');
    res.cookie(COOKIE, config.authToken!, { httpOnly: true, sameSite: 'strict', path: '/' });
    res.redirect(303, url.pathname + url.search);
  };
}
