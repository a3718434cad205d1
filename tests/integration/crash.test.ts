import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeFixtures } from '../support/dicomFixtures';
import { listeningUrl } from '../../scripts/lib/childServer';
import { mulberry32 } from '../support/rng';

/**
 * Crash test (issue 8): the real server (`node --import tsx server/src/main.ts`, PORT=0, a temp
 * DATA_DIR) with the durable store, a stream of turns and anchors on three sessions, kill -9 at a
 * random point (fixed seed), restart — 22 times. After each restart: every acknowledged turn and
 * anchor is there, identical; turns are T1…Tn with no gap (nothing half-written); every anchor a
 * turn says it created exists; ids are never reused (an id once acknowledged always names the same
 * thing); the analysis answers with the same image and mask bytes.
 *
 * Skipped, saying why, when GET /api/v1/status reports no durable store (`store.durable`), i.e.
 * before the durable store is wired into services.ts.
 */

const ROOT = path.resolve(__dirname, '../..');
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 22);
const QUESTIONS = ['这两个点相距多远?', '这个区域有多大?', '你能做什么?', 'A1有多大?'];
const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const rng = mulberry32;

interface Server {
  url: string;
  child: ChildProcess;
  stderr: string[];
}

async function start(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const url = await listeningUrl(child, stderr);
  return { url, child, stderr };
}

async function kill9(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

async function call(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: any; raw: Buffer }> {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: json !== undefined ? { 'content-type': 'application/json' } : rest.headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const raw = Buffer.from(await res.arrayBuffer());
  let body: any = null;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    /* binary */
  }
  return { status: res.status, body, raw };
}

test(
  'crash: kill -9 during a stream of turns, 22 times; every ' +
    'acknowledged turn survives, nothing half-written, ids never reused',
  async () => {
    const fx = await makeFixtures();
    let srv = await start();
    try {
      const status = (await call(`${srv.url}/api/v1/status`)).body;
      if (!status?.store?.durable) {
        console.warn(
          'skipped:',
          `the server reports no durable store (GET /api/v1/status → store: ` +
            `${JSON.stringify(status?.store ?? null)}); wire SqliteStores into services.ts`,
        );
        return;
      }
      const a = await call(`${srv.url}/api/v1/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom' },
        body: readFileSync(fx.paths.explicit!),
      });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      const analysis = a.body;
      const maskUrl = `${srv.url.replace(/:\d+$/, ':PORT')}/api/v1/analyses/${analysis.id}/masks/lungs.png`;
      const mask0 = await call(maskUrl.replace(':PORT', `:${new URL(srv.url).port}`));
      const maskSha = createHash('sha256').update(mask0.raw).digest('hex');

      const sessions: string[] = [];
      const turnsAcked = new Map<string, Map<string, unknown>>(); // session → turn id → the 201 body
      const anchorsAcked = new Map<string, Map<string, unknown>>(); // session → anchor id → geometry
      for (let i = 0; i < 3; i++) {
        const s = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: analysis.id } });
        assert.equal(s.status, 201);
        sessions.push(s.body.id);
        turnsAcked.set(s.body.id, new Map());
        anchorsAcked.set(s.body.id, new Map());
        for (const p of [
          [100, 120],
          [300, 360],
        ]) {
          const an = await call(`${srv.url}/api/v1/sessions/${s.body.id}/anchors`, {
            method: 'POST',
            json: { geometry: { type: 'point', point: p } },
          });
          assert.equal(an.status, 201);
          anchorsAcked.get(s.body.id)!.set(an.body.id, an.body.geometry);
        }
      }

      const r = rng(0x5eed);
      let acked = 0,
        inFlightLost = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Stream until the kill: each session sends turns (and now and then an anchor) one after another.
        let killed = false;
        const streams = sessions.map(async (sid, k) => {
          let n = round + k;
          while (!killed) {
            const anchorOp = n % 5 === 4;
            try {
              if (anchorOp) {
                const res = await call(`${srv.url}/api/v1/sessions/${sid}/anchors`, {
                  method: 'POST',
                  json: {
                    geometry: { type: 'ellipse', center: [200 + (n % 50), 220], radii: [30, 20], rotationDeg: 0 },
                  },
                });
                if (res.status === 201) {
                  anchorsAcked.get(sid)!.set(res.body.id, res.body.geometry);
                  acked++;
                } else assert.fail(`anchor → ${res.status} ${JSON.stringify(res.body)}`);
              } else {
                const res = await call(`${srv.url}/api/v1/sessions/${sid}/turns`, {
                  method: 'POST',
                  json: { text: QUESTIONS[n % QUESTIONS.length] },
                });
                if (res.status === 201) {
                  const prev = turnsAcked.get(sid)!.get(res.body.id);
                  assert.equal(prev, undefined, `turn id ${res.body.id} reused in ${sid}`);
                  turnsAcked.get(sid)!.set(res.body.id, res.body);
                  acked++;
                } else assert.fail(`turn → ${res.status} ${JSON.stringify(res.body)}`);
              }
            } catch (e) {
              if (killed || (e as Error).name !== 'AssertionError') {
                inFlightLost++;
                return;
              }
              throw e;
            }
            n++;
          }
        });
        await new Promise((res) => setTimeout(res, 80 + Math.floor(r() * 900)));
        killed = true;
        await kill9(srv);
        await Promise.all(streams);
        srv = await start();

        // Verify after the restart.
        const an = await call(`${srv.url}/api/v1/analyses/${analysis.id}`);
        assert.equal(an.status, 200, `analysis after restart ${round}`);
        assert.equal(an.body.image.pixelDataSha256, analysis.image.pixelDataSha256);
        const m = await call(`${srv.url}/api/v1/analyses/${analysis.id}/masks/lungs.png`);
        assert.equal(m.status, mask0.status);
        assert.equal(createHash('sha256').update(m.raw).digest('hex'), maskSha, 'same mask bytes after restart');
        for (const sid of sessions) {
          const s = await call(`${srv.url}/api/v1/sessions/${sid}`);
          assert.equal(s.status, 200, `session ${sid} after restart ${round}`);
          const turns = s.body.turns as { id: string; index: number; createdAnchorIds: string[] }[];
          assert.deepEqual(
            turns.map((x) => x.id),
            turns.map((_, i) => `T${i + 1}`),
            'turns T1…Tn, no gap, no duplicate',
          );
          const byId = new Map(turns.map((x) => [x.id, x]));
          for (const [id, body] of turnsAcked.get(sid)!)
            assert.deepEqual(byId.get(id), body, `acknowledged ${sid} ${id} is there, identical`);
          // A turn that was committed but not acknowledged (in flight at the kill) is whole too; from
          // now on it is part of the record, so its id may not be reused.
          for (const x of turns) if (!turnsAcked.get(sid)!.has(x.id)) turnsAcked.get(sid)!.set(x.id, x);
          const anchors = new Map((s.body.anchors as { id: string; geometry: unknown }[]).map((x) => [x.id, x]));
          assert.equal(anchors.size, s.body.anchors.length, 'anchor ids unique');
          for (const [id, g] of anchorsAcked.get(sid)!)
            assert.deepEqual(anchors.get(id)?.geometry, g, `acknowledged anchor ${sid} ${id}`);
          for (const [id, x] of anchors)
            if (!anchorsAcked.get(sid)!.has(id)) anchorsAcked.get(sid)!.set(id, x.geometry);
          for (const x of turns)
            for (const c of x.createdAnchorIds) assert.ok(anchors.has(c), `${x.id} created ${c}, which must exist`);
          const ann = (s.body.annotations as { id: string }[]).map((x) => x.id);
          assert.equal(new Set(ann).size, ann.length, 'annotation ids unique');
        }
      }
      const total = [...turnsAcked.values()].reduce((n, m) => n + m.size, 0);
      console.log(
        `# crash: ${ROUNDS} kill -9 rounds, ${acked} acknowledged writes, ` +
          `${inFlightLost} requests cut by the kill, ${total} turns on record`,
      );
      assert.ok(acked >= ROUNDS, 'the stream made progress');
    } finally {
      await kill9(srv);
    }
  },
  600_000,
);
