import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asyncFromSync } from '../../../server/src/store/asyncTypes';
import { SqliteStores } from '../../../server/src/store/sqliteStore';
import { storeConformance, type TestStores } from './conformance';
import { applyTurn, fakeAnalysis, newSession } from './fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'cxr-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openSqlite(now: () => number): Promise<TestStores> {
  const s = new SqliteStores({ dataDir: dir, ttlMs: 10_000, now });
  const a = asyncFromSync(s);
  return Promise.resolve(Object.assign(a, { dropCaches: () => s.dropCaches(), sweep: () => s.sweep() }));
}

storeConformance('sqlite', openSqlite, () => dir);

test('sqlite: WAL journal, synchronous FULL by default, foreign keys on, file in DATA_DIR', () => {
  const d = mkdtempSync(path.join(tmpdir(), 'cxr-sqlite-p-'));
  const s = new SqliteStores({ dataDir: d, ttlMs: 60_000 });
  try {
    assert.equal(s.file, path.join(d, 'cxr.sqlite'));
    assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(s.db.pragma('synchronous', { simple: true }), 2); // FULL
    assert.equal(s.db.pragma('foreign_keys', { simple: true }), 1);
    assert.deepEqual(s.schemaVersions(), [1, 2]);
  } finally {
    s.close();
    rmSync(d, { recursive: true, force: true });
  }
});

test('sqlite: the synchronous interface works as the memory store does (get returns the live object)', () => {
  const d = mkdtempSync(path.join(tmpdir(), 'cxr-sqlite-s-'));
  const s = new SqliteStores({ dataDir: d, ttlMs: 60_000 });
  try {
    const e = fakeAnalysis();
    s.analysisStore.put(e);
    const st = newSession(e.analysis.id);
    s.sessionStore.save(st);
    const live = s.sessionStore.get(st.session.id)!;
    live.session.expiresAt = 'x';
    assert.equal(s.sessionStore.get(st.session.id)!.session.expiresAt, 'x');
    s.sessionStore.save(applyTurn(live));
    s.dropCaches();
    assert.equal(s.sessionStore.get(st.session.id)!.session.turns.length, 1);
    assert.equal(s.sessionStore.count(), 1);
  } finally {
    s.close();
    rmSync(d, { recursive: true, force: true });
  }
});

test('sqlite: a failed transaction leaves the previous turn intact (all or nothing)', () => {
  const d = mkdtempSync(path.join(tmpdir(), 'cxr-sqlite-t-'));
  const s = new SqliteStores({ dataDir: d, ttlMs: 60_000 });
  try {
    const e = fakeAnalysis();
    s.analysisStore.put(e);
    const st = applyTurn(newSession(e.analysis.id));
    s.sessionStore.save(st);
    // A turn whose anchors are written but whose turn row collides (same index twice): the insert
    // of the second T2 fails inside the transaction, so the new anchor must not be there either.
    const bad = applyTurn(st);
    bad.session.turns.push({ ...bad.session.turns.at(-1)!, id: 'T2b' });
    bad.session.turns.at(-1)!.index = 2;
    assert.throws(() => s.sessionStore.save(bad));
    s.dropCaches();
    const got = s.sessionStore.get(st.session.id)!;
    assert.deepEqual(got, st);
  } finally {
    s.close();
    rmSync(d, { recursive: true, force: true });
  }
});
