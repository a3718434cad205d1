import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzHttp, printReport, TIME_LIMIT_MS } from '../../scripts/fuzz';

// The short fuzz run of `npm test` (the long one is `npm run fuzz -- 10000`): 300 mutants of the
// fixtures, fixed seed, posted over loopback; each answered 4xx (or 201) within 2 s.
test('fuzz: 300 mutated files each get a 4xx or 201 within 2 s, never a 500, hang or crash', async () => {
  const r = await fuzzHttp({ count: 300, seed: 0xc0ffee, concurrency: 2 });
  printReport(r);
  assert.equal(r.count, 300);
  assert.deepEqual(r.failures.map((f) => `#${f.index} ${f.base}[${f.kinds.join('+')}] → ${f.status} ${f.code} ${f.ms} ms`), []);
  assert.ok(r.slowest[0]!.ms <= TIME_LIMIT_MS);
  assert.equal(r.sentinelInLogs, 0, 'no log line carries the sentinel patient name');
  const codes4xx = Object.entries(r.byStatus).filter(([s]) => s.startsWith('4')).reduce((n, [, c]) => n + c, 0);
  assert.ok(codes4xx > 150, 'most mutants are rejected (the mutations bite)');
});
