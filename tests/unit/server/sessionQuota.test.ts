/**
 * Per-client session quotas and idle eviction (issue 11, item 7), on the real SessionService and
 * memory store with a fake clock: one client filling its quota cannot block another, a full server
 * makes room by evicting the idlest session, and nothing active is ever evicted.
 */
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, type Limits } from '../../../server/src/config';
import { ApiError } from '../../../server/src/errors';
import { SessionService } from '../../../server/src/sessions/service';
import { asyncFromSync } from '../../../server/src/store/asyncTypes';
import { MemoryStores } from '../../../server/src/store/memoryStore';
import type { AnalysisEntry } from '../../../server/src/store/types';
import type { Analysers } from '../../../server/src/analysis/analysers';

function setup(over: Partial<Limits>) {
  let t = 1_000_000;
  const now = () => t;
  const limits: Limits = { ...DEFAULT_LIMITS, ...over };
  const mem = new MemoryStores(limits.ttlSeconds * 1000, now);
  const stores = asyncFromSync(mem);
  const entry = {
    analysis: { id: 'an_quota0000001', findings: [] },
    pixels: { width: 1, height: 1, display: new Float32Array(1), anatomyState: null, lesionState: null },
  } as unknown as AnalysisEntry;
  mem.analysisStore.put(entry);
  const svc = new SessionService(stores.analysisStore, stores.sessionStore, {} as Analysers, limits, now);
  return {
    svc,
    stores,
    advance: (s: number) => {
      t += s * 1000;
    },
  };
}

const limitOf = async (p: Promise<unknown>): Promise<string | null> => {
  try {
    await p;
    return null;
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, 429);
    return String(e.details?.limit);
  }
};

test('one client at its quota gets 429 while others still get sessions', async () => {
  const { svc } = setup({ maxSessions: 10, maxSessionsPerClient: 3, sessionIdleSeconds: 600 });
  for (let i = 0; i < 3; i++) await svc.create('an_quota0000001', 'en', 'token:mallory');
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'token:mallory')), 'maxSessionsPerClient');
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'token:alice')), null);
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'addr:10.0.0.9')), null);
});

test("at its quota, a client's own least recently used idle session makes room; a used one does not", async () => {
  const { svc, advance } = setup({ maxSessions: 10, maxSessionsPerClient: 2, sessionIdleSeconds: 60 });
  const a = await svc.create('an_quota0000001', 'en', 'token:bob');
  advance(1);
  const b = await svc.create('an_quota0000001', 'en', 'token:bob');
  advance(59);
  await svc.get(a.id); // a is used again: b is now the least recently used, idle 59 s
  assert.equal(
    await limitOf(svc.create('an_quota0000001', 'en', 'token:bob')),
    'maxSessionsPerClient',
    'nothing idle long enough yet',
  );
  advance(2);
  const c = await svc.create('an_quota0000001', 'en', 'token:bob');
  await assert.rejects(svc.get(b.id), /No session/, 'the idle one was evicted');
  assert.equal((await svc.get(a.id)).id, a.id);
  assert.equal((await svc.get(c.id)).id, c.id);
});

test('a full server evicts the idlest session of anyone, never an active one; with none idle, 429', async () => {
  const { svc, stores, advance } = setup({ maxSessions: 4, maxSessionsPerClient: 4, sessionIdleSeconds: 60 });
  const old = [];
  for (let i = 0; i < 4; i++) old.push(await svc.create('an_quota0000001', 'en', 'addr:10.0.0.66'));
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'token:alice')), 'maxSessions', 'all four are fresh');
  advance(120);
  await svc.get(old[1]!.id);
  await svc.get(old[2]!.id);
  await svc.get(old[3]!.id);
  const mine = await svc.create('an_quota0000001', 'en', 'token:alice');
  assert.equal(await stores.sessionStore.count(), 4);
  await assert.rejects(svc.get(old[0]!.id), /No session/, 'the idle one went');
  for (const s of [old[1]!, old[2]!, old[3]!, mine]) assert.equal((await svc.get(s.id)).id, s.id);
});

test('deleting a session frees its place in the quota at once', async () => {
  const { svc } = setup({ maxSessions: 10, maxSessionsPerClient: 1, sessionIdleSeconds: 600 });
  const s = await svc.create('an_quota0000001', 'en', 'token:carol');
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'token:carol')), 'maxSessionsPerClient');
  await svc.delete(s.id);
  assert.equal(await limitOf(svc.create('an_quota0000001', 'en', 'token:carol')), null);
});
