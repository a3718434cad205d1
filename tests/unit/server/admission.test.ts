import assert from 'node:assert/strict';
import { AnalysisAdmission, runWithDeadline } from '../../../server/src/analysis/limiter';
import { ApiError } from '../../../server/src/errors';
import { RateLimiter } from '../../../server/src/http/rateLimit';

const isBusy = (reason: string) => (e: unknown) =>
  e instanceof ApiError &&
  e.code === 'busy' &&
  e.status === 503 &&
  e.details?.reason === reason &&
  typeof e.details?.retryAfterS === 'number';

describe('analysis admission (slot + body budget, reserved before the body)', () => {
  test('at most maxSlots at once; a released slot is free again; release is idempotent', () => {
    const a = new AnalysisAdmission(2, 1e9);
    const t1 = a.admit(10),
      t2 = a.admit(10);
    assert.throws(() => a.admit(10), isBusy('slots'));
    t1.release();
    t1.release();
    assert.equal(a.running, 1);
    const t3 = a.admit(10);
    assert.equal(a.running, 2);
    t2.release();
    t3.release();
    assert.equal(a.running, 0);
    assert.equal(a.inflightBytes, 0);
  });

  test('the in-flight byte budget refuses a body that would exceed it; one body alone always fits', () => {
    const a = new AnalysisAdmission(8, 100);
    const big = a.admit(150); // alone: admitted although over the budget
    assert.throws(() => a.admit(1), isBusy('body_bytes'));
    big.release();
    const t1 = a.admit(60);
    assert.throws(() => a.admit(41), isBusy('body_bytes'));
    const t2 = a.admit(40);
    assert.equal(a.inflightBytes, 100);
    t1.release();
    t2.release();
  });
});

describe('runWithDeadline', () => {
  test('the caller hears the timeout at the deadline; the slot is freed only when the work stops', async () => {
    const a = new AnalysisAdmission(1, 1e9);
    const ticket = a.admit(1);
    let aborted = false;
    const t0 = performance.now();
    const run = runWithDeadline(async (signal) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      await new Promise((r) => setTimeout(r, 300)); // work that takes 300 ms to notice and stop
      return 'done';
    }, 50);
    let stoppedAt = 0;
    void run.stopped.then(() => {
      stoppedAt = performance.now() - t0;
      ticket.release();
    });
    await assert.rejects(run.result, (e: unknown) => e instanceof ApiError && e.code === 'analysis_timeout');
    const timedOutAt = performance.now() - t0;
    assert.ok(timedOutAt < 250, `timeout heard after ${timedOutAt.toFixed(0)} ms`);
    assert.ok(aborted, 'the work saw the abort');
    assert.equal(a.running, 1, 'slot still held while the work runs');
    assert.throws(() => a.admit(1), isBusy('slots'));
    await run.stopped;
    assert.ok(stoppedAt >= 290, `stopped after ${stoppedAt.toFixed(0)} ms`);
    assert.equal(a.running, 0);
  });

  test('work that finishes in time gives its result', async () => {
    const run = runWithDeadline(async () => 42, 1000);
    assert.equal(await run.result, 42);
    await run.stopped;
  });
});

describe('per-client rate limit', () => {
  test('a client gets perMinute requests, then 429 with Retry-After; others are unaffected; it refills', () => {
    let now = 0;
    const r = new RateLimiter(3, () => now);
    r.take('a');
    r.take('a');
    r.take('a');
    assert.throws(
      () => r.take('a'),
      (e: unknown) =>
        e instanceof ApiError && e.code === 'limit_exceeded' && e.status === 429 && e.details?.retryAfterS === 20,
    );
    r.take('b');
    now += 20_000;
    r.take('a');
    assert.throws(
      () => r.take('a'),
      (e: unknown) => e instanceof ApiError && e.code === 'limit_exceeded',
    );
  });

  test('the client table stays bounded', () => {
    let now = 0;
    const r = new RateLimiter(2, () => now, 100);
    for (let i = 0; i < 1000; i++) {
      r.take(`c${i}`);
      now += 1;
    }
    assert.ok((r as unknown as { buckets: Map<string, unknown> }).buckets.size <= 100);
  });
});
