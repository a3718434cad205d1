import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { call, startTestServer, type TestServer } from '../support/server';
import { LOSSLESS_16, LOSSLESS_8, LOSSY_16, makeFixtures, TS, type Fixtures } from '../support/dicomFixtures';

let srv: TestServer;
let fx: Fixtures;
beforeAll(async () => {
  fx = await makeFixtures();
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

const analyse = async (name: string) => {
  const r = await call(`${srv.url}/api/v1/analyses`, {
    method: 'POST',
    headers: { 'content-type': 'application/dicom' },
    body: readFileSync(fx.paths[name]),
  });
  assert.equal(r.status, 201, `${name}: ${JSON.stringify(r.body)}`);
  return r.body;
};

test('every lossless transfer syntax gives the same pixels over HTTP', async () => {
  for (const group of [LOSSLESS_16, LOSSLESS_8]) {
    const hashes = new Map<string, string>();
    for (const name of group) hashes.set(name, (await analyse(name)).image.pixelDataSha256);
    assert.equal(new Set(hashes.values()).size, 1, JSON.stringify([...hashes]));
  }
});

test('lossy transfer syntaxes decode and are flagged lossy', async () => {
  for (const name of [...LOSSY_16, 'jpegBaseline']) {
    const a = await analyse(name);
    assert.equal(a.image.lossyCompressed, true, name);
    assert.ok(
      a.warnings.some((w: any) => w.code === 'lossy_compressed'),
      name,
    );
  }
});

test("the reported transfer syntax is the file's", async () => {
  const expect: Record<string, string> = {
    implicit: TS.implicit,
    deflated: TS.deflated,
    rle: TS.rle,
    j2kLossless: TS.j2kLossless,
    jpegLsLossless: TS.jpegLsLossless,
  };
  for (const [name, uid] of Object.entries(expect))
    assert.equal((await analyse(name)).image.transferSyntaxUID, uid, name);
});

test('spacing sources over HTTP (api.md 1.5)', async () => {
  const rows: [string, string, [number, number] | null][] = [
    ['spacingPixel', 'PixelSpacing', [0.2, 0.25]],
    ['spacingImager', 'ImagerPixelSpacing', [0.18, 0.18]],
    ['spacingImagerErmf', 'ImagerPixelSpacing/ERMF', [0.16, 0.16]],
    ['spacingNone', 'none', null],
  ];
  for (const [name, source, mm] of rows) {
    const a = await analyse(name);
    assert.equal(a.image.spacingSource, source, name);
    if (mm) a.image.pixelSpacingMm.forEach((v: number, i: number) => assert.ok(Math.abs(v - mm[i]) < 1e-6, name));
    else assert.equal(a.image.pixelSpacingMm, null);
  }
});
