/** Issue 11.3–11.6: the decoding, memory and disk limits are read and validated like the others. */
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../../../server/src/config';

test('defaults, overrides and refusals of the new limits', () => {
  const d = loadConfig({}).limits;
  assert.deepEqual(
    [d.maxInflightBodyBytes, d.maxAnalyses, d.rateLimitAnalysesPerMin, d.cacheMaxBytes, d.maxDisplaySide],
    [256 * 1024 * 1024, 1000, 60, 2 * 1024 ** 3, 2048],
  );
  assert.equal(DEFAULT_LIMITS.maxDisplaySide, 2048);
  const c = loadConfig({
    MAX_INFLIGHT_BODY_BYTES: '1000',
    MAX_ANALYSES: '5',
    RATE_LIMIT_ANALYSES_PER_MIN: '7',
    CACHE_MAX_BYTES: '123456',
    MAX_DISPLAY_SIDE: '4096',
  }).limits;
  assert.deepEqual(
    [c.maxInflightBodyBytes, c.maxAnalyses, c.rateLimitAnalysesPerMin, c.cacheMaxBytes, c.maxDisplaySide],
    [1000, 5, 7, 123456, 4096],
  );
  for (const [k, v] of [
    ['MAX_ANALYSES', '0'],
    ['RATE_LIMIT_ANALYSES_PER_MIN', '-1'],
    ['CACHE_MAX_BYTES', 'lots'],
    ['MAX_INFLIGHT_BODY_BYTES', '1.5'],
    ['MAX_DISPLAY_SIDE', '256'],
  ]) {
    assert.throws(() => loadConfig({ [k]: v }), ConfigError, `${k}=${v}`);
  }
});
