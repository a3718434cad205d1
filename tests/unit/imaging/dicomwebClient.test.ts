import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../../../server/src/errors';
import { fetchInstance, firstDicomPart, boundaryOf, WADO_ACCEPT } from '../../../server/src/dicomweb/client';

const REF = { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', sopInstanceUID: '1.2.3.4.5' };
const PART10 = Buffer.concat([
  Buffer.alloc(128, 0),
  Buffer.from('DICM'),
  Buffer.from('\r\n--not-a-boundary\r\n'),
  Buffer.alloc(300, 7),
]);
let base = '';
let lastAccept: string | undefined;
let lastPath: string | undefined;
let mode = 'ok';
const server = http.createServer((req, res) => {
  lastAccept = req.headers.accept;
  lastPath = req.url;
  if (mode === 'ok' || mode === 'quoted') {
    const b = mode === 'quoted' ? 'b0und:ary' : 'XYZ123';
    const body = Buffer.concat([
      Buffer.from(
        `--${b}\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\nContent-Location: x\r\n\r\n`,
      ),
      PART10,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    res.writeHead(200, {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${mode === 'quoted' ? `"${b}"` : b}`,
    });
    res.end(body);
  } else if (mode === '404') {
    res.writeHead(404);
    res.end('no');
  } else if (mode === '500') {
    res.writeHead(500);
    res.end('boom');
  } else if (mode === 'hang') {
    // never answers
  } else if (mode === 'garbage') {
    res.writeHead(200, { 'Content-Type': 'multipart/related; boundary=abc' });
    res.end('nothing here');
  } else if (mode === 'big') {
    res.writeHead(200, { 'Content-Type': 'application/dicom' });
    res.end(Buffer.alloc(5000));
  }
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('WADO-RS GET with the multipart Accept header returns the Part 10 bytes', async () => {
  mode = 'ok';
  const buf = await fetchInstance(base, REF, 2000);
  assert.ok(buf.equals(PART10));
  assert.equal(lastAccept, WADO_ACCEPT);
  assert.equal(lastPath, '/dicom-web/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5');
  mode = 'quoted';
  assert.ok((await fetchInstance(base, REF, 2000)).equals(PART10));
});

test('upstream 404 → not_found dicomweb_instance; 500 → dicomweb_error 502', async () => {
  mode = '404';
  await assert.rejects(
    fetchInstance(base, REF, 2000),
    (e) =>
      e instanceof ApiError &&
      e.code === 'not_found' &&
      e.status === 404 &&
      e.details?.resource === 'dicomweb_instance',
  );
  mode = '500';
  await assert.rejects(
    fetchInstance(base, REF, 2000),
    (e) =>
      e instanceof ApiError && e.code === 'dicomweb_error' && e.status === 502 && e.details?.upstreamStatus === 500,
  );
  mode = 'garbage';
  await assert.rejects(fetchInstance(base, REF, 2000), { code: 'dicomweb_error' });
});

test('timeout and connection failure → dicomweb_error', async () => {
  mode = 'hang';
  const t = Date.now();
  await assert.rejects(
    fetchInstance(base, REF, 200),
    (e) => e instanceof ApiError && e.code === 'dicomweb_error' && e.details?.upstreamStatus === null,
  );
  assert.ok(Date.now() - t < 2000);
  await assert.rejects(fetchInstance('http://127.0.0.1:1/x', REF, 2000), { code: 'dicomweb_error' });
});

test('a body above the limit → payload_too_large', async () => {
  mode = 'big';
  await assert.rejects(fetchInstance(base, REF, 2000, 1000), { code: 'payload_too_large' });
});

test('multipart helpers', () => {
  assert.equal(boundaryOf('multipart/related; type="application/dicom"; boundary="a b"'), 'a b');
  assert.equal(boundaryOf('multipart/related; boundary=abc; type=x'), 'abc');
  assert.equal(boundaryOf('multipart/related'), null);
  const body = Buffer.from('preamble\r\n--q\r\nContent-Type: application/json\r\n\r\n{}\r\n--q\r\n\r\nDATA\r\n--q--');
  assert.equal(firstDicomPart(body, 'q')?.toString(), 'DATA');
});
