import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../server/src/config';
import { call, startTestServer, type TestServer } from '../support/server';

let srv: TestServer;
const TOKEN = 'test-token-0123456789abcdef';
beforeAll(async () => {
  srv = await startTestServer({ AUTH_TOKEN: TOKEN, CORS_ORIGINS: 'http://viewer.example:8080' });
});
afterAll(async () => {
  await srv.close();
});

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

/** One request sent as given: fetch would not let us set Host, nor keep a path like `/.//x`. */
function raw(
  base: string,
  method: string,
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DNS rebinding: Host allowlist (issue 11.2)', () => {
  test(
    'a foreign Host gets 421 before any route, with or without ' +
      'a valid token; Origin == Host is no longer same-origin',
    async () => {
      const port = new URL(srv.url).port;
      for (const p of [
        '/api/v1/status',
        '/api/v1/ontology/checklists',
        '/dicom-web/studies',
        '/',
        `/?access_token=${TOKEN}`,
      ]) {
        const variants: Record<string, string>[] = [
          {},
          { authorization: `Bearer ${TOKEN}` },
          { origin: `http://attacker.example:${port}` },
        ];
        for (const headers of variants) {
          const r = await raw(srv.url, 'GET', p, { ...headers, host: `attacker.example:${port}` });
          assert.equal(r.status, 421, `${p} ${JSON.stringify(headers)}`);
          assert.equal(r.body.error.code, 'misdirected_request');
          assert.equal(r.headers['set-cookie'], undefined, 'no sign-in cookie for a rebound name');
        }
      }
      for (const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `LOCALHOST:${port}`,
        `[::1]:${port}`,
        '127.0.0.1',
      ]) {
        const r = await raw(srv.url, 'GET', '/api/v1/status', { host });
        assert.equal(r.status, 200, host);
      }
      for (const host of [
        'attacker.example',
        '127.0.0.1.attacker.example',
        'localhost.attacker.example',
        'localhost@attacker.example',
        '0x7f.1',
      ]) {
        const r = await raw(srv.url, 'GET', '/api/v1/status', { host });
        assert.equal(r.status, 421, host);
      }
      const sameOrigin = await raw(srv.url, 'GET', '/api/v1/ontology/checklists', {
        host: `127.0.0.1:${port}`,
        origin: `http://127.0.0.1:${port}`,
        authorization: `Bearer ${TOKEN}`,
      });
      assert.equal(sameOrigin.status, 200, 'a real same-origin request still works');
    },
  );

  test('without AUTH_TOKEN too; ALLOWED_HOSTS adds public names (with or without a port)', async () => {
    const open = await startTestServer({ ALLOWED_HOSTS: 'cxr.hospital.example, viewer.hospital.example:8443' });
    try {
      assert.equal((await raw(open.url, 'GET', '/api/v1/status', { host: 'attacker.example' })).status, 421);
      assert.equal(
        (await raw(open.url, 'GET', '/api/v1/ontology/checklists', { host: 'attacker.example' })).status,
        421,
      );
      assert.equal((await raw(open.url, 'GET', '/api/v1/status', { host: 'cxr.hospital.example' })).status, 200);
      assert.equal((await raw(open.url, 'GET', '/api/v1/status', { host: 'cxr.hospital.example:3000' })).status, 200);
      assert.equal(
        (await raw(open.url, 'GET', '/api/v1/status', { host: 'viewer.hospital.example:8443' })).status,
        200,
      );
      assert.equal(
        (await raw(open.url, 'GET', '/api/v1/status', { host: 'viewer.hospital.example:8444' })).status,
        421,
      );
      assert.equal((await raw(open.url, 'GET', '/api/v1/status', { host: 'viewer.hospital.example' })).status, 421);
    } finally {
      await open.close();
    }
  });
});

test('a malformed sign-in cookie (cxr_token=%) is a 401, not a 500 (issue 11.8)', async () => {
  for (const cookie of ['cxr_token=%', 'cxr_token=%E0%A4%A', 'cxr_token=%zz; other=1']) {
    for (const p of ['/api/v1/ontology/checklists', '/dicom-web/studies']) {
      const r = await call(`${srv.url}${p}`, { headers: { cookie } });
      assert.equal(r.status, 401, `${cookie} ${p}`);
      assert.equal(r.body.error.code, 'unauthorized');
    }
  }
});

test('sign-in redirects only to a path on our origin (issue 11.11)', async () => {
  const cases: [string, string][] = [
    [`/.//evil.example/?access_token=${TOKEN}`, '/evil.example/'],
    [`//evil.example/?access_token=${TOKEN}`, '/evil.example/'],
    [`/\\evil.example/?access_token=${TOKEN}`, '/evil.example/'],
    [`/.%2f/evil.example/?access_token=${TOKEN}`, '/.%2f/evil.example/'],
    [`/./\\/evil.example/x?a=1&access_token=${TOKEN}`, '/evil.example/x?a=1'],
    [`/cxr/../..//evil.example?access_token=${TOKEN}`, '/evil.example'],
    [`/cxr?StudyInstanceUIDs=1.2.3&access_token=${TOKEN}`, '/cxr?StudyInstanceUIDs=1.2.3'],
  ];
  for (const [p, want] of cases) {
    const r = await raw(srv.url, 'GET', p);
    assert.equal(r.status, 303, p);
    const location = String(r.headers.location);
    assert.equal(location, want, p);
    assert.ok(/^\/(?![/\\])/.test(location), `${p} → ${location} stays on our origin`);
    assert.equal(new URL(location, 'http://ours.example').host, 'ours.example');
  }
});

test(
  'the sign-in cookie has a Max-Age, and Secure only over TLS ' +
    '(X-Forwarded-Proto only with TRUST_PROXY) (issue 11.10)',
  async () => {
    const plain = await raw(srv.url, 'GET', `/?access_token=${TOKEN}`, { 'x-forwarded-proto': 'https' });
    const c1 = String(plain.headers['set-cookie']);
    assert.match(c1, /Max-Age=43200/);
    assert.doesNotMatch(c1, /Secure/, 'X-Forwarded-Proto from an untrusted client changes nothing');
    const proxied = await startTestServer({ AUTH_TOKEN: TOKEN, TRUST_PROXY: '1' });
    try {
      const tls = await raw(proxied.url, 'GET', `/?access_token=${TOKEN}`, { 'x-forwarded-proto': 'https' });
      const c2 = String(tls.headers['set-cookie']);
      assert.match(c2, /; Secure/);
      assert.match(c2, /HttpOnly/);
      assert.match(c2, /SameSite=Strict/);
      const clear = await raw(proxied.url, 'GET', `/?access_token=${TOKEN}`);
      assert.doesNotMatch(String(clear.headers['set-cookie']), /Secure/);
    } finally {
      await proxied.close();
    }
  },
);

describe(
  'named tokens: AUTH_TOKENS_FILE; the audit names the token, ' + 'also for cookie-authenticated requests (issue 11.9)',
  () => {
    const ALICE = 'alice-token-0123456789abcdef';
    const BOB = 'bob-token-0123456789abcdef';
    test('each token works by Bearer and by cookie; audit lines carry its name, never the token', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cxr-tokens-'));
      const file = path.join(dir, 'tokens');
      writeFileSync(file, `# name:sha256\nalice:${sha256Hex(ALICE)}\nbob:${sha256Hex(BOB).toUpperCase()}\n`);
      const dataDir = path.join(dir, 'data');
      const named = await startTestServer({ AUTH_TOKENS_FILE: file, DATA_DIR: dataDir });
      try {
        assert.equal((await call(`${named.url}/api/v1/status`)).body.auth.required, true);
        assert.equal(
          (await call(`${named.url}/api/v1/ontology/checklists`, { headers: { authorization: `Bearer ${ALICE}` } }))
            .status,
          200,
        );
        const login = await raw(named.url, 'GET', `/?access_token=${BOB}`);
        const cookie = String(login.headers['set-cookie']).split(';')[0];
        assert.equal((await call(`${named.url}/api/v1/ontology/signs`, { headers: { cookie } })).status, 200);
        assert.equal(
          (await call(`${named.url}/dicom-web/studies`, { headers: { cookie } })).status,
          503,
          'cookie passes the proxy auth (no DICOMweb here)',
        );
        assert.equal(
          (
            await call(`${named.url}/api/v1/ontology/lexicon`, {
              headers: { authorization: 'Bearer not-a-known-token-000' },
            })
          ).status,
          401,
        );
      } finally {
        await named.close();
      }
      const auditDir = path.join(dataDir, 'audit');
      const text = readdirSync(auditDir)
        .map((f) => readFileSync(path.join(auditDir, f), 'utf8'))
        .join('');
      for (const secret of [ALICE, BOB, sha256Hex(ALICE), sha256Hex(BOB)])
        assert.ok(!text.includes(secret), 'no token or hash in the audit');
      const lines = text
        .trim()
        .split('\n')
        .map(
          (l) => JSON.parse(l) as { route: string; status: number; tokenName: string | null; tokenId: string | null },
        );
      const by = (route: string, status = 200) => lines.find((l) => l.route === route && l.status === status);
      assert.equal(by('/api/v1/ontology/checklists')?.tokenName, 'alice');
      assert.equal(by('/*', 303)?.tokenName, 'bob', 'the sign-in is named');
      assert.equal(by('/api/v1/ontology/signs')?.tokenName, 'bob', 'cookie-authenticated API call named');
      assert.equal(by('/*', 503)?.tokenName, 'bob', 'cookie-authenticated DICOMweb call named');
      assert.match(String(by('/*', 503)?.tokenId), /^[0-9a-f]{12}$/);
      const denied = lines.find((l) => l.status === 401);
      assert.ok(denied, 'the refused call is audited');
      assert.equal(denied.tokenName, null);
      assert.equal(denied.tokenId, null);
      rmSync(dir, { recursive: true, force: true });
    });
  },
);
