import type express from 'express';
import helmet from 'helmet';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isLoopback, type Config, type NamedToken } from '../config';
import { ApiError } from '../errors';
import { tokenIdOf } from './audit';
import { sendError } from './envelope';

/** The authenticated caller, set on `res.locals.auth` by `requireToken`/`identifyToken` (audit, quotas). */
export interface AuthInfo {
  name: string;
  tokenId: string;
}

/**
 * The client a quota counts against: the token's name when authentication is on (so a named token is
 * one client wherever it connects from), else the remote address (req.ip: behind TRUST_PROXY hops,
 * the forwarded address).
 */
export function clientKey(req: express.Request, res: express.Response): string {
  const auth = res.locals.auth as AuthInfo | undefined;
  return auth ? `token:${auth.name}` : `addr:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/** Splits a Host header into a lower-case name (IPv6 without brackets) and port; null if malformed. */
export function parseHostHeader(
  host: string | undefined,
): { name: string; bracketed: boolean; port: string | null } | null {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host ?? '');
  if (!m) return null;
  const bracketed = m[1]!.startsWith('[');
  const name = (bracketed ? m[1]!.slice(1, -1) : m[1]!).toLowerCase().replace(/\.$/, '');
  return { name, bracketed, port: m[2] ?? null };
}

/**
 * DNS rebinding defence (issue 11.2): a page on attacker.example whose name is rebound to 127.0.0.1
 * still sends `Host: attacker.example`. Accepted: loopback names and addresses (any port), the
 * configured listen address when it is a specific one, and ALLOWED_HOSTS (name, or name:port).
 */
export function hostAllowed(host: string | undefined, config: Pick<Config, 'host' | 'allowedHosts'>): boolean {
  const h = parseHostHeader(host);
  if (!h || !h.name) return false;
  if (isLoopback(h.name)) return true;
  const shown = h.bracketed ? `[${h.name}]` : h.name;
  const bind = config.host.toLowerCase();
  if (bind !== '0.0.0.0' && bind !== '::' && (h.name === bind || shown === bind)) return true;
  return (
    config.allowedHosts.includes(shown) ||
    (h.port !== null && config.allowedHosts.includes(`${shown}:${Number(h.port)}`))
  );
}

/** 421 for any Host not on the allowlist, before any route (and before the token check) runs. */
export function hostAllowlist(config: Config): express.RequestHandler {
  return (req, res, next) => {
    if (hostAllowed(req.headers.host, config)) return next();
    req.resume();
    sendError(
      res,
      new ApiError('misdirected_request', 'This server does not answer for that host name.', {
        reason: 'host_not_allowed',
      }),
    );
  };
}

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
    // Origin == Host means same origin only for a Host we answer for (a rebound name is not ours).
    try {
      sameOrigin = new URL(origin).host === host && hostAllowed(host, config);
    } catch {
      sameOrigin = false;
    }
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
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

const COOKIE = 'cxr_token';
/** The sign-in cookie lives one working day; the browser then signs in again. */
export const COOKIE_MAX_AGE_MS = 12 * 3600 * 1000;

/** The presented token: the Bearer header, else the sign-in cookie; '' when none or undecodable (`cxr_token=%`). */
function tokenFrom(req: express.Request): string {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Bearer ')) return h.slice(7);
  const m = /(?:^|;\s*)cxr_token=([^;]+)/.exec(req.headers.cookie ?? '');
  if (!m) return '';
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return '';
  }
}

/** The named token a presented token is (constant time over every configured hash), or null. */
export function matchToken(presented: string, tokens: NamedToken[]): NamedToken | null {
  if (!presented) return null;
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found: NamedToken | null = null;
  for (const t of tokens) if (timingSafeEqual(digest, Buffer.from(t.sha256, 'hex')) && !found) found = t;
  return found;
}

/** Middleware that only identifies (never refuses): for routes open to all that still audit who called. */
export function identifyToken(tokens: NamedToken[]): express.RequestHandler {
  return (req, res, next) => {
    identify(req, res, tokens);
    next();
  };
}

/** Identifies the caller from its token, if any, into `res.locals.auth`; returns whether one matched. */
function identify(req: express.Request, res: express.Response, tokens: NamedToken[]): boolean {
  const presented = tokenFrom(req);
  const t = matchToken(presented, tokens);
  if (!t) return false;
  res.locals.auth = { name: t.name, tokenId: tokenIdOf(presented) } satisfies AuthInfo;
  return true;
}

/**
 * Token check when AUTH_TOKEN is set (api.md 1.10): a Bearer header, or the HttpOnly cookie a
 * browser got from `?access_token=` (OHIF's own DICOMweb requests cannot add a header).
 * GET /api/v1/status stays open.
 */
export function requireToken(config: Config): express.RequestHandler {
  const tokens = config.authTokens;
  return (req, res, next) => {
    if (tokens.length === 0) return next();
    if (identify(req, res, tokens)) return next();
    if (req.method === 'GET' && req.originalUrl.split('?')[0] === '/api/v1/status') return next();
    sendError(res, new ApiError('unauthorized', 'A valid bearer token is required.'));
  };
}

/**
 * The path (and query) to send a browser back to after sign-in: always on our origin. Leading
 * slashes and backslashes collapse to one slash, so `/.//evil.example/` cannot become the
 * protocol-relative `//evil.example/` (issue 11.11).
 */
export function sameOriginPath(originalUrl: string, dropParam: string): string {
  const q = originalUrl.indexOf('?');
  const rawPath = q < 0 ? originalUrl : originalUrl.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : originalUrl.slice(q + 1));
  params.delete(dropParam);
  // Resolve dot segments the way the browser will, then make sure the result is a plain path.
  let pathname = new URL(rawPath.replace(/\\/g, '/').replace(/^\/+/, '/'), 'http://x').pathname;
  pathname = '/' + pathname.replace(/^[/\\]+/, '');
  const search = params.toString();
  return search ? `${pathname}?${search}` : pathname;
}

/** The request came over TLS: the socket itself, or X-Forwarded-Proto from a trusted proxy (TRUST_PROXY). */
const overTls = (req: express.Request, config: Config): boolean =>
  Boolean((req.socket as { encrypted?: boolean }).encrypted) || (config.trustProxy > 0 && req.secure);

/**
 * Browser sign-in: a page opened with `?access_token=<token>` gets the token as an HttpOnly,
 * SameSite=Strict cookie (Secure over TLS, Max-Age one working day) and is redirected to the same
 * path on our origin without it, so it never stays in the address bar. A wrong token changes nothing.
 */
export function tokenLogin(config: Config): express.RequestHandler {
  return (req, res, next) => {
    const given = req.method === 'GET' ? req.query.access_token : undefined;
    if (config.authTokens.length === 0 || typeof given !== 'string') return next();
    const t = matchToken(given, config.authTokens);
    if (!t) return next();
    res.locals.auth = { name: t.name, tokenId: tokenIdOf(given) } satisfies AuthInfo;
    res.cookie(COOKIE, given, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: overTls(req, config),
      maxAge: COOKIE_MAX_AGE_MS,
    });
    res.redirect(303, sameOriginPath(req.originalUrl, 'access_token'));
  };
}
