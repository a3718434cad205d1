/**
 * The viewer mount and the DICOMweb proxy on their own (no OHIF build, no Orthanc): generated
 * app-config.js, the SPA fallback, 404 for missing bundles, the 503 "not built" page, and the proxy's
 * prefix stripping, Host forwarding, error envelopes and bearer check.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { loadConfig, type Config } from '../../server/src/config';
import { mountDicomwebProxy } from '../../server/src/http/dicomwebProxy';
import { requireToken } from '../../server/src/http/security';
import { mountViewer } from '../../server/src/http/viewer';

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

/** One request with the path sent byte for byte (fetch would normalise dot segments). */
function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function app(config: Config): express.Express {
  const a = express();
  mountDicomwebProxy(a, config, requireToken(config));
  mountViewer(a, config);
  return a;
}

describe('viewer mount and DICOMweb proxy', () => {
  let dir: string;
  let upstream: Awaited<ReturnType<typeof listen>>;
  const seen: { url: string; host: string; method: string; body: string; auth?: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cxr-viewer-'));
    mkdirSync(path.join(dir, 'dist'));
    mkdirSync(path.join(dir, 'plugins'));
    writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>OHIF</title>');
    writeFileSync(path.join(dir, 'dist', 'app.bundle.js'), '// app');
    writeFileSync(path.join(dir, 'plugins', 'cxr-extension.js'), 'export default {}');
    upstream = await listen((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          host: req.headers.host ?? '',
          method: req.method ?? '',
          body,
          auth: req.headers.authorization,
        });
        res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('[]');
      });
    });
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cfg = (env: Record<string, string>) =>
    loadConfig({ VIEWER_DIR: path.join(dir, 'dist'), PLUGINS_DIR: path.join(dir, 'plugins'), ...env }, dir);

  test('with DICOMWEB_URL: dicomweb default source, SPA fallback, plugin 404, proxy', async () => {
    const srv = await listen(app(cfg({ DICOMWEB_URL: `${upstream.url}/dicom-web` })));
    try {
      const conf = await fetch(`${srv.url}/app-config.js`);
      assert.match(conf.headers.get('content-type') ?? '', /javascript/);
      const js = await conf.text();
      const window: { config?: any } = {};
      new Function('window', js)(window);
      assert.equal(window.config.defaultDataSourceName, 'dicomweb');
      assert.equal(window.config.dataSources[0].configuration.qidoRoot, '/dicom-web');
      assert.equal(window.config.dataSources[0].configuration.wadoUriRoot, '/wado');
      assert.deepEqual(
        window.config.dataSources.map((d: any) => d.sourceName),
        ['dicomweb', 'dicomlocal'],
      );
      assert.equal(window.config.cxrCopilot.apiBase, '/api/v1');
      assert.equal(window.config.investigationalUseDialog.option, 'never');

      for (const p of ['/', '/cxr?StudyInstanceUIDs=1.2.3', '/cxr/dicomlocal', '/local']) {
        const r = await fetch(srv.url + p);
        assert.equal(r.status, 200, p);
        assert.match(await r.text(), /<title>OHIF/, p);
      }
      assert.equal((await fetch(`${srv.url}/ohif-plugins/cxr-extension.js`)).status, 200);
      const missing = await fetch(`${srv.url}/ohif-plugins/nope.js`);
      assert.equal(missing.status, 404);
      assert.doesNotMatch(await missing.text(), /OHIF/);
      assert.equal((await fetch(`${srv.url}/api/v1/nothing`)).status, 404, 'no SPA fallback under /api');

      const q = await fetch(`${srv.url}/dicom-web/studies?limit=5`, { headers: { Accept: 'application/dicom+json' } });
      assert.equal(q.status, 200);
      assert.equal(await q.text(), '[]');
      const last = seen[seen.length - 1];
      assert.equal(last.url, '/dicom-web/studies?limit=5', 'prefix stripped once, query kept');
      assert.equal(last.host, new URL(srv.url).host, "the browser's Host is forwarded");
      await fetch(`${srv.url}/dicom-web/studies`, {
        method: 'POST',
        body: 'xyz',
        headers: { 'Content-Type': 'multipart/related; type="application/dicom"; boundary=b' },
      });
      assert.equal(seen[seen.length - 1].method, 'POST');
      assert.equal(seen[seen.length - 1].body, 'xyz');
      await fetch(`${srv.url}/wado?requestType=WADO&studyUID=1.2&seriesUID=1.3&objectUID=1.4`);
      assert.equal(seen[seen.length - 1].url, '/wado?requestType=WADO&studyUID=1.2&seriesUID=1.3&objectUID=1.4');
    } finally {
      await srv.close();
    }
  });

  test(
    'proxy escape: traversal, non-DICOMweb paths and other methods ' +
      'never reach the upstream; redirects are not passed on',
    async () => {
      const redirecting = await listen((req, res) => {
        seen.push({ url: req.url ?? '', host: req.headers.host ?? '', method: req.method ?? '', body: '' });
        res.writeHead(302, { Location: 'http://evil.example/', 'Content-Location': 'http://evil.example/x' }).end();
      });
      const srv = await listen(app(cfg({ DICOMWEB_URL: `${upstream.url}/dicom-web` })));
      const redir = await listen(app(cfg({ DICOMWEB_URL: `${redirecting.url}/dicom-web` })));
      try {
        const before = seen.length;
        const attacks: [string, string, number][] = [
          ['GET', '/dicom-web/..%2fpatients?expand', 400],
          ['DELETE', '/dicom-web/..%2fpatients/abc', 400],
          ['GET', '/dicom-web/..%2fapp%2fexplorer.html', 400],
          ['GET', '/wado/..%2fpatients', 400],
          ['GET', '/dicom-web/..%252fpatients', 400],
          ['GET', '/dicom-web/..%5cpatients', 400],
          ['GET', '/dicom-web/%2e%2e/patients', 400],
          ['GET', '/dicom-web/patients', 404],
          ['GET', '/dicom-web/tools/reset', 404],
          ['DELETE', '/dicom-web/studies/1.2.3', 405],
          ['OPTIONS', '/dicom-web/studies', 405],
          ['PUT', '/dicom-web/studies', 405],
          ['GET', 'http://127.0.0.1/dicom-web/..%2fpatients', 400],
          ['GET', 'http://127.0.0.1/dicom-web/patients', 400],
        ];
        for (const [method, p, status] of attacks) {
          const r = await rawRequest(srv.url, method, p);
          assert.equal(r.status, status, `${method} ${p}`);
          assert.ok(['invalid_request', 'not_found', 'method_not_allowed'].includes(JSON.parse(r.body).error.code), p);
        }
        assert.equal(seen.length, before, 'none of them reached the upstream');
        const r = await fetch(`${redir.url}/dicom-web/studies`, { redirect: 'manual' });
        assert.equal(r.status, 502);
        assert.equal(r.headers.get('location'), null);
        assert.equal(r.headers.get('content-location'), null);
        assert.equal(((await r.json()) as any).error.details.upstreamStatus, 302);
      } finally {
        await srv.close();
        await redir.close();
        await redirecting.close();
      }
    },
  );

  test('without DICOMweb: local files only, / leads to /local, proxy answers 503', async () => {
    const srv = await listen(app(cfg({})));
    try {
      const window: { config?: any } = {};
      new Function('window', await (await fetch(`${srv.url}/app-config.js`)).text())(window);
      assert.equal(window.config.defaultDataSourceName, 'dicomlocal');
      assert.deepEqual(
        window.config.dataSources.map((d: any) => d.sourceName),
        ['dicomlocal'],
      );
      const root = await fetch(`${srv.url}/`, { redirect: 'manual' });
      assert.equal(root.status, 302);
      assert.equal(root.headers.get('location'), '/local');
      const r = await fetch(`${srv.url}/dicom-web/studies`);
      assert.equal(r.status, 503);
      assert.equal(((await r.json()) as any).error.code, 'dicomweb_unavailable');
    } finally {
      await srv.close();
    }
  });

  test('upstream down → 502 dicomweb_error; AUTH_TOKEN → 401 without the bearer, token not forwarded', async () => {
    const token = 'secret-token-0123456789';
    const srv = await listen(app(cfg({ DICOMWEB_URL: 'http://127.0.0.1:9/dicom-web', AUTH_TOKEN: token })));
    const ok = await listen(app(cfg({ DICOMWEB_URL: `${upstream.url}/dicom-web`, AUTH_TOKEN: token })));
    try {
      const denied = await fetch(`${srv.url}/dicom-web/studies`);
      assert.equal(denied.status, 401);
      assert.equal(((await denied.json()) as any).error.code, 'unauthorized');
      const down = await fetch(`${srv.url}/dicom-web/studies`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(down.status, 502);
      assert.equal(((await down.json()) as any).error.code, 'dicomweb_error');
      assert.equal(
        (await fetch(`${ok.url}/dicom-web/studies`, { headers: { Authorization: `Bearer ${token}` } })).status,
        200,
      );
      assert.equal(seen[seen.length - 1].auth, undefined, 'our token never reaches the PACS');
    } finally {
      await srv.close();
      await ok.close();
    }
  });

  test('viewer not built → 503 page naming npm run build:viewer', async () => {
    const srv = await listen(
      app(loadConfig({ VIEWER_DIR: path.join(dir, 'absent'), PLUGINS_DIR: path.join(dir, 'absent') }, dir)),
    );
    try {
      const r = await fetch(`${srv.url}/cxr`);
      assert.equal(r.status, 503);
      assert.match(await r.text(), /npm run build:viewer/);
    } finally {
      await srv.close();
    }
  });
});
