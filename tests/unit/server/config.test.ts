import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_LIMITS, isLoopback, loadConfig } from '../../../server/src/config';

test('defaults: loopback 127.0.0.1:3000, the contract limits, cpu', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 3000);
  assert.deepEqual(c.limits, DEFAULT_LIMITS);
  assert.equal(c.executionProvider, 'cpu');
  assert.equal(c.dicomwebUrl, null);
});

test('a non-loopback address without AUTH_TOKEN is refused, with the reason', () => {
  assert.throws(
    () => loadConfig({ HOST: '0.0.0.0' }),
    (e: unknown) => e instanceof ConfigError && /AUTH_TOKEN/.test(e.message),
  );
  assert.equal(loadConfig({ HOST: '0.0.0.0', AUTH_TOKEN: 'a-long-enough-token' }).host, '0.0.0.0');
});

test('loopback detection', () => {
  for (const [h, want] of [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['::', false],
  ] as const) {
    assert.equal(isLoopback(h), want, h);
  }
});

test('limits from the environment, bad values refused', () => {
  assert.equal(loadConfig({ MAX_BODY_BYTES: '1024' }).limits.maxBodyBytes, 1024);
  assert.throws(() => loadConfig({ MAX_BODY_BYTES: '-5' }), ConfigError);
  assert.throws(() => loadConfig({ EXECUTION_PROVIDER: 'tpu' }), ConfigError);
  assert.throws(() => loadConfig({ DICOMWEB_URL: 'not a url' }), ConfigError);
});

test('WADO-URI defaults to the DICOMweb origin + /wado; trailing slashes dropped', () => {
  const c = loadConfig({ DICOMWEB_URL: 'http://127.0.0.1:8042/dicom-web/' });
  assert.equal(c.dicomwebUrl, 'http://127.0.0.1:8042/dicom-web');
  assert.equal(c.wadoUriUrl, 'http://127.0.0.1:8042/wado');
});

test(
  'AUTH_TOKENS_FILE: JSON or name:sha256 lines; bad names, ' + 'hashes, duplicates refused; enables non-loopback binds',
  async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { parseTokensFile, sha256Hex } = await import('../../../server/src/config');
    const h = sha256Hex('token-a-0123456789abcdef');
    const g = sha256Hex('token-b-0123456789abcdef');
    assert.deepEqual(parseTokensFile(JSON.stringify({ alice: h, bob: g.toUpperCase() })), [
      { name: 'alice', sha256: h },
      { name: 'bob', sha256: g },
    ]);
    assert.deepEqual(parseTokensFile(`# comment\n\nalice:${h}\r\nbob: ${g}\n`), [
      { name: 'alice', sha256: h },
      { name: 'bob', sha256: g },
    ]);
    for (const bad of [
      '',
      '{}',
      '[]',
      '{"a":1}',
      'alice',
      `alice:${h.slice(1)}`,
      `al ice:${h}`,
      `alice:${h}\nalice:${g}`,
      `alice:${h}\nbob:${h}`,
      '{bad json',
    ]) {
      assert.throws(() => parseTokensFile(bad), ConfigError, JSON.stringify(bad));
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'cxr-cfg-'));
    writeFileSync(path.join(dir, 't'), `alice:${h}\n`);
    const c = loadConfig({ HOST: '0.0.0.0', AUTH_TOKENS_FILE: 't', AUTH_TOKEN: 'token-c-0123456789abcdef' }, dir);
    assert.deepEqual(
      c.authTokens.map((t) => t.name),
      ['default', 'alice'],
    );
    assert.throws(() => loadConfig({ AUTH_TOKENS_FILE: 'absent' }, dir), ConfigError);
    assert.throws(
      () => loadConfig({ AUTH_TOKENS_FILE: 't', AUTH_TOKEN: 'token-a-0123456789abcdef' }, dir),
      ConfigError,
      'the same token twice',
    );
  },
);

test(
  'ALLOWED_HOSTS entries validated and normalised; TRUST_PROXY ' +
    'a small hop count; per-client session quota ≤ MAX_SESSIONS',
  () => {
    assert.deepEqual(loadConfig({ ALLOWED_HOSTS: 'CXR.Hospital.example, 10.1.2.3:8443,[fe80::1]' }).allowedHosts, [
      'cxr.hospital.example',
      '10.1.2.3:8443',
      '[fe80::1]',
    ]);
    for (const bad of [
      '*',
      'http://x.example',
      'a b',
      'x.example:0',
      'x.example:70000',
      '[::g]',
      'x..example',
      '-x.example',
      'x.example/',
    ]) {
      assert.throws(() => loadConfig({ ALLOWED_HOSTS: bad }), ConfigError, bad);
    }
    assert.equal(loadConfig({}).trustProxy, 0);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'yes' }), ConfigError);
    assert.equal(loadConfig({ MAX_SESSIONS: '10' }).limits.maxSessionsPerClient, 10);
    assert.equal(loadConfig({ MAX_SESSIONS_PER_CLIENT: '3' }).limits.maxSessionsPerClient, 3);
  },
);
