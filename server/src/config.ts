import { z } from 'zod';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

/** Limits of api.md 1.9, by contract name. */
export interface Limits {
  maxBodyBytes: number;
  maxImageDimension: number;
  maxImagePixels: number;
  maxSequenceDepth: number;
  maxTextLength: number;
  maxSessions: number;
  maxAnchorsPerSession: number;
  maxTurnsPerSession: number;
  maxPolygonPoints: number;
  maxConcurrentAnalyses: number;
  analysisTimeoutMs: number;
  dicomwebTimeoutMs: number;
  ttlSeconds: number;
  /** Live sessions one client (token name, or remote address without auth) may hold (issue 11.7). */
  maxSessionsPerClient: number;
  /** A session untouched this long may be evicted to make room for a new one (issue 11.7). */
  sessionIdleSeconds: number;
  /** Upload bytes held in memory by analyses at once (reserved before a body is read; 503 above). */
  maxInflightBodyBytes: number;
  /** Live (unexpired) analyses kept at once (429 above). */
  maxAnalyses: number;
  /** POST /api/v1/analyses per client (token, else address) per minute (429 above). */
  rateLimitAnalysesPerMin: number;
  /** Disk quota of DATA_DIR/cache; least recently used entries are evicted above it. */
  cacheMaxBytes: number;
  /** Longest side of the display frame kept per analysis (larger images are block-averaged). */
  maxDisplaySide: number;
}

/** A bearer token known by name; only its SHA-256 is kept (AUTH_TOKENS_FILE, or AUTH_TOKEN as "default"). */
export interface NamedToken {
  name: string;
  sha256: string;
}

export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';

export interface Config {
  port: number;
  host: string;
  authToken: string | null;
  /** Every accepted token (AUTH_TOKEN as "default" plus AUTH_TOKENS_FILE); empty = auth off. */
  authTokens: NamedToken[];
  /** Host header names (lower case, optional ":port") accepted besides loopback (DNS rebinding, issue 11.2). */
  allowedHosts: string[];
  /** Reverse-proxy hops trusted for X-Forwarded-Proto/-For (0: none; the cookie gets Secure only over TLS then). */
  trustProxy: number;
  corsOrigins: string[];
  dicomwebUrl: string | null;
  wadoUriUrl: string | null;
  executionProvider: ExecutionProvider;
  /** Which onnxruntime runs the models: onnxruntime-node, or onnxruntime-web's WASM backend (issue 18). */
  inferenceRuntime: 'node' | 'wasm';
  modelsDir: string;
  lesionThreshold: number | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  dataDir: string;
  /** Session store: durable SQLite in DATA_DIR (default) or memory (tests, throwaway demos). */
  store: 'sqlite' | 'memory';
  databaseUrl: string | null;
  viewerDir: string;
  pluginsDir: string;
  ontologyDir: string;
  limits: Limits;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 67108864,
  maxImageDimension: 8192,
  maxImagePixels: 50000000,
  maxSequenceDepth: 16,
  maxTextLength: 1000,
  maxSessions: 200,
  maxAnchorsPerSession: 200,
  maxTurnsPerSession: 500,
  maxPolygonPoints: 2000,
  maxConcurrentAnalyses: 2,
  analysisTimeoutMs: 30000,
  dicomwebTimeoutMs: 20000,
  ttlSeconds: 14400,
  maxSessionsPerClient: 50,
  sessionIdleSeconds: 900,
  maxInflightBodyBytes: 268435456,
  maxAnalyses: 1000,
  rateLimitAnalysesPerMin: 60,
  cacheMaxBytes: 2147483648,
  maxDisplaySide: 2048,
};

const ENV_OF_LIMIT: Record<keyof Limits, string> = {
  maxBodyBytes: 'MAX_BODY_BYTES',
  maxImageDimension: 'MAX_IMAGE_DIMENSION',
  maxImagePixels: 'MAX_IMAGE_PIXELS',
  maxSequenceDepth: 'MAX_SEQUENCE_DEPTH',
  maxTextLength: 'MAX_TEXT_LENGTH',
  maxSessions: 'MAX_SESSIONS',
  maxAnchorsPerSession: 'MAX_ANCHORS_PER_SESSION',
  maxTurnsPerSession: 'MAX_TURNS_PER_SESSION',
  maxPolygonPoints: 'MAX_POLYGON_POINTS',
  maxConcurrentAnalyses: 'MAX_CONCURRENT_ANALYSES',
  analysisTimeoutMs: 'ANALYSIS_TIMEOUT_MS',
  dicomwebTimeoutMs: 'DICOMWEB_TIMEOUT_MS',
  ttlSeconds: 'TTL_SECONDS',
  maxSessionsPerClient: 'MAX_SESSIONS_PER_CLIENT',
  sessionIdleSeconds: 'SESSION_IDLE_SECONDS',
  maxInflightBodyBytes: 'MAX_INFLIGHT_BODY_BYTES',
  maxAnalyses: 'MAX_ANALYSES',
  rateLimitAnalysesPerMin: 'RATE_LIMIT_ANALYSES_PER_MIN',
  cacheMaxBytes: 'CACHE_MAX_BYTES',
  maxDisplaySide: 'MAX_DISPLAY_SIDE',
};

const positiveInt = z.coerce.number().int().positive();
const url = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  AUTH_TOKEN: z.string().min(16, 'AUTH_TOKEN must be at least 16 characters').optional(),
  AUTH_TOKENS_FILE: z.string().min(1).optional(),
  ALLOWED_HOSTS: z.string().optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  CORS_ORIGINS: z.string().optional(),
  DICOMWEB_URL: url.optional(),
  WADO_URI_URL: url.optional(),
  EXECUTION_PROVIDER: z.enum(['cpu', 'webgpu', 'cuda']).default('cpu'),
  INFERENCE_RUNTIME: z.enum(['node', 'wasm']).default('node'),
  MODELS_DIR: z.string().default('./models'),
  LESION_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  DATA_DIR: z.string().default('./var'),
  STORE: z.enum(['sqlite', 'memory']).default('sqlite'),
  DATABASE_URL: z.string().optional(),
  VIEWER_DIR: z.string().default('./.viewer/dist'),
  PLUGINS_DIR: z.string().default('./.viewer/plugins'),
  ONTOLOGY_DIR: z.string().default('./ontology'),
});

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export class ConfigError extends Error {}

const TOKEN_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 (hex) of a token, as AUTH_TOKENS_FILE stores it: `printf %s "$TOKEN" | sha256sum`. */
export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * AUTH_TOKENS_FILE: a JSON object `{ "name": "<sha256 hex>" }` or lines `name:<sha256 hex>` (blank
 * lines and `#` comments skipped). Only hashes are stored, so the file does not hold the tokens.
 */
export function parseTokensFile(text: string): NamedToken[] {
  let pairs: [string, unknown][];
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new ConfigError('Invalid configuration: AUTH_TOKENS_FILE is not valid JSON');
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw new ConfigError('Invalid configuration: AUTH_TOKENS_FILE must be a JSON object of name → sha256');
    pairs = Object.entries(obj as Record<string, unknown>);
  } else {
    pairs = trimmed
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const i = l.lastIndexOf(':');
        return i < 0 ? [l, ''] : [l.slice(0, i).trim(), l.slice(i + 1).trim()];
      });
  }
  const out: NamedToken[] = [];
  for (const [name, hash] of pairs) {
    const h = typeof hash === 'string' ? hash.toLowerCase() : '';
    if (!TOKEN_NAME.test(name))
      throw new ConfigError(
        `Invalid configuration: AUTH_TOKENS_FILE: bad token name (letters, digits, . _ @ -; at most 64)`,
      );
    if (!SHA256_HEX.test(h))
      throw new ConfigError(`Invalid configuration: AUTH_TOKENS_FILE: the entry "${name}" needs a 64-hex SHA-256`);
    if (out.some((t) => t.name === name || t.sha256 === h))
      throw new ConfigError(`Invalid configuration: AUTH_TOKENS_FILE: duplicate name or hash ("${name}")`);
    out.push({ name, sha256: h });
  }
  if (out.length === 0) throw new ConfigError('Invalid configuration: AUTH_TOKENS_FILE names no token');
  return out;
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** One ALLOWED_HOSTS entry: a DNS name, IPv4 or [IPv6], optionally with ":port"; lower-cased. */
export function parseAllowedHost(entry: string): string {
  const e = entry.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(e);
  const name = m?.[1] ?? '';
  const port = m?.[2];
  const ok = name.startsWith('[') ? isIP(name.slice(1, -1)) === 6 : isIP(name) === 4 || HOST_NAME.test(name);
  if (!m || !ok || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new ConfigError(
      `Invalid configuration: ALLOWED_HOSTS entry "${entry.trim().slice(0, 80)}" ` +
        'is not a host name, IPv4 or [IPv6] address (optionally :port)',
    );
  }
  return port === undefined ? name : `${name}:${Number(port)}`;
}

/**
 * The limits from their environment variables (unset or empty = default); MAX_SESSIONS_PER_CLIENT is
 * capped at MAX_SESSIONS.
 */
export function parseLimits(env: NodeJS.ProcessEnv): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV_OF_LIMIT) as (keyof Limits)[]) {
    const raw = env[ENV_OF_LIMIT[key]];
    if (raw === undefined || raw === '') continue;
    const v = positiveInt.safeParse(raw);
    if (!v.success) throw new ConfigError(`Invalid configuration: ${ENV_OF_LIMIT[key]} must be a positive integer`);
    limits[key] = v.data;
  }
  if (limits.maxSessionsPerClient > limits.maxSessions) limits.maxSessionsPerClient = limits.maxSessions;
  // the focused re-analysis works on crops up to 512 px and the lesion model on 512² input
  if (limits.maxDisplaySide < 512)
    throw new ConfigError('Invalid configuration: MAX_DISPLAY_SIDE must be at least 512');
  return limits;
}

/** AUTH_TOKEN (named "default") and the entries of AUTH_TOKENS_FILE (resolved against root); no repeats. */
export function loadAuthTokens(token: string | undefined, tokensFile: string | undefined, root: string): NamedToken[] {
  const authTokens: NamedToken[] = token ? [{ name: 'default', sha256: sha256Hex(token) }] : [];
  if (!tokensFile) return authTokens;
  let text: string;
  try {
    text = readFileSync(path.resolve(root, tokensFile), 'utf8');
  } catch {
    throw new ConfigError('Invalid configuration: AUTH_TOKENS_FILE cannot be read');
  }
  for (const t of parseTokensFile(text)) {
    if (authTokens.some((a) => a.name === t.name || a.sha256 === t.sha256))
      throw new ConfigError(`Invalid configuration: AUTH_TOKENS_FILE repeats AUTH_TOKEN ("${t.name}")`);
    authTokens.push(t);
  }
  return authTokens;
}

/** Without a token the server may only bind to loopback. */
export function requireAuthOffLoopback(host: string, authTokens: readonly NamedToken[]): void {
  if (isLoopback(host) || authTokens.length > 0) return;
  throw new ConfigError(
    `Refusing to listen on ${host}: without AUTH_TOKEN (or AUTH_TOKENS_FILE) the server only binds to loopback ` +
      '(127.0.0.1 or ::1). Set AUTH_TOKEN (and CORS_ORIGINS if needed) to serve other hosts.',
  );
}

/** A comma-separated variable as trimmed, non-empty entries (unset = none). */
export const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Reads and validates the configuration once; throws ConfigError with a readable reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${why}`);
  }
  const e = parsed.data;
  const limits = parseLimits(env);
  const authTokens = loadAuthTokens(e.AUTH_TOKEN, e.AUTH_TOKENS_FILE, root);
  requireAuthOffLoopback(e.HOST, authTokens);
  const dicomwebUrl = e.DICOMWEB_URL ?? null;
  const wadoUriUrl = e.WADO_URI_URL ?? (dicomwebUrl ? `${new URL(dicomwebUrl).origin}/wado` : null);
  const abs = (p: string) => path.resolve(root, p);
  return {
    port: e.PORT,
    host: e.HOST,
    authToken: e.AUTH_TOKEN ?? null,
    authTokens,
    allowedHosts: commaList(e.ALLOWED_HOSTS).map(parseAllowedHost),
    trustProxy: e.TRUST_PROXY,
    corsOrigins: commaList(e.CORS_ORIGINS),
    dicomwebUrl,
    wadoUriUrl,
    executionProvider: e.EXECUTION_PROVIDER,
    inferenceRuntime: e.INFERENCE_RUNTIME,
    modelsDir: abs(e.MODELS_DIR),
    lesionThreshold: e.LESION_THRESHOLD ?? null,
    logLevel: e.LOG_LEVEL,
    dataDir: abs(e.DATA_DIR),
    store: e.STORE,
    databaseUrl: e.DATABASE_URL ?? null,
    viewerDir: abs(e.VIEWER_DIR),
    pluginsDir: abs(e.PLUGINS_DIR),
    ontologyDir: abs(e.ONTOLOGY_DIR),
    limits,
  };
}
