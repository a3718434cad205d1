import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { auditLog, tokenIdOf } from '../../../server/src/http/audit';
import { sha256Hex } from '../../../server/src/config';
import { identifyToken } from '../../../server/src/http/security';
import { chestDataset, SENTINEL_NAME, SENTINEL_TOKEN, writePart10 } from '../../support/dicomFixtures';

const TOKEN = 'audit-test-token-0123456789';
const UID = '1.2.826.0.1.3680043.8.498.77777';

test(
  'audit: one JSON line per request, route templates and ' +
    'server ids only; no patient data, UID or token; daily files',
  async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-audit-'));
    let day = new Date('2026-11-27T23:59:59.500Z');
    const audit = auditLog(dataDir, { modelVersions: () => ['cxr-anatomy@1'], now: () => day, flushMs: 50 });
    const app = express();
    app.use(audit);
    app.use(identifyToken([{ name: 'dr.wang', sha256: sha256Hex(TOKEN) }]));
    const api = express.Router();
    api.post('/analyses', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        assert.ok(body.includes(Buffer.from(SENTINEL_NAME)), 'the upload carries the sentinel');
        res.locals.logIds = {
          analysisId: 'an_abcdefghij0123456',
          pixelDataSha256: 'a'.repeat(64),
          // Things a route must never log; the audit drops them whatever a route puts here.
          patientName: SENTINEL_NAME,
          studyInstanceUID: UID,
          sessionId: `ss_${SENTINEL_TOKEN}`,
        };
        res.status(201).json({ id: 'an_abcdefghij0123456', patientName: SENTINEL_NAME, studyInstanceUID: UID });
      });
    });
    api.post('/sessions/:id/turns', (req, res) => {
      res.locals.logIds = {
        sessionId: req.params.id,
        turnId: 'T3',
        intent: 'distance',
        models: ['cxr-anatomy@1', `x@${SENTINEL_NAME}`],
      };
      res.status(201).json({ text: SENTINEL_NAME });
    });
    api.get('/sessions/:id', (_req, res) => {
      res.json({});
    });
    app.use('/api/v1', api);
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dicom = writePart10(chestDataset({ width: 64, height: 64 }));
      let r = await fetch(`${base}/api/v1/analyses?studyInstanceUID=${UID}&note=${SENTINEL_TOKEN}`, {
        method: 'POST',
        body: dicom,
        headers: { 'content-type': 'application/dicom', authorization: `Bearer ${TOKEN}`, 'x-note': SENTINEL_NAME },
      });
      assert.equal(r.status, 201);
      await r.text();
      day = new Date('2026-11-28T00:00:00.100Z');
      r = await fetch(`${base}/api/v1/sessions/ss_abcdefghij0123456/turns`, {
        method: 'POST',
        headers: { authorization: 'Bearer wrong-token-zzzzzzzz' },
      });
      await r.text();
      r = await fetch(`${base}/api/v1/sessions/ss_qwertyuiop0123456?uid=${UID}`);
      await r.text();
      r = await fetch(`${base}/api/v1/studies/${UID}/nothing`);
      await r.text();
      await new Promise((res) => setTimeout(res, 20));
      await audit.close();

      const files = readdirSync(path.join(dataDir, 'audit')).sort();
      assert.deepEqual(files, ['audit-2026-11-27.jsonl', 'audit-2026-11-28.jsonl']);
      const text = files.map((f) => readFileSync(path.join(dataDir, 'audit', f), 'utf8')).join('');
      for (const bad of [SENTINEL_NAME, SENTINEL_TOKEN, UID, TOKEN, 'patientName', 'studyInstanceUID'])
        assert.ok(!text.includes(bad), `audit must not contain ${bad}`);
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.equal(lines.length, 4);
      const [post, turn, get, unknown] = lines;
      assert.equal(post.route, '/api/v1/analyses');
      assert.equal(post.method, 'POST');
      assert.equal(post.status, 201);
      assert.equal(post.analysisId, 'an_abcdefghij0123456');
      assert.equal(post.pixelDataSha256, 'a'.repeat(64));
      assert.equal(post.sessionId, null);
      assert.equal(post.tokenId, tokenIdOf(TOKEN));
      assert.equal(post.tokenName, 'dr.wang');
      assert.deepEqual(post.models, ['cxr-anatomy@1']);
      assert.equal(typeof post.durationMs, 'number');
      assert.equal(post.time, '2026-11-27T23:59:59.500Z');
      assert.equal(turn.route, '/api/v1/sessions/:id/turns');
      assert.equal(turn.sessionId, 'ss_abcdefghij0123456');
      assert.equal(turn.turnId, 'T3');
      assert.equal(turn.intent, 'distance');
      assert.equal(turn.tokenId, null, 'a wrong token gets no token id');
      assert.equal(turn.tokenName, null);
      assert.deepEqual(turn.models, ['cxr-anatomy@1']);
      assert.equal(get.route, '/api/v1/sessions/:id');
      assert.equal(get.sessionId, 'ss_qwertyuiop0123456');
      assert.equal(unknown.route, '/api/*');
      assert.equal(unknown.status, 404);
    } finally {
      server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test('audit: lines buffered before a crash-like exit are written synchronously on exit', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-audit-x-'));
  try {
    const { spawnSync } = await import('node:child_process');
    const script = `
      const { auditLog } = require(${JSON.stringify(path.resolve(__dirname, '../../../server/src/http/audit.ts'))});
      const a = auditLog(${JSON.stringify(dataDir)}, { flushMs: 60000 });
      const { EventEmitter } = require('node:events');
      for (let i = 0; i < 3; i++) {
        const res = new EventEmitter();
        res.locals = { logIds: { sessionId: 'ss_abcdefghij012345' + i } };
        res.statusCode = 200;
        const req = { method: 'GET', path: '/api/v1/sessions/x', originalUrl: '/api/v1/sessions/x', baseUrl: '' };
        a({ ...req, headers: {} }, res, () => {});
        res.emit('finish');
      }
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(path.join(dataDir, 'audit'));
    assert.equal(files.length, 1);
    assert.equal(
      readFileSync(path.join(dataDir, 'audit', files[0]!), 'utf8')
        .trim()
        .split('\n').length,
      3,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
