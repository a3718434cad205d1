import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../../../server/src/config';
import { ApiError } from '../../../server/src/errors';
import { decodeImage } from '../../../server/src/imaging/decode';
import { DecodePool } from '../../../server/src/imaging/decodePool';
import { hugePng } from '../../support/bombs';
import { makeFixtures, type Fixtures } from '../../support/dicomFixtures';

let fx: Fixtures;
let pool: DecodePool;
beforeAll(async () => {
  fx = await makeFixtures();
  pool = new DecodePool({ size: 1 });
  await pool.ready();
});
afterAll(async () => {
  await pool.close();
});

describe('decode worker pool', () => {
  test('decodes exactly what the in-process decoder decodes', async () => {
    for (const name of ['j2kLossless', 'deflated', 'jpegLossless57']) {
      const bytes = readFileSync(fx.paths[name]!);
      const here = await decodeImage(Buffer.from(bytes), 'application/dicom', {}, DEFAULT_LIMITS);
      const there = await pool.decode(Buffer.from(bytes), 'application/dicom', {}, DEFAULT_LIMITS);
      assert.equal(there.info.pixelDataSha256, here.info.pixelDataSha256, name);
      assert.deepEqual([there.width, there.height], [here.width, here.height]);
      assert.ok(there.display instanceof Float32Array);
      assert.deepEqual(there.display, here.display, name);
      assert.deepEqual(there.warnings, here.warnings);
    }
  });

  test('contract errors come back as ApiErrors with their code and details', async () => {
    const bytes = readFileSync(fx.paths.badCodestreamSize!);
    await assert.rejects(
      pool.decode(bytes, 'application/dicom', {}, DEFAULT_LIMITS),
      (e: unknown) => e instanceof ApiError && e.code === 'pixel_data_size_mismatch' && e.status === 422,
    );
  });

  test('an aborted decode terminates its worker, rejects once it has stopped, and the pool goes on', async () => {
    const big = await hugePng(7000); // about 1–2 s to decode on one core
    // The bound is relative to an uninterrupted decode of the same file on this machine now, so a
    // loaded CI machine (slower decode and slower worker termination alike) does not flake it.
    const fullStart = performance.now();
    await pool.decode(big, 'image/png', {}, DEFAULT_LIMITS);
    const full = performance.now() - fullStart;
    const ac = new AbortController();
    const reason = new ApiError('analysis_timeout', 'too long', { limit: 100 });
    const before = pool.terminations;
    const started = performance.now();
    const p = pool.decode(big, 'image/png', {}, DEFAULT_LIMITS, ac.signal);
    setTimeout(() => ac.abort(reason), 100);
    await assert.rejects(p, (e: unknown) => e === reason);
    const ms = performance.now() - started;
    assert.equal(pool.terminations, before + 1);
    assert.ok(ms < Math.max(1500, full), `rejected after ${ms.toFixed(0)} ms (full decode ${full.toFixed(0)} ms)`);
    const ok = await pool.decode(readFileSync(fx.paths.explicit!), 'application/dicom', {}, DEFAULT_LIMITS);
    assert.equal(ok.width, 512);
  });

  test('a signal aborted before the call rejects at once without using a worker', async () => {
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await assert.rejects(
      pool.decode(readFileSync(fx.paths.explicit!), 'application/dicom', {}, DEFAULT_LIMITS, ac.signal),
      /gone/,
    );
  });
});
