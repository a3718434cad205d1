import type express from 'express';
import { ApiError } from '../errors';
import type { Logger } from '../logger';

/** Sends a contract error envelope (api.md 1.8). */
export function sendError(res: express.Response, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.details) body.details = err.details;
  const retry = err.details?.retryAfterS;
  if (typeof retry === 'number' && Number.isFinite(retry) && retry > 0)
    res.set('Retry-After', String(Math.ceil(retry)));
  res.status(err.status).set('Cache-Control', 'no-store').json({ error: body });
}

/** Maps body-parser and other framework errors to contract codes; never leaks internals. */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; limit?: number; length?: number };
  if (e?.type === 'entity.too.large') {
    return new ApiError('payload_too_large', 'The request body is larger than the configured limit.', {
      limit: e.limit,
      actual: e.length,
    });
  }
  if (e?.type === 'entity.parse.failed') {
    return new ApiError('invalid_request', 'The request body is not valid JSON.', { reason: 'malformed_json' });
  }
  if (e?.type === 'request.aborted')
    return new ApiError('invalid_request', 'The request was aborted.', { reason: 'aborted' });
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ApiError('unsupported_media_type', 'The request encoding is not supported.');
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ApiError('invalid_request', 'The request could not be read.');
  }
  return null;
}

/** Final error middleware: contract errors as they are, anything else as 500 internal_error. */
export function errorHandler(logger: Logger): express.ErrorRequestHandler {
  return (err, req, res, _next) => {
    const api = toApiError(err);
    if (api) {
      sendError(res, api);
      return;
    }
    logger.error('internal error', {
      requestId: res.getHeader('X-Request-Id'),
      route: req.route?.path ?? null,
      error: err instanceof Error ? err.name + ': ' + err.message.slice(0, 200) : 'unknown',
    });
    sendError(res, new ApiError('internal_error', 'An internal error occurred.'));
  };
}

/** Wraps an async route handler so rejections reach the error middleware. */
export const route =
  (fn: (req: express.Request, res: express.Response) => Promise<void> | void): express.RequestHandler =>
  (req, res, next) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .catch(next);
  };
