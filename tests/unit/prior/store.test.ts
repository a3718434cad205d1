/**
 * The prior's durable parts (issue 17): the acquisition day of an analysis and Session.prior survive a
 * restart of the SQLite store (migration 002), a session keeps its prior analysis alive through the
 * expiry sweep, and the DICOM date rule.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dicomDateToDay } from '../../../server/src/imaging/parse';
import { MemoryStores } from '../../../server/src/store/memoryStore';
import { PgStores } from '../../../server/src/store/pgStore';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../store/pgCluster';
import { SqliteStores } from '../../../server/src/store/sqliteStore';
import { fakeAnalysis, newSession } from '../store/fixtures';

describe('acquisition day', () => {
  test('DICOM DA values become UTC day numbers; invalid dates are null', () => {
    assert.equal(dicomDateToDay('19700102'), 1);
    assert.equal(dicomDateToDay('20261201')! - dicomDateToDay('20241130')!, 731);
    assert.equal(dicomDateToDay('2026.12.01'), dicomDateToDay('20261201'));
    for (const bad of [null, '', '2026', '20261301', '20260230', 'abcdefgh', '18991231'])
      assert.equal(dicomDateToDay(bad), null, String(bad));
  });
});

describe('SQLite store: prior and acquisition day persist', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cxr-prior-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('acquiredDay and Session.prior survive a restart; the columns mirror the prior', () => {
    let now = 1_000_000;
    const open = () => new SqliteStores({ dataDir: dir, ttlMs: 60_000, now: () => now });
    const s1 = open();
    const current = { ...fakeAnalysis(), acquiredDay: 20400 };
    const prior = { ...fakeAnalysis(), acquiredDay: 19669 };
    s1.analysisStore.put(current);
    s1.analysisStore.put(prior);
    const st = newSession(current.analysis.id);
    st.session.prior = { analysisId: prior.analysis.id, acquiredAt: 'P731D', intervalDays: 731 };
    s1.sessionStore.save(st);
    s1.close();

    const s2 = open();
    try {
      assert.equal(s2.analysisStore.get(current.analysis.id)!.acquiredDay, 20400);
      assert.equal(s2.analysisStore.get(prior.analysis.id)!.acquiredDay, 19669);
      assert.deepEqual(s2.sessionStore.get(st.session.id)!.session.prior, st.session.prior);
      const row = s2.db
        .prepare('SELECT prior_analysis_id AS p, prior_interval_days AS d FROM sessions WHERE id = ?')
        .get(st.session.id) as { p: string; d: number };
      assert.deepEqual({ ...row }, { p: prior.analysis.id, d: 731 });
      // the expiry sweep keeps an analysis a live session uses as its prior
      now += 30_000;
      s2.sessionStore.get(st.session.id);
      now += 40_000;
      s2.sweep();
      assert.ok(s2.analysisStore.get(prior.analysis.id), 'the prior analysis is kept');
    } finally {
      s2.close();
    }
  });

  test('an analysis without a date reads back as null', () => {
    const s = new SqliteStores({ dataDir: dir, ttlMs: 60_000 });
    try {
      const e = fakeAnalysis();
      s.analysisStore.put(e);
      assert.equal(s.analysisStore.get(e.analysis.id)!.acquiredDay, null);
    } finally {
      s.close();
    }
  });
});

describe('memory store', () => {
  test('keeps acquiredDay and Session.prior as given', () => {
    const m = new MemoryStores(60_000);
    const e = { ...fakeAnalysis(), acquiredDay: 123 };
    m.analysisStore.put(e);
    const st = newSession(e.analysis.id);
    st.session.prior = { analysisId: 'an_x', acquiredAt: null, intervalDays: null };
    m.sessionStore.save(st);
    assert.equal(m.analysisStore.get(e.analysis.id)!.acquiredDay, 123);
    assert.deepEqual(m.sessionStore.get(st.session.id)!.session.prior, st.session.prior);
  });
});

describe('PostgreSQL store: prior and acquisition day persist', () => {
  let pg: PgCluster | null = null;
  const dir = mkdtempSync(path.join(tmpdir(), 'cxr-prior-pg-'));
  beforeAll(async () => {
    pg = await startPgCluster();
  });
  afterAll(() => {
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('acquiredDay, Session.prior and the prior columns (migration 002)', async () => {
    if (!pg) {
      console.warn(`skipped: PostgreSQL unavailable: ${pgUnavailableReason}`);
      return;
    }
    const open = () =>
      PgStores.open({ databaseUrl: pg!.url, dataDir: dir, ttlMs: 60_000, sweepEveryMs: 0, poolSize: 2 });
    const s1 = await open();
    const current = { ...fakeAnalysis(), acquiredDay: 20400 };
    const prior = { ...fakeAnalysis(), acquiredDay: 19669 };
    await s1.analysisStore.put(current);
    await s1.analysisStore.put(prior);
    const st = newSession(current.analysis.id);
    st.session.prior = { analysisId: prior.analysis.id, acquiredAt: 'P731D', intervalDays: 731 };
    await s1.sessionStore.save(st);
    await s1.close();
    const s2 = await open();
    try {
      assert.equal((await s2.analysisStore.get(prior.analysis.id))!.acquiredDay, 19669);
      assert.deepEqual((await s2.sessionStore.get(st.session.id))!.session.prior, st.session.prior);
      const r = await s2.pool.query(
        'SELECT prior_analysis_id AS p, prior_interval_days AS d FROM sessions WHERE id = $1',
        [st.session.id],
      );
      assert.deepEqual({ ...r.rows[0] }, { p: prior.analysis.id, d: 731 });
    } finally {
      await s2.close();
    }
  });
});

describe('memory store sweep', () => {
  test('a live session keeps its prior analysis past the TTL', () => {
    let now = 0;
    const m = new MemoryStores(1000, () => now);
    const cur = fakeAnalysis(),
      prior = fakeAnalysis();
    m.analysisStore.put(cur);
    m.analysisStore.put(prior);
    const st = newSession(cur.analysis.id);
    st.session.prior = { analysisId: prior.analysis.id, acquiredAt: 'P10D', intervalDays: 10 };
    m.sessionStore.save(st);
    now = 900;
    m.sessionStore.get(st.session.id);
    now = 1500;
    m.sweep();
    assert.ok(m.analysisStore.get(prior.analysis.id));
  });
});
