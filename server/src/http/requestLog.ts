import type express from 'express';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';

/**
 * Sets X-Request-Id and logs one line per request with the route template only:
 * never the URL (it can hold UIDs) and never bodies (api.md 1.7).
 */
export function requestLog(logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    const id = 'rq_' + randomBytes(8).toString('hex');
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const template = routeTemplate(req);
      logger.info('request', {
        requestId: id,
        method: req.method,
        route: template,
        status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10,
        bytesIn: Number(req.headers['content-length'] ?? 0),
        ...(res.locals.logIds ?? {}),
      });
    });
    next();
  };
}

/** The route template of a request (never its URL, which can hold UIDs); a coarse family when no route matched. */
export function routeTemplate(req: express.Request): string {
  return req.route?.path ? `${req.baseUrl}${req.route.path}`.replace(/(.)\/$/, '$1') : routeFamily(req.path);
}

/** A coarse path family for requests that matched no route (static files, proxy). */
function routeFamily(p: string): string {
  if (p.startsWith('/dicom-web')) return '/dicom-web/*';
  if (p.startsWith('/wado')) return '/wado';
  if (p.startsWith('/api/')) return '/api/*';
  if (p.startsWith('/ohif-plugins/')) return '/ohif-plugins/*';
  return '/*';
}
