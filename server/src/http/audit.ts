import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import type express from 'express';
import { routeTemplate } from './requestLog';

/**
 * The audit trail (api.md 1.7, issue 8): one JSON line per request in
 * `DATA_DIR/audit/audit-YYYY-MM-DD.jsonl` (UTC date of the request's end: daily rotation).
 *
 * A line holds: time, method, route template (never the URL: it can hold UIDs), status,
 * durationMs, the server ids the route put in `res.locals.logIds` (analysisId, sessionId, turnId,
 * anchorId, intent, pixelDataSha256) — each checked against its id format, anything else dropped —,
 * the model versions, and — when authentication is on and the token (Bearer header or sign-in
 * cookie) was right — `tokenName` (its name in AUTH_TOKENS_FILE, "default" for AUTH_TOKEN) and
 * `tokenId` (first 12 hex of a salted SHA-256 of the token), as `requireToken` put them in
 * `res.locals.auth`. Never the token itself, never a body, a header value, a query string, a
 * patient attribute or a Study/Series/SOP UID.
 *
 * Lines are buffered and appended asynchronously every `flushMs` (default 200 ms) or at 64 KiB; on
 * process exit the buffer is written synchronously. A kill -9 loses at most the last `flushMs`.
 */

export interface AuditOptions {
  /** Model versions to record, e.g. ["cxr-anatomy@1"]; read per request (models can load late). */
  modelVersions?: () => string[];
  flushMs?: number;
  now?: () => Date;
}

export interface AuditRecord {
  time: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  analysisId: string | null;
  sessionId: string | null;
  turnId: string | null;
  anchorId: string | null;
  intent: string | null;
  pixelDataSha256: string | null;
  models: string[];
  tokenId: string | null;
  tokenName: string | null;
}

export type AuditMiddleware = express.RequestHandler & {
  /** Writes buffered lines now. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
  readonly dir: string;
};

const FORMATS: Record<string, RegExp> = {
  analysisId: /^an_[0-9a-z]{10,32}$/,
  sessionId: /^ss_[0-9a-z]{10,32}$/,
  turnId: /^T\d{1,6}$/,
  anchorId: /^A\d{1,6}$/,
  intent: /^[a-z_]{1,40}$/,
  pixelDataSha256: /^[0-9a-f]{64}$/,
};
const MODEL = /^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9._-]{1,32}$/;

export const tokenIdOf = (token: string): string =>
  createHash('sha256').update(`cxr-audit:${token}`).digest('hex').slice(0, 12);

function clean(key: string, v: unknown): string | null {
  return typeof v === 'string' && FORMATS[key]!.test(v) ? v : null;
}

export function auditLog(dataDir: string, options: AuditOptions = {}): AuditMiddleware {
  const dir = path.join(dataDir, 'audit');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? (() => new Date());
  const sink = auditSink(dir, options.flushMs ?? 200);
  const mw = ((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      sink.write(auditRecord(req, res, now(), durationMs, options.modelVersions));
    });
    next();
  }) as AuditMiddleware;
  mw.flush = sink.flush;
  mw.close = sink.close;
  Object.defineProperty(mw, 'dir', { value: dir });
  return mw;
}

/**
 * The audit line of a finished request: route template, status, the route's ids (format-checked;
 * analysis/session ids from the path when the route set none), model versions and token identity.
 */
export function auditRecord(
  req: express.Request,
  res: Pick<express.Response, 'statusCode' | 'locals'>,
  time: Date,
  durationMs: number,
  modelVersions?: () => string[],
): AuditRecord {
  const ids = (res.locals.logIds ?? {}) as Record<string, unknown>;
  const pick = (k: string) => clean(k, ids[k]);
  // Ids in the path (GET/DELETE of an analysis or a session) when the route set none.
  const m = /^\/api\/v1\/(?:analyses\/(an_[0-9a-z]{10,32})|sessions\/(ss_[0-9a-z]{10,32}))(?:\/|$)/.exec(
    req.originalUrl.split('?')[0] ?? '',
  );
  const fromIds = Array.isArray(ids.models) ? ids.models : null;
  const models = (fromIds ?? modelVersions?.() ?? []).filter(
    (x): x is string => typeof x === 'string' && MODEL.test(x),
  );
  return {
    time: time.toISOString(),
    method: req.method,
    route: routeTemplate(req),
    status: res.statusCode,
    durationMs,
    analysisId: pick('analysisId') ?? m?.[1] ?? null,
    sessionId: pick('sessionId') ?? m?.[2] ?? null,
    turnId: pick('turnId'),
    anchorId: pick('anchorId'),
    intent: pick('intent'),
    pixelDataSha256: pick('pixelDataSha256'),
    models,
    ...tokenIdentity(res.locals.auth),
  };
}

/** The token's id (12 hex) and name as requireToken recorded them; both null when unauthenticated. */
export function tokenIdentity(auth: unknown): { tokenId: string | null; tokenName: string | null } {
  const a = auth as { name?: unknown; tokenId?: unknown } | undefined;
  const tokenId = typeof a?.tokenId === 'string' && /^[0-9a-f]{12}$/.test(a.tokenId) ? a.tokenId : null;
  return { tokenId, tokenName: tokenId && typeof a?.name === 'string' ? a.name : null };
}

interface AuditSink {
  write(rec: AuditRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Buffered daily files in `dir`: appended asynchronously every `flushMs` or at 64 KiB, synchronously
 * on process exit. A failed write is dropped: an audit write failure must not break requests.
 */
function auditSink(dir: string, flushMs: number): AuditSink {
  const buffers = new Map<string, string[]>();
  let bytes = 0;
  let writing: Promise<void> = Promise.resolve();

  const take = (): [string, string][] => {
    const out: [string, string][] = [...buffers].map(([f, lines]) => [f, lines.join('')]);
    buffers.clear();
    bytes = 0;
    return out;
  };
  const flush = (): Promise<void> => {
    const batch = take();
    if (batch.length === 0) return writing;
    writing = writing.then(async () => {
      for (const [file, text] of batch) await appendFile(file, text, { mode: 0o600 }).catch(() => undefined);
    });
    return writing;
  };
  const timer = setInterval(() => {
    void flush();
  }, flushMs);
  timer.unref();
  const onExit = () => {
    for (const [file, text] of take()) {
      try {
        appendFileSync(file, text, { mode: 0o600 });
      } catch {
        /* exiting */
      }
    }
  };
  process.on('exit', onExit);

  const write = (rec: AuditRecord) => {
    const file = path.join(dir, `audit-${rec.time.slice(0, 10)}.jsonl`);
    const line = JSON.stringify(rec) + '\n';
    const b = buffers.get(file) ?? [];
    if (!buffers.has(file)) buffers.set(file, b);
    b.push(line);
    bytes += line.length;
    if (bytes > 65536) void flush();
  };
  const close = async () => {
    clearInterval(timer);
    process.off('exit', onExit);
    await flush();
  };
  return { write, flush, close };
}
