/**
 * Issue 11 over HTTP on the real server: per-client session quotas (item 7), labels stripped of bidi
 * and markup characters in anchors, the text report and the SR, and bounded numbers in requests
 * (item 12), and DATA_DIR content readable by its owner only (item 13).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../server/src/config';
import { call, startTestServer, type TestServer } from '../support/server';
import { chestDataset, writePart10 } from '../support/dicomFixtures';

const ROOT = path.resolve(__dirname, '../..');

const ALICE = 'alice-token-quota-0123456789';
const MALLORY = 'mallory-token-quota-0123456789';

describe('per-client session quotas (issue 11.7)', () => {
  let srv: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cxr-quota-'));
    writeFileSync(
      path.join(dir, 'tokens.json'),
      JSON.stringify({ alice: sha256Hex(ALICE), mallory: sha256Hex(MALLORY) }),
    );
    srv = await startTestServer({
      AUTH_TOKENS_FILE: path.join(dir, 'tokens.json'),
      MODELS_DIR: path.join(dir, 'no-models'),
      MAX_SESSIONS: '4',
      MAX_SESSIONS_PER_CLIENT: '2',
      SESSION_IDLE_SECONDS: '600',
    });
  });
  afterAll(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'one token cannot take every session: it gets 429 maxSessionsPerClient, ' +
      'another token still gets one; status shows the quotas',
    async () => {
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      const a = await call(`${srv.url}/api/v1/analyses`, {
        method: 'POST',
        headers: { ...as(MALLORY), 'content-type': 'application/dicom' },
        body: writePart10(chestDataset({ width: 128, height: 128 })),
      });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      const open = (token: string) =>
        call(`${srv.url}/api/v1/sessions`, { method: 'POST', headers: as(token), json: { analysisId: a.body.id } });
      assert.equal((await open(MALLORY)).status, 201);
      assert.equal((await open(MALLORY)).status, 201);
      for (let i = 0; i < 5; i++) {
        const r = await open(MALLORY);
        assert.equal(r.status, 429);
        assert.equal(r.body.error.code, 'limit_exceeded');
        assert.equal(r.body.error.details.limit, 'maxSessionsPerClient');
      }
      assert.equal((await open(ALICE)).status, 201, 'another client is not locked out');
      const status = await call(`${srv.url}/api/v1/status`);
      assert.equal(status.body.limits.maxSessionsPerClient, 2);
      assert.equal(status.body.limits.sessionIdleSeconds, 600);
    },
  );
});

describe('labels and numbers (issue 11.12)', () => {
  let srv: TestServer;
  let sid: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cxr-labels-'));
    srv = await startTestServer({ MODELS_DIR: dir });
    const a = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/dicom' },
      body: writePart10(chestDataset({ width: 256, height: 256 })),
    });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const s = await call(`${srv.url}/api/v1/sessions`, {
      method: 'POST',
      json: { analysisId: a.body.id, language: 'en' },
    });
    sid = s.body.id;
  });
  afterAll(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

  test(
    'bidi overrides, controls and markup are stripped from ' + 'labels in the anchor, the text report and the SR',
    async () => {
      const evil = 'benign\u202E\u2066gpj.exe\u2069<script>alert(1)</script>\u200F\u061C\r\nline2\\second';
      const r = await call(`${srv.url}/api/v1/sessions/${sid}/anchors`, {
        method: 'POST',
        json: { geometry: { type: 'ellipse', center: [128, 128], radii: [20, 10] }, label: evil },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.label.en, `${r.body.id} benigngpj.exescriptalert(1)/script line2second`);
      assert.doesNotMatch(JSON.stringify(r.body), /\\u202e|<script/i);
      const text = await fetch(`${srv.url}/api/v1/sessions/${sid}/report?format=text&lang=en`).then((x) => x.text());
      assert.match(text, new RegExp(`${r.body.id}\\b`), 'the anchor is in the text report');
      assert.doesNotMatch(text, BIDI);
      assert.doesNotMatch(text, /<script/);
      const sr = Buffer.from(
        new Uint8Array(
          await (await fetch(`${srv.url}/api/v1/sessions/${sid}/report?format=dicom-sr&lang=en`)).arrayBuffer(),
        ),
      );
      const srText = sr.toString('utf8');
      assert.ok(srText.includes('benigngpj.exe'), 'the label is in the SR');
      assert.doesNotMatch(srText, BIDI);
      assert.doesNotMatch(srText, /<script|line2\\second/);
    },
  );

  test('every number is bounded: huge or out-of-image radii, coordinates, rotation and frame get 400', async () => {
    const post = (geometry: unknown) =>
      call(`${srv.url}/api/v1/sessions/${sid}/anchors`, { method: 'POST', json: { geometry } });
    const bad: unknown[] = [
      { type: 'ellipse', center: [128, 128], radii: [1e308, 1e308] },
      { type: 'ellipse', center: [128, 128], radii: [257, 10] },
      { type: 'ellipse', center: [128, 128], radii: [10, 10], rotationDeg: 1e12 },
      { type: 'ellipse', center: [1e300, 128], radii: [10, 10] },
      { type: 'point', point: [-1e9, 5] },
      {
        type: 'polygon',
        points: [
          [0, 0],
          [1e200, 0],
          [0, 1e200],
        ],
      },
    ];
    for (const g of bad) {
      const r = await post(g);
      assert.equal(r.status, 400, JSON.stringify(g));
      assert.equal(r.body.error.code, 'invalid_request');
    }
    const ok = await post({ type: 'ellipse', center: [128, 128], radii: [256, 40], rotationDeg: -30 });
    assert.equal(ok.status, 201);
    assert.ok(
      ok.body.measurements.every((m: { value: number }) => Number.isFinite(m.value)),
      'no Infinity in measurements',
    );
    const focus = await call(`${srv.url}/api/v1/sessions/${sid}/turns`, {
      method: 'POST',
      json: { text: 'where is this?', focus: { point: [1e308, 0] } },
    });
    assert.equal(focus.status, 400);
    const frame = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      json: { dicomweb: { studyInstanceUID: '1.2', seriesInstanceUID: '1.3', sopInstanceUID: '1.4', frame: 1e20 } },
    });
    assert.equal(frame.status, 400);
    assert.equal(frame.body.error.code, 'invalid_request');
  });
});

/** Every file and folder under `dir` whose mode lets group or others in, as "path mode". */
function openToOthers(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if ((st.mode & 0o077) !== 0) out.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(path.join(p, f));
  };
  walk(dir);
  return out;
}

describe("DATA_DIR content is its owner's only (issue 11.13)", () => {
  test(
    'explicit modes: the database with its -wal/-shm and the ' +
      'audit files are 0600, their folders 0700, whatever the umask',
    async () => {
      const old = process.umask(0o022);
      const root = mkdtempSync(path.join(tmpdir(), 'cxr-modes-'));
      const dataDir = path.join(root, 'data');
      try {
        const srv = await startTestServer({ DATA_DIR: dataDir, MODELS_DIR: root });
        const a = await call(`${srv.url}/api/v1/analyses`, {
          method: 'POST',
          headers: { 'content-type': 'application/dicom' },
          body: writePart10(chestDataset({ width: 64, height: 64 })),
        });
        assert.equal(a.status, 201);
        assert.equal(
          (await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: a.body.id } })).status,
          201,
        );
        const files = ['cxr.sqlite', 'cxr.sqlite-wal', 'cxr.sqlite-shm'].map((f) => path.join(dataDir, f));
        for (const f of files) assert.equal(statSync(f).mode & 0o777, 0o600, f);
        await srv.close();
        assert.equal(statSync(dataDir).mode & 0o777, 0o700);
        assert.equal(statSync(path.join(dataDir, 'audit')).mode & 0o777, 0o700);
        for (const f of readdirSync(path.join(dataDir, 'audit')))
          assert.equal(statSync(path.join(dataDir, 'audit', f)).mode & 0o777, 0o600, f);
      } finally {
        process.umask(old);
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  test(
    'npm start (server/src/main.ts) sets umask 077: nothing ' +
      'in DATA_DIR, cache included, is open to group or others',
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'cxr-umask-'));
      const dataDir = path.join(root, 'data');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MODELS_DIR: root, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 60_000);
          child.stdout!.on('data', (d) => {
            out += d;
            const m = /listening on (http:\/\/\S+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          });
          child.stderr!.on('data', (d) => {
            out += d;
          });
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`exited ${code}: ${out}`));
          });
        });
        const a = await call(`${url}/api/v1/analyses`, {
          method: 'POST',
          headers: { 'content-type': 'application/dicom' },
          body: writePart10(chestDataset({ width: 64, height: 64 })),
        });
        assert.equal(a.status, 201);
        assert.equal(
          (await call(`${url}/api/v1/sessions`, { method: 'POST', json: { analysisId: a.body.id } })).status,
          201,
        );
        await new Promise((r) => setTimeout(r, 400)); // the audit flushes every 200 ms
        assert.ok(readdirSync(dataDir).includes('cache'), 'the pixel cache was written');
        assert.deepEqual(openToOthers(dataDir), []);
      } finally {
        const exited = new Promise((r) => child.once('exit', r));
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
