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
      const template = req.route?.path ? `${req.baseUrl}${req.route.path}` : routeFamily(req.path);
      logger.info('request', {
        requestId: id, method: req.method, route: template, status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10, bytesIn: Number(req.headers['content-length'] ?? 0),
        ...(res.locals.logIds ?? {}),
      });
    });
    next();
  };
}

/** A coarse path family for requests that matched no route (static files, proxy). */
function routeFamily(p: string): string {
  if (p.startsWith('/dicom-web')) return '/dicom-web/*';
  if (p.startsWith('/wado')) return '/wado';
  if (p.startsWith('/api/')) return '/api/*';
  if (p.startsWith('/ohif-plugins/')) return '/ohif-plugins/*';
  return '/*';
}
