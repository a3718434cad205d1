import { z } from 'zod';
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
}

export type ExecutionProvider = 'cpu' | 'webgpu' | 'cuda';

export interface Config {
  port: number;
  host: string;
  authToken: string | null;
  corsOrigins: string[];
  dicomwebUrl: string | null;
  wadoUriUrl: string | null;
  executionProvider: ExecutionProvider;
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
};

const ENV_OF_LIMIT: Record<keyof Limits, string> = {
  maxBodyBytes: 'MAX_BODY_BYTES', maxImageDimension: 'MAX_IMAGE_DIMENSION',
  maxImagePixels: 'MAX_IMAGE_PIXELS', maxSequenceDepth: 'MAX_SEQUENCE_DEPTH',
  maxTextLength: 'MAX_TEXT_LENGTH', maxSessions: 'MAX_SESSIONS',
  maxAnchorsPerSession: 'MAX_ANCHORS_PER_SESSION', maxTurnsPerSession: 'MAX_TURNS_PER_SESSION',
  maxPolygonPoints: 'MAX_POLYGON_POINTS', maxConcurrentAnalyses: 'MAX_CONCURRENT_ANALYSES',
  analysisTimeoutMs: 'ANALYSIS_TIMEOUT_MS', dicomwebTimeoutMs: 'DICOMWEB_TIMEOUT_MS',
  ttlSeconds: 'TTL_SECONDS',
};

const positiveInt = z.coerce.number().int().positive();
const url = z.string().url().transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  AUTH_TOKEN: z.string().min(16, 'AUTH_TOKEN must be at least 16 characters').optional(),
  CORS_ORIGINS: z.string().optional(),
  DICOMWEB_URL: url.optional(),
  WADO_URI_URL: url.optional(),
  EXECUTION_PROVIDER: z.enum(['cpu', 'webgpu', 'cuda']).default('cpu'),
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

/** Reads and validates the configuration once; throws ConfigError with a readable reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${why}`);
  }
  const e = parsed.data;
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(ENV_OF_LIMIT) as (keyof Limits)[]) {
    const raw = env[ENV_OF_LIMIT[key]];
    if (raw === undefined || raw === '') continue;
    const v = positiveInt.safeParse(raw);
    if (!v.success) throw new ConfigError(`Invalid configuration: ${ENV_OF_LIMIT[key]} must be a positive integer`);
    limits[key] = v.data;
  }
  if (!isLoopback(e.HOST) && !e.AUTH_TOKEN) {
    throw new ConfigError(
      `Refusing to listen on ${e.HOST}: without AUTH_TOKEN the server only binds to loopback ` +
        '(127.0.0.1 or ::1). Set AUTH_TOKEN (and CORS_ORIGINS if needed) to serve other hosts.',
    );
  }
  const dicomwebUrl = e.DICOMWEB_URL ?? null;
  const wadoUriUrl = e.WADO_URI_URL ?? (dicomwebUrl ? `${new URL(dicomwebUrl).origin}/wado` : null);
  const abs = (p: string) => path.resolve(root, p);
  return {
    port: e.PORT,
    host: e.HOST,
    authToken: e.AUTH_TOKEN ?? null,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    dicomwebUrl,
    wadoUriUrl,
    executionProvider: e.EXECUTION_PROVIDER,
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
