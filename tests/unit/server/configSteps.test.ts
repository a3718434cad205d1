/** Table-driven tests of loadConfig's named steps: each environment variable → value or refusal. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  DEFAULT_LIMITS,
  commaList,
  loadAuthTokens,
  loadConfig,
  parseLimits,
  requireAuthOffLoopback,
  sha256Hex,
} from '../../../server/src/config';

const TOKEN = 'a-token-of-sixteen-chars';

describe('parseLimits: each limit variable → value, or refusal', () => {
  const cases: [string, string, keyof typeof DEFAULT_LIMITS, number][] = [
    ['MAX_BODY_BYTES', '1000', 'maxBodyBytes', 1000],
    ['MAX_IMAGE_DIMENSION', '4096', 'maxImageDimension', 4096],
    ['MAX_SESSIONS', '7', 'maxSessions', 7],
    ['ANALYSIS_TIMEOUT_MS', '1500', 'analysisTimeoutMs', 1500],
    ['RATE_LIMIT_ANALYSES_PER_MIN', '3', 'rateLimitAnalysesPerMin', 3],
    ['MAX_DISPLAY_SIDE', '512', 'maxDisplaySide', 512],
    ['MAX_SESSIONS', '', 'maxSessions', DEFAULT_LIMITS.maxSessions],
  ];
  test.each(cases)('%s=%p → %s = %p', (name, raw, key, want) => {
    expect(parseLimits({ [name]: raw })[key]).toBe(want);
  });

  test('no variables: the defaults, as a copy', () => {
    const limits = parseLimits({});
    expect(limits).toEqual(DEFAULT_LIMITS);
    expect(limits).not.toBe(DEFAULT_LIMITS);
  });

  test.each([
    ['MAX_SESSIONS', '0'],
    ['MAX_SESSIONS', '-3'],
    ['MAX_BODY_BYTES', '1.5'],
    ['TTL_SECONDS', 'ten'],
  ])('%s=%p is refused, naming the variable', (name, raw) => {
    assert.throws(
      () => parseLimits({ [name]: raw }),
      (e: unknown) => e instanceof ConfigError && e.message.includes(`${name} must be a positive integer`),
    );
  });

  test('MAX_DISPLAY_SIDE below 512 is refused', () => {
    assert.throws(() => parseLimits({ MAX_DISPLAY_SIDE: '511' }), /MAX_DISPLAY_SIDE must be at least 512/);
  });

  test('the per-client session quota is capped at MAX_SESSIONS', () => {
    expect(parseLimits({ MAX_SESSIONS: '10' }).maxSessionsPerClient).toBe(10);
    expect(parseLimits({ MAX_SESSIONS: '10', MAX_SESSIONS_PER_CLIENT: '4' }).maxSessionsPerClient).toBe(4);
  });
});

describe('loadAuthTokens', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('none without AUTH_TOKEN and AUTH_TOKENS_FILE', () => {
    expect(loadAuthTokens(undefined, undefined, dir)).toEqual([]);
  });

  test('AUTH_TOKEN becomes the "default" token, stored as its SHA-256', () => {
    expect(loadAuthTokens(TOKEN, undefined, dir)).toEqual([{ name: 'default', sha256: sha256Hex(TOKEN) }]);
  });

  test('the file is read relative to root and appended after AUTH_TOKEN', () => {
    const other = sha256Hex('another-token-of-16+');
    writeFileSync(path.join(dir, 'tokens'), `# comment\nalice:${other}\n`);
    expect(loadAuthTokens(TOKEN, 'tokens', dir).map((t) => t.name)).toEqual(['default', 'alice']);
  });

  test('a file entry repeating AUTH_TOKEN is refused', () => {
    writeFileSync(path.join(dir, 'dup'), `bob:${sha256Hex(TOKEN)}\n`);
    assert.throws(() => loadAuthTokens(TOKEN, 'dup', dir), /repeats AUTH_TOKEN \("bob"\)/);
  });

  test('an unreadable file is refused', () => {
    assert.throws(() => loadAuthTokens(undefined, 'missing', dir), /AUTH_TOKENS_FILE cannot be read/);
  });
});

describe('requireAuthOffLoopback', () => {
  const token = [{ name: 'default', sha256: sha256Hex(TOKEN) }];
  test.each([
    ['127.0.0.1', false, true],
    ['::1', false, true],
    ['localhost', false, true],
    ['0.0.0.0', false, false],
    ['0.0.0.0', true, true],
    ['10.1.2.3', true, true],
  ])('host %s, token %p → allowed %p', (host, withToken, allowed) => {
    const run = () => requireAuthOffLoopback(host, withToken ? token : []);
    if (allowed) expect(run).not.toThrow();
    else assert.throws(run, (e: unknown) => e instanceof ConfigError && e.message.includes(`listen on ${host}`));
  });
});

describe('commaList', () => {
  test.each([
    [undefined, []],
    ['', []],
    ['a', ['a']],
    [' a , b ,, c ', ['a', 'b', 'c']],
  ])('%p → %p', (raw, want) => {
    expect(commaList(raw)).toEqual(want);
  });
});

describe('loadConfig: each variable → value or error', () => {
  const cases: [Record<string, string>, (c: ReturnType<typeof loadConfig>) => unknown, unknown][] = [
    [{ PORT: '8080' }, (c) => c.port, 8080],
    [{ HOST: '::1' }, (c) => c.host, '::1'],
    [{ TRUST_PROXY: '2' }, (c) => c.trustProxy, 2],
    [{ CORS_ORIGINS: 'http://a, http://b' }, (c) => c.corsOrigins, ['http://a', 'http://b']],
    [{ ALLOWED_HOSTS: 'Example.org:443, 10.0.0.1' }, (c) => c.allowedHosts, ['example.org:443', '10.0.0.1']],
    [{ DICOMWEB_URL: 'http://pacs:8042/dicom-web/' }, (c) => c.wadoUriUrl, 'http://pacs:8042/wado'],
    [{ EXECUTION_PROVIDER: 'cuda' }, (c) => c.executionProvider, 'cuda'],
    [{ LESION_THRESHOLD: '0.4' }, (c) => c.lesionThreshold, 0.4],
    [{ LOG_LEVEL: 'warn' }, (c) => c.logLevel, 'warn'],
    [{ STORE: 'memory' }, (c) => c.store, 'memory'],
    [{ MODELS_DIR: 'm' }, (c) => c.modelsDir, path.resolve('/srv', 'm')],
    [{ AUTH_TOKEN: TOKEN }, (c) => c.authToken, TOKEN],
    [{ MAX_TEXT_LENGTH: '20' }, (c) => c.limits.maxTextLength, 20],
  ];
  test.each(cases)('%p', (env, pick, want) => {
    expect(pick(loadConfig(env, '/srv'))).toEqual(want);
  });

  test.each([
    [{ PORT: '70000' }, /PORT/],
    [{ AUTH_TOKEN: 'short' }, /AUTH_TOKEN must be at least 16 characters/],
    [{ EXECUTION_PROVIDER: 'tpu' }, /EXECUTION_PROVIDER/],
    [{ LESION_THRESHOLD: '2' }, /LESION_THRESHOLD/],
    [{ ALLOWED_HOSTS: 'bad host' }, /ALLOWED_HOSTS entry "bad host"/],
    [{ HOST: '0.0.0.0' }, /Refusing to listen on 0\.0\.0\.0/],
    [{ MAX_ANALYSES: 'x' }, /MAX_ANALYSES must be a positive integer/],
  ])('%p is refused', (env, why) => {
    assert.throws(
      () => loadConfig(env, '/srv'),
      (e: unknown) => e instanceof ConfigError && why.test(e.message),
    );
  });
});
