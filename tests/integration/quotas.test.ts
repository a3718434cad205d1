/**
 * Issue 11.5 and 11.6: the analysis slot and body budget are reserved before a body is read, live
 * analyses are capped, POST /api/v1/analyses is rate limited per client, and /api/v1/status says so.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../support/server';
import { makeChestPng } from '../support/dicomFixtures';
import { hugePng } from '../support/bombs';

const noModels = () => mkdtempSync(path.join(tmpdir(), 'cxr-no-models-'));
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ MODELS_DIR: noModels(), ...env });
  servers.push(s);
  return s;
}
const postPng = (url: string, png: Buffer) =>
  call(`${url}/api/v1/analyses`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });

/** Starts an upload declaring `length` bytes and sends only `first` of them; resolves on the response. */
function partialUpload(
  url: string,
  length: number,
  first: Buffer,
): { response: Promise<{ status: number; retryAfter: string | undefined; body: string }>; req: http.ClientRequest } {
  const u = new URL(`${url}/api/v1/analyses`);
  const req = http.request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/dicom', 'content-length': String(length) },
  });
  const response = new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body }),
      );
    });
    req.on('error', reject);
  });
  req.write(first);
  return { response, req };
}

describe('slot and body budget are reserved before the body is read (11.6)', () => {
  test(
    '8 concurrent 30 MB uploads: 2 admitted, 6 refused with 503 ' +
      'busy + Retry-After before sending their bodies; RSS stays flat',
    async () => {
      const srv = await start({
        MAX_BODY_BYTES: String(32 * 1024 * 1024),
        MAX_CONCURRENT_ANALYSES: '2',
        RATE_LIMIT_ANALYSES_PER_MIN: '1000',
      });
      const rss0 = process.memoryUsage().rss;
      const length = 30 * 1024 * 1024;
      const uploads = Array.from({ length: 8 }, () => partialUpload(srv.url, length, Buffer.alloc(64 * 1024)));
      const settled = await Promise.all(
        uploads.map((u) => Promise.race([u.response, new Promise<null>((r) => setTimeout(() => r(null), 1500))])),
      );
      const refused = settled.filter((r) => r !== null);
      assert.equal(refused.length, 6, `refused: ${refused.length}`);
      for (const r of refused) {
        assert.equal(r!.status, 503);
        assert.equal(JSON.parse(r!.body).error.code, 'busy');
        assert.ok(Number(r!.retryAfter) >= 1, 'Retry-After header');
      }
      const growthMb = (process.memoryUsage().rss - rss0) / 1024 / 1024;
      assert.ok(growthMb < 100, `RSS grew by ${growthMb.toFixed(0)} MB with 8 × 30 MB uploads in flight`);
      // the two admitted clients hang up: their slots are freed and a new upload is admitted
      for (const u of uploads) u.req.destroy();
      await new Promise((r) => setTimeout(r, 200));
      const ok = await postPng(srv.url, await makeChestPng(128, 128));
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    },
  );

  test('a declared body over MAX_BODY_BYTES is refused with 413 before any budget is taken', async () => {
    const srv = await start({ MAX_BODY_BYTES: String(1024 * 1024), RATE_LIMIT_ANALYSES_PER_MIN: '1000' });
    const u = partialUpload(srv.url, 2 * 1024 * 1024, Buffer.alloc(1024));
    const r = await u.response;
    u.req.destroy();
    assert.equal(r.status, 413);
  });

  test('a body that does not arrive within ANALYSIS_TIMEOUT_MS gets 400 body_timeout and frees its slot', async () => {
    const srv = await start({
      ANALYSIS_TIMEOUT_MS: '400',
      MAX_CONCURRENT_ANALYSES: '1',
      RATE_LIMIT_ANALYSES_PER_MIN: '1000',
    });
    const slow = partialUpload(srv.url, 1024 * 1024, Buffer.alloc(1024));
    const r = await slow.response;
    slow.req.destroy();
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).error.details.reason, 'body_timeout');
    const ok = await postPng(srv.url, await makeChestPng(128, 128));
    assert.equal(ok.status, 201);
  });
});

describe('quotas (11.5)', () => {
  test(
    'per-client rate limit: RATE_LIMIT_ANALYSES_PER_MIN=3 ' + '→ the 4th POST in a minute gets 429 with Retry-After',
    async () => {
      const srv = await start({ RATE_LIMIT_ANALYSES_PER_MIN: '3' });
      const png = await makeChestPng(128, 128);
      for (let i = 0; i < 3; i++) assert.equal((await postPng(srv.url, png)).status, 201);
      const r = await postPng(srv.url, png);
      assert.equal(r.status, 429);
      assert.equal(r.body.error.code, 'limit_exceeded');
      assert.equal(r.body.error.details.resource, 'analyses_per_minute');
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    },
  );

  test('MAX_ANALYSES caps live analyses; deleting one makes room', async () => {
    const srv = await start({ MAX_ANALYSES: '2', RATE_LIMIT_ANALYSES_PER_MIN: '1000' });
    const png = await makeChestPng(128, 128);
    const a = await postPng(srv.url, png);
    assert.equal(a.status, 201);
    assert.equal((await postPng(srv.url, png)).status, 201);
    const r = await postPng(srv.url, png);
    assert.equal(r.status, 429);
    assert.equal(r.body.error.details.resource, 'analyses');
    assert.equal((await call(`${srv.url}/api/v1/analyses/${a.body.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await postPng(srv.url, png)).status, 201);
  });

  test('GET /api/v1/status reports the quotas', async () => {
    const srv = await start({
      CACHE_MAX_BYTES: String(512 * 1024 * 1024),
      MAX_ANALYSES: '77',
      RATE_LIMIT_ANALYSES_PER_MIN: '9',
      MAX_INFLIGHT_BODY_BYTES: String(100 * 1024 * 1024),
    });
    const s = await call(`${srv.url}/api/v1/status`);
    assert.equal(s.status, 200);
    const l = s.body.limits;
    assert.equal(l.cacheMaxBytes, 512 * 1024 * 1024);
    assert.equal(l.maxAnalyses, 77);
    assert.equal(l.rateLimitAnalysesPerMin, 9);
    assert.equal(l.maxInflightBodyBytes, 100 * 1024 * 1024);
    assert.equal(typeof l.maxDisplaySide, 'number');
  });
});

describe('bounded display frame (11.5)', () => {
  test(
    'a 7000² PNG is analysed at full size but cached as a frame of at ' +
      'most 2048² (MAX_DISPLAY_SIDE); a refinement on it still works',
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'cxr-data-'));
      const srv = await start({ DATA_DIR: dataDir, RATE_LIMIT_ANALYSES_PER_MIN: '1000', ANALYSIS_TIMEOUT_MS: '60000' });
      const png = await hugePng(7000);
      assert.ok(png.length < 200 * 1024, `${png.length} bytes`);
      const r = await call(`${srv.url}/api/v1/analyses?pixelSpacingMm=0.1,0.1`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: png,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual([r.body.image.rows, r.body.image.columns], [7000, 7000]);
      const cached = readdirSync(path.join(dataDir, 'cache'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.v8'));
      assert.equal(cached.length, 1);
      const bytes = statSync(path.join(dataDir, 'cache', cached[0]!)).size;
      assert.ok(bytes <= 2048 * 2048 * 4 + 1024 * 1024, `cache file ${(bytes / 1e6).toFixed(1)} MB (it was 199 MB)`);
      const s = await call(`${srv.url}/api/v1/sessions`, {
        method: 'POST',
        json: { analysisId: r.body.id, language: 'en' },
      });
      assert.equal(s.status, 201);
      const e = await call(`${srv.url}/api/v1/sessions/${s.body.id}/anchors`, {
        method: 'POST',
        json: { geometry: { type: 'ellipse', center: [3500, 3500], radii: [300, 200], rotationDeg: 0 } },
      });
      assert.equal(e.status, 201);
      const t = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
        method: 'POST',
        json: { text: 'Is its margin regular?' },
      });
      assert.equal(t.status, 201, JSON.stringify(t.body).slice(0, 300));
      assert.equal(t.body.understanding.intent, 'margin');
      assert.ok(t.body.createdAnchorIds.length >= 1, 'a refinement anchor was created');
      const got = await call(`${srv.url}/api/v1/sessions/${s.body.id}`);
      const refined = got.body.anchors.find((a: any) => a.kind === 'refinement');
      assert.ok(refined, 'refinement anchor');
      // the refined outline is in image px around the drawn ellipse, not in the stored frame's px
      assert.ok(
        Math.hypot(refined.center[0] - 3500, refined.center[1] - 3500) < 400,
        `refined centre ${refined.center}`,
      );
    },
  );
});
