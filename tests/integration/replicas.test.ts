import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeFixtures } from '../support/dicomFixtures';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../unit/store/pgCluster';
import { listeningUrl } from '../../scripts/lib/childServer';

/**
 * Two server processes on different ports sharing one PostgreSQL (started here on loopback) and
 * one DATA_DIR (the pixel cache): a session created on replica 1 continues on replica 2, and
 * concurrent turns on one session sent to both replicas are serialised (T1…Tn, no duplicate, each
 * turn sees the one before). Skipped, saying why, when PostgreSQL cannot be started or when the
 * servers do not report `store.kind: "postgres"` in GET /api/v1/status (DATABASE_URL not wired yet).
 */

const ROOT = path.resolve(__dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-replicas-'));
let pg: PgCluster | null = null;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(databaseUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      MODELS_DIR: path.join(dataDir, 'no-models'),
    },
  });
  children.push(child);
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  return listeningUrl(child, stderr);
}

async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: any }> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: json !== undefined ? { 'content-type': 'application/json' } : rest.headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

test(
  'replicas: two servers on one PostgreSQL — a session continues ' +
    'on the other replica; concurrent turns are serialised',
  async () => {
    pg = await startPgCluster();
    if (!pg) {
      console.warn('skipped:', `PostgreSQL unavailable: ${pgUnavailableReason}`);
      return;
    }
    const fx = await makeFixtures();
    const [u1, u2] = await Promise.all([start(pg.url), start(pg.url)]);
    assert.notEqual(new URL(u1).port, new URL(u2).port);
    for (const u of [u1, u2]) {
      const s = (await call(`${u}/api/v1/status`)).body;
      if (s?.store?.kind !== 'postgres') {
        console.warn(
          'skipped:',
          `the server does not use PostgreSQL with DATABASE_URL set (GET /api/v1/status ` +
            `→ store: ${JSON.stringify(s?.store ?? null)}); wire PgStores into services.ts`,
        );
        return;
      }
    }
    const a = await call(`${u1}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/dicom' },
      body: readFileSync(fx.paths.explicit!),
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(
      (await call(`${u2}/api/v1/analyses/${a.body.id}`)).status,
      200,
      'the analysis is visible on replica 2',
    );

    const s = await call(`${u1}/api/v1/sessions`, { method: 'POST', json: { analysisId: a.body.id } });
    assert.equal(s.status, 201);
    const sid = s.body.id as string;
    // Two points on replica 1, the distance question on replica 2.
    for (const p of [
      [100, 100],
      [400, 300],
    ])
      assert.equal(
        (
          await call(`${u1}/api/v1/sessions/${sid}/anchors`, {
            method: 'POST',
            json: { geometry: { type: 'point', point: p } },
          })
        ).status,
        201,
      );
    const t1 = await call(`${u2}/api/v1/sessions/${sid}/turns`, {
      method: 'POST',
      json: { text: '这两个点相距多远?' },
    });
    assert.equal(t1.status, 201, JSON.stringify(t1.body));
    assert.equal(t1.body.id, 'T1');
    const on1 = (await call(`${u1}/api/v1/sessions/${sid}`)).body;
    assert.deepEqual(
      on1.turns.map((x: { id: string }) => x.id),
      ['T1'],
    );
    assert.deepEqual(on1.turns[0], t1.body, 'replica 1 reads the turn made on replica 2');

    // 16 turns at once, alternating replicas.
    const qs = ['这个区域有多大?', '你能做什么?', '这两个点相距多远?'];
    const res = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        call(`${i % 2 ? u2 : u1}/api/v1/sessions/${sid}/turns`, { method: 'POST', json: { text: qs[i % qs.length] } }),
      ),
    );
    for (const r of res) assert.equal(r.status, 201, JSON.stringify(r.body));
    const ids = res.map((r) => r.body.id as string);
    assert.equal(new Set(ids).size, 16, `no duplicate turn id: ${ids.join(',')}`);
    for (const u of [u1, u2]) {
      const got = (await call(`${u}/api/v1/sessions/${sid}`)).body;
      assert.deepEqual(
        got.turns.map((x: { id: string }) => x.id),
        Array.from({ length: 17 }, (_, i) => `T${i + 1}`),
      );
      const anchorIds = got.anchors.map((x: { id: string }) => x.id);
      assert.equal(new Set(anchorIds).size, anchorIds.length, 'anchor ids unique');
      for (const r of res)
        assert.deepEqual(
          got.turns.find((x: { id: string }) => x.id === r.body.id),
          r.body,
        );
    }
  },
  180_000,
);
