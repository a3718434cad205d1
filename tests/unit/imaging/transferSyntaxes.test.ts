import assert from 'node:assert/strict';
import { LOSSLESS_16, LOSSLESS_8, LOSSY_16, TS } from '../../support/dicomFixtures';
import { decodeFixture, meanAbsDiff, codes } from './helpers';

const expectedTs: Record<string, string> = {
  explicit: TS.explicit,
  implicit: TS.implicit,
  deflated: TS.deflated,
  jpegLossless57: TS.jpegLossless,
  jpegLosslessSV1: TS.jpegLosslessSV1,
  jpegLsLossless: TS.jpegLsLossless,
  rle: TS.rle,
  j2kLossless: TS.j2kLossless,
  jpegLsNear: TS.jpegLsNear,
  j2kLossy: TS.j2k,
  jpegExtended51: TS.jpegExtended,
  explicit8: TS.explicit,
  rle8: TS.rle,
  jpegLsLossless8: TS.jpegLsLossless,
  jpegLosslessSV1_8: TS.jpegLosslessSV1,
  jpegBaseline: TS.jpegBaseline,
};

test('every lossless transfer syntax of the 12-bit image decodes to the same stored values', async () => {
  const ref = await decodeFixture('explicit');
  assert.equal(ref.width, 512);
  assert.equal(ref.height, 512);
  assert.match(ref.info.pixelDataSha256, /^[0-9a-f]{64}$/);
  for (const name of LOSSLESS_16) {
    const d = await decodeFixture(name);
    assert.equal(d.info.transferSyntaxUID, expectedTs[name], name);
    assert.equal(d.width, 512, name);
    assert.equal(d.height, 512, name);
    assert.equal(d.display.length, 512 * 512, name);
    assert.equal(d.info.bitsAllocated, 16, name);
    assert.equal(d.info.bitsStored, 12, name);
    assert.equal(d.info.pixelDataSha256, ref.info.pixelDataSha256, `${name} sha256`);
    assert.equal(d.info.lossyCompressed, false, name);
    assert.ok(!codes(d).includes('lossy_compressed'), name);
    assert.ok(meanAbsDiff(d.display, ref.display) === 0, `${name} display identical`);
  }
});

test('every lossless transfer syntax of the 8-bit image decodes to the same stored values', async () => {
  const ref = await decodeFixture('explicit8');
  assert.equal(ref.info.bitsAllocated, 8);
  for (const name of LOSSLESS_8) {
    const d = await decodeFixture(name);
    assert.equal(d.info.transferSyntaxUID, expectedTs[name], name);
    assert.equal(d.info.pixelDataSha256, ref.info.pixelDataSha256, `${name} sha256`);
  }
});

test('lossy transfer syntaxes decode close to the original and are flagged lossy', async () => {
  const ref = await decodeFixture('explicit');
  for (const name of LOSSY_16) {
    const d = await decodeFixture(name);
    assert.equal(d.info.transferSyntaxUID, expectedTs[name], name);
    assert.equal(d.width, 512, name);
    assert.notEqual(d.info.pixelDataSha256, ref.info.pixelDataSha256, name);
    const mae = meanAbsDiff(d.display, ref.display);
    assert.ok(mae < 0.01, `${name} mean abs error ${mae}`);
    assert.equal(d.info.lossyCompressed, true, name);
    assert.ok(codes(d).includes('lossy_compressed'), name);
  }
  const ref8 = await decodeFixture('explicit8');
  const jb = await decodeFixture('jpegBaseline');
  assert.equal(jb.info.transferSyntaxUID, TS.jpegBaseline);
  assert.ok(meanAbsDiff(jb.display, ref8.display) < 0.01);
  assert.equal(jb.info.lossyCompressed, true);
});

test('Lossy Image Compression "01" on a native file sets lossyCompressed', async () => {
  const d = await decodeFixture('lossyFlag');
  assert.equal(d.info.lossyCompressed, true);
  assert.ok(codes(d).includes('lossy_compressed'));
});

test(
  'multi-frame: the requested frame is decoded in native and ' +
    'encapsulated syntaxes; out of range is invalid_request',
  async () => {
    const native = [
      await decodeFixture('multiframe'),
      await decodeFixture('multiframe', { frame: 1 }),
      await decodeFixture('multiframe', { frame: 2 }),
    ];
    assert.equal(native[0].info.numberOfFrames, 3);
    assert.equal(native[1].info.frame, 1);
    assert.equal(native[1].width, 128);
    assert.notEqual(native[0].info.pixelDataSha256, native[1].info.pixelDataSha256);
    for (const name of ['multiframeRle', 'multiframeJpegNoBot', 'multiframeJlsNoBot']) {
      for (const frame of [0, 1, 2]) {
        const d = await decodeFixture(name, { frame });
        assert.equal(d.info.pixelDataSha256, native[frame].info.pixelDataSha256, `${name} frame ${frame}`);
      }
      await assert.rejects(decodeFixture(name, { frame: 3 }), { code: 'invalid_request' });
    }
    await assert.rejects(
      decodeFixture('multiframe', { frame: 3 }),
      (e: { code?: string; status?: number }) => e.code === 'invalid_request' && e.status === 400,
    );
    await assert.rejects(decodeFixture('explicit', { frame: -1 }), { code: 'invalid_request' });
    await assert.rejects(decodeFixture('explicit', { frame: 1.5 }), { code: 'invalid_request' });
  },
);
