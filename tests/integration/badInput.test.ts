import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { call, startTestServer, type TestServer } from '../support/server';
import { makeFixtures, SENTINEL_TOKEN, type Fixtures } from '../support/dicomFixtures';

let srv: TestServer;
let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
  srv = await startTestServer({ MAX_BODY_BYTES: String(4 * 1024 * 1024) });
});
afterAll(async () => {
  await srv.close();
});

const postDicom = (name: string, type = 'application/dicom') =>
  call(`${srv.url}/api/v1/analyses`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: readFileSync(fx.paths[name]),
  });

/** One row per bad-input class of the quality bar (api.md 1.8). */
const BAD_FILES: { fixture: string; status: number; code: string }[] = [
  { fixture: 'badNoDicm', status: 422, code: 'not_dicom' },
  { fixture: 'badTruncated', status: 422, code: 'truncated_pixel_data' },
  { fixture: 'badNoPixelData', status: 422, code: 'no_pixel_data' },
  { fixture: 'badSizeMismatch', status: 422, code: 'pixel_data_size_mismatch' },
  { fixture: 'badUnsupportedTs', status: 415, code: 'unsupported_transfer_syntax' },
  { fixture: 'badHuge', status: 422, code: 'image_too_large' },
  { fixture: 'badDeep200', status: 422, code: 'nesting_too_deep' },
  { fixture: 'badDeep100k', status: 422, code: 'nesting_too_deep' },
  { fixture: 'badBitsAllocated', status: 422, code: 'unsupported_pixel_format' },
  { fixture: 'badPalette', status: 422, code: 'unsupported_pixel_format' },
];

describe('bad input gets a clear 4xx within 2 s', () => {
  for (const row of BAD_FILES) {
    test(`${row.fixture} → ${row.status} ${row.code}`, async () => {
      const t0 = Date.now();
      const r = await postDicom(row.fixture);
      assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
      assert.equal(r.status, row.status, JSON.stringify(r.body));
      assert.equal(r.body.error.code, row.code);
      assert.equal(typeof r.body.error.message, 'string');
    });
  }

  test('wrong content type → 415', async () => {
    const r = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.code, 'unsupported_media_type');
  });

  test('PNG bytes declared as JPEG → 415 with declared and detected', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const r = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: png,
    });
    assert.equal(r.status, 415);
    assert.equal(r.body.error.details.declared, 'image/jpeg');
    assert.equal(r.body.error.details.detected, 'image/png');
  });

  test('a body over the configured limit → 413', async () => {
    const r = await call(`${srv.url}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/dicom' },
      body: Buffer.alloc(5 * 1024 * 1024),
    });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'payload_too_large');
  });

  test('malformed JSON → 400 malformed_json', async () => {
    const r = await call(`${srv.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"analysisId":',
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.details.reason, 'malformed_json');
  });

  test('unknown analysis, session, anchor, route → 404', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/api/v1/analyses/an_0000000000000000', 'analysis'],
      ['GET', '/api/v1/sessions/ss_0000000000000000', 'session'],
      ['GET', '/api/v1/nothing-here', 'route'],
    ];
    for (const [method, path, resource] of cases) {
      const r = await call(`${srv.url}${path}`, { method });
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error.code, 'not_found');
      assert.equal(r.body.error.details.resource, resource);
    }
    const s0 = await call(`${srv.url}/api/v1/sessions`, {
      method: 'POST',
      json: { analysisId: 'an_0000000000000000' },
    });
    assert.equal(s0.status, 404);
    const ok = await postDicom('explicit');
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const s = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: ok.body.id } });
    const a = await call(`${srv.url}/api/v1/sessions/${s.body.id}/anchors/A99`);
    assert.equal(a.status, 404);
    assert.equal(a.body.error.details.resource, 'anchor');
    const f = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: 'where?', focus: { anchorId: 'A42' } },
    });
    assert.equal(f.status, 404);
    const long = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: 'x'.repeat(1001) },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.details.reason, 'text_too_long');
    const m = await call(`${srv.url}/api/v1/status`, { method: 'DELETE' });
    assert.equal(m.status, 405);
  });
});

describe('privacy', () => {
  test('the sentinel patient name appears in no response, header or log line', async () => {
    const r = await postDicom('explicit');
    assert.equal(r.status, 201);
    const s = await call(`${srv.url}/api/v1/sessions`, { method: 'POST', json: { analysisId: r.body.id } });
    await call(`${srv.url}/api/v1/sessions/${s.body.id}/anchors`, {
      method: 'POST',
      json: { geometry: { type: 'point', point: [10, 10] } },
    });
    const t = await call(`${srv.url}/api/v1/sessions/${s.body.id}/turns`, {
      method: 'POST',
      json: { text: '这个点在哪里?' },
    });
    const everything = JSON.stringify([r.body, s.body, t.body, [...r.headers], [...t.headers]]);
    assert.ok(!everything.includes(SENTINEL_TOKEN));
    for (const name of Object.keys(fx.paths).filter((n) => n.startsWith('bad'))) await postDicom(name);
    assert.ok(srv.logs.length > 10);
    for (const line of srv.logs) {
      assert.ok(!line.includes(SENTINEL_TOKEN), `log line leaks the patient name: ${line}`);
      assert.ok(!line.includes(r.body.image.studyInstanceUID), 'log line carries a Study UID');
    }
  });
});
