import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgStores } from '../../server/src/store/pgStore';
import { storeConformance, type TestStores } from '../unit/store/conformance';
import { applyTurn, fakeAnalysis, newSession } from '../unit/store/fixtures';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../unit/store/pgCluster';

// PostgreSQL store: the shared conformance suite, then two store instances ("replicas") on one
// database. Skipped, saying why, only when PostgreSQL cannot be started here.
let pg: PgCluster | null = null;
const dir = mkdtempSync(path.join(tmpdir(), 'cxr-pgstore-'));
let url = '';

beforeAll(async () => {
  pg = await startPgCluster();
  if (!pg) {
    console.log(`# PostgreSQL store tests skipped: ${pgUnavailableReason}`);
    return;
  }
  url = pg.url;
});
afterAll(() => {
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const skip = () => (pg ? false : `PostgreSQL unavailable: ${pgUnavailableReason}`);

async function openPg(now: () => number): Promise<TestStores> {
  const s = await PgStores.open({ databaseUrl: url, dataDir: dir, ttlMs: 10_000, now, sweepEveryMs: 0, poolSize: 4 });
  return s;
}

storeConformance('postgres', openPg, () => dir, skip);

test(
  'postgres: two replicas: a session made on one continues on ' +
    'the other; concurrent turns are serialised by the row lock',
  async () => {
    if (!pg) {
      console.warn('skipped:', `PostgreSQL unavailable: ${pgUnavailableReason}`);
      return;
    }
    const r1 = await PgStores.open({ databaseUrl: url, dataDir: dir, ttlMs: 60_000, sweepEveryMs: 0, poolSize: 6 });
    const r2 = await PgStores.open({ databaseUrl: url, dataDir: dir, ttlMs: 60_000, sweepEveryMs: 0, poolSize: 6 });
    try {
      const e = fakeAnalysis();
      await r1.analysisStore.put(e);
      const st = newSession(e.analysis.id);
      await r1.sessionStore.save(st);
      const onR2 = await r2.sessionStore.get(st.session.id);
      assert.deepEqual(onR2, st);
      assert.ok(await r2.analysisStore.get(e.analysis.id), 'analysis and pixels visible from replica 2');
      // 20 turns, alternating replicas, all at once; each holds the lock a few ms.
      const runs = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? r2 : r1).sessionStore.update(st.session.id, async (cur) => {
          assert.ok(cur);
          const w = applyTurn(cur, `q${i}`);
          await new Promise((r) => setTimeout(r, 3));
          return { save: w, result: w.session.turns.at(-1)!.id };
        }),
      );
      const ids = await Promise.all(runs);
      assert.equal(new Set(ids).size, 20);
      for (const r of [r1, r2]) {
        const got = (await r.sessionStore.get(st.session.id))!;
        assert.deepEqual(
          got.session.turns.map((x) => x.id),
          Array.from({ length: 20 }, (_, i) => `T${i + 1}`),
        );
        assert.equal(got.session.anchors.length, 22);
        assert.equal(got.counters.anchor, 22);
      }
      // A plain save on replica 1 is seen by replica 2's cached copy through the rev check.
      const a = (await r1.sessionStore.get(st.session.id))!;
      await r1.sessionStore.save(applyTurn(a));
      assert.equal((await r2.sessionStore.get(st.session.id))!.session.turns.length, 21);
    } finally {
      await r1.close();
      await r2.close();
    }
  },
);
