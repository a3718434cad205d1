/** Issue 11.5: the pixel cache's disk quota with least-recently-used eviction, across restarts. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PixelCache } from '../../../server/src/store/pixelCache';
import type { AnalysisPixels } from '../../../server/src/store/types';

const sha = (i: number) => i.toString(16).padStart(2, '0').repeat(32);
const key = (i: number) => `${sha(i)}/${'a'.repeat(16)}-${'b'.repeat(12)}`;
const pixels = (v: number, scale?: number): AnalysisPixels => {
  const p: AnalysisPixels = {
    width: 64,
    height: 64,
    display: new Float32Array(64 * 64).fill(v),
    anatomyState: null,
    lesionState: null,
  };
  if (scale) p.scale = scale;
  return p;
};
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.v8'));

describe('pixel cache disk quota', () => {
  test('above CACHE_MAX_BYTES the least recently used entries go; a read counts as a use', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cxr-cache-'));
    const probe = new PixelCache(mkdtempSync(path.join(tmpdir(), 'cxr-cache-probe-')), { fsync: false });
    probe.put(key(0), pixels(0));
    const one = probe.diskBytes;
    const c = new PixelCache(dir, { fsync: false, maxBytes: Math.floor(2.5 * one) });
    c.put(key(1), pixels(0.1));
    c.put(key(2), pixels(0.2));
    assert.equal(c.diskBytes, 2 * one);
    c.put(key(3), pixels(0.3)); // over the quota: key 1 (LRU) goes
    assert.equal(c.has(key(1)), false);
    assert.equal(c.evictions, 1);
    assert.ok(c.diskBytes <= 2.5 * one);
    c.dropHot();
    assert.equal(c.load(key(2))!.display[0], Float32Array.of(0.2)[0]); // key 2 used: now key 3 is LRU
    c.put(key(4), pixels(0.4));
    assert.equal(c.has(key(3)), false);
    assert.equal(c.has(key(2)), true);
    assert.equal(files(dir).length, 2);
  });

  test('a restart finds the files on disk, oldest use first, and keeps enforcing the quota', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cxr-cache-'));
    const a = new PixelCache(dir, { fsync: false });
    for (const i of [1, 2, 3]) a.put(key(i), pixels(i / 10));
    const one = a.diskBytes / 3;
    // key 2 was used last before the "restart"
    const f2 = path.join(dir, sha(2).slice(0, 2), sha(2), `${'a'.repeat(16)}-${'b'.repeat(12)}.v8`);
    const later = new Date(Date.now() + 60_000);
    utimesSync(f2, later, later);
    const b = new PixelCache(dir, { fsync: false, maxBytes: Math.floor(3.5 * one) });
    assert.equal(b.diskBytes, a.diskBytes);
    b.put(key(4), pixels(0.4)); // evicts the oldest: 1, then 3 would be next
    assert.equal(b.has(key(1)), false);
    assert.deepEqual(
      [2, 3, 4].map((i) => b.has(key(i))),
      [true, true, true],
    );
    assert.ok(statSync(f2).size > 0);
  });

  test('the frame scale of a bounded display frame survives the cache', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cxr-cache-'));
    new PixelCache(dir, { fsync: false }).put(key(7), pixels(0.5, 3));
    const p = new PixelCache(dir, { fsync: false }).load(key(7))!;
    assert.equal(p.scale, 3);
    assert.equal(p.width, 64);
  });
});
