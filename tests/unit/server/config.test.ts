import { test } from 'node:test';
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
  assert.throws(() => loadConfig({ HOST: '0.0.0.0' }), (e: unknown) => e instanceof ConfigError && /AUTH_TOKEN/.test(e.message));
  assert.equal(loadConfig({ HOST: '0.0.0.0', AUTH_TOKEN: 'a-long-enough-token' }).host, '0.0.0.0');
});

test('loopback detection', () => {
  for (const [h, want] of [['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['localhost', true], ['0.0.0.0', false], ['10.0.0.1', false], ['::', false]] as const) {
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
