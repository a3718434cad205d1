/**
 * Issue 11.3 and 11.4: decoder bombs. Each bomb is uploaded while GET /api/v1/status is polled every
 * 50 ms; every poll must answer within 200 ms and the upload must get a 4xx. The server runs in
 * this process, so a blocked event loop would delay the polls themselves.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call, startTestServer, type TestServer } from '../support/server';
import {
  deflateBomb,
  j2kComponentBomb,
  j2kTileBomb,
  progressiveScanBomb,
  progressiveScanBombDicom,
} from '../support/bombs';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    MODELS_DIR: mkdtempSync(path.join(tmpdir(), 'cxr-no-models-')),
    RATE_LIMIT_ANALYSES_PER_MIN: '1000',
  });
  // the first fetch of a process loads and compiles its HTTP client: not the server's latency
  for (let i = 0; i < 3; i++) await (await fetch(`${srv.url}/api/v1/status`)).arrayBuffer();
});
afterAll(async () => {
  await srv.close();
});

const POLL_LIMIT_MS = 200;

interface Polled {
  status: number;
  code: string | undefined;
  uploadMs: number;
  polls: number[];
}

/** Uploads `body` while polling status every 50 ms (for at least `minPollMs`); returns every poll's latency. */
async function uploadWhilePolling(body: Buffer, type: string, minPollMs = 400): Promise<Polled> {
  const polls: number[] = [];
  let uploading = true;
  const t0 = performance.now();
  const poller = (async () => {
    while (uploading || performance.now() - t0 < minPollMs) {
      const p0 = performance.now();
      const r = await fetch(`${srv.url}/api/v1/status`);
      await r.arrayBuffer();
      assert.equal(r.status, 200);
      polls.push(performance.now() - p0);
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  const r = await call(`${srv.url}/api/v1/analyses`, { method: 'POST', headers: { 'content-type': type }, body });
  const uploadMs = performance.now() - t0;
  uploading = false;
  await poller;
  return { status: r.status, code: r.body?.error?.code, uploadMs, polls };
}

function assertRejectedWhileResponsive(r: Polled, name: string): void {
  assert.ok(r.status >= 400 && r.status < 500, `${name}: expected a 4xx, got ${r.status} ${r.code}`);
  assert.ok(r.polls.length >= 3, `${name}: polled ${r.polls.length} times`);
  const worst = Math.max(...r.polls);
  assert.ok(worst < POLL_LIMIT_MS, `${name}: slowest status poll ${worst.toFixed(0)} ms`);
}

describe('decoder bombs get a 4xx while /api/v1/status keeps answering within 200 ms', () => {
  test('J2K declaring 16,384 components (SamplesPerPixel 1)', async () => {
    const r = await uploadWhilePolling(await j2kComponentBomb(), 'application/dicom');
    assertRejectedWhileResponsive(r, 'j2k components');
    assert.equal(r.code, 'malformed_dicom');
  });

  test('J2K with 16×16 tiles and 3,000 components', async () => {
    const r = await uploadWhilePolling(await j2kTileBomb(), 'application/dicom');
    assertRejectedWhileResponsive(r, 'j2k tiles');
  });

  test('progressive JPEG with one scan repeated 2,000 times (image/jpeg)', async () => {
    const r = await uploadWhilePolling(await progressiveScanBomb(), 'image/jpeg');
    assertRejectedWhileResponsive(r, 'jpeg scans');
    assert.equal(r.code, 'invalid_image');
  });

  test('the same scan bomb inside a JPEG Baseline DICOM', async () => {
    const r = await uploadWhilePolling(await progressiveScanBombDicom(), 'application/dicom');
    assertRejectedWhileResponsive(r, 'dicom jpeg scans');
    assert.equal(r.code, 'malformed_dicom');
  });

  test('Deflated Explicit VR file inflating to 360 MB: 4xx within 2 s, no big RSS growth', async () => {
    const bomb = await deflateBomb(360);
    assert.ok(bomb.length < 1024 * 1024, `bomb is ${bomb.length} bytes`);
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const r = await uploadWhilePolling(bomb, 'application/dicom');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    assertRejectedWhileResponsive(r, 'deflate');
    assert.equal(r.code, 'image_too_large');
    assert.ok(r.uploadMs < 2000, `answered in ${r.uploadMs.toFixed(0)} ms`);
    const growthMb = (peak - rss0) / 1024 / 1024;
    assert.ok(growthMb < 150, `RSS grew by ${growthMb.toFixed(0)} MB`);
  });
});
