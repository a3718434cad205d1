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

/** Bearer-token check when AUTH_TOKEN is set; GET /api/v1/status stays open. */
export function bearerAuth(config: Config): express.RequestHandler {
  const token = config.authToken ? Buffer.from(config.authToken) : null;
  return (req, res, next) => {
    if (!token) return next();
    if (req.method === 'GET' && req.path === '/api/v1/status') return next();
    const h = req.headers.authorization ?? '';
    const given = Buffer.from(h.startsWith('Bearer ') ? h.slice(7) : '');
    if (given.length === token.length && timingSafeEqual(given, token)) return next();
    sendError(res, new ApiError('unauthorized', 'A valid bearer token is required.'));
  };
}
