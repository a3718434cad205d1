import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestServer } from '../support/server';

let srv: TestServer;
const TOKEN = 'test-token-0123456789abcdef';
before(async () => { srv = await startTestServer({ AUTH_TOKEN: TOKEN, CORS_ORIGINS: 'http://viewer.example:8080' }); });
after(async () => { await srv.close(); });

test('with AUTH_TOKEN, the API needs the bearer token; status stays open and shows no secret', async () => {
  const open = await call(`${srv.url}/api/v1/status`);
  assert.equal(open.status, 200);
  assert.equal(open.body.auth.required, true);
  assert.ok(!JSON.stringify(open.body).includes(TOKEN));
  const denied = await call(`${srv.url}/api/v1/ontology/checklists`);
  assert.equal(denied.status, 401);
  assert.equal(denied.body.error.code, 'unauthorized');
  const wrong = await call(`${srv.url}/api/v1/ontology/checklists`, { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const ok = await call(`${srv.url}/api/v1/ontology/checklists`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
});

test('CORS: allow-listed origin gets headers, others 403', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const good = await call(`${srv.url}/api/v1/status`, { headers: { origin: 'http://viewer.example:8080' } });
  assert.equal(good.headers.get('access-control-allow-origin'), 'http://viewer.example:8080');
  const bad = await call(`${srv.url}/api/v1/status`, { headers: { ...auth, origin: 'http://evil.example' } });
  assert.equal(bad.status, 403);
  assert.equal(bad.body.error.code, 'origin_not_allowed');
});

test('helmet headers are set', async () => {
  const r = await call(`${srv.url}/api/v1/status`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(r.headers.get('content-security-policy'));
  assert.equal(r.headers.get('x-powered-by'), null);
});

test('browser sign-in: ?access_token sets an HttpOnly cookie that then authorises the API', async () => {
  const res = await fetch(`${srv.url}/cxr?StudyInstanceUIDs=1.2.3&access_token=${TOKEN}`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/cxr?StudyInstanceUIDs=1.2.3');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /cxr_token=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const ok = await call(`${srv.url}/api/v1/ontology/checklists`, { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(ok.status, 200);
  const wrong = await fetch(`${srv.url}/?access_token=wrong-token-xxxxxxxxxx`, { redirect: 'manual' });
  assert.equal(wrong.headers.get('set-cookie'), null);
  const proxy = await call(`${srv.url}/dicom-web/studies`);
  assert.equal(proxy.status, 401);
});
