import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ApiError } from '../../../server/src/errors';
import { decodeImage, sniffMediaType } from '../../../server/src/imaging/decode';
import { makeChestPng, makeChestRgbPng, wrapPngAsDicom, makeChestPixels } from '../../support/dicomFixtures';
import { LIMITS, codes, meanAbsDiff, fixture } from './helpers';

test('sniffMediaType recognises DICOM, PNG and JPEG by magic bytes', async () => {
  assert.equal(sniffMediaType(await fixture('explicit')), 'application/dicom');
  assert.equal(sniffMediaType(await makeChestPng(16, 16)), 'image/png');
  assert.equal(
    sniffMediaType(
      await sharp(await makeChestPng(16, 16))
        .jpeg()
        .toBuffer(),
    ),
    'image/jpeg',
  );
  assert.equal(sniffMediaType(await fixture('badNoDicm')), null);
  assert.equal(sniffMediaType(Buffer.alloc(0)), null);
});

test('8-bit grey PNG: full-range display, request spacing, orientation assumed', async () => {
  const png = await makeChestPng(256, 256);
  const d = await decodeImage(png, 'image/png', { pixelSpacingMm: [0.3, 0.31], viewPosition: 'pa' }, LIMITS);
  assert.equal(d.info.sourceFormat, 'png');
  assert.equal(d.width, 256);
  assert.equal(d.info.bitsAllocated, 8);
  assert.equal(d.info.photometricInterpretation, 'MONOCHROME2');
  assert.equal(d.info.transferSyntaxUID, null);
  assert.equal(d.info.viewPosition, 'PA');
  assert.equal(d.info.spacingSource, 'PixelSpacing');
  assert.deepEqual(d.info.pixelSpacingMm, [0.3, 0.31]);
  assert.equal(d.info.spacingDetail.origin, 'request');
  assert.equal(d.info.orientationAssumed, true);
  assert.ok(codes(d).includes('orientation_assumed'));
  assert.equal(d.info.lossyCompressed, false);
  const px = makeChestPixels(256, 256);
  assert.ok(Math.abs(d.display[1000] - (px[1000] >> 4) / 255) < 1e-6);
});

test('PNG without spacing → none with no_pixel_spacing; lateral view warns', async () => {
  const d = await decodeImage(await makeChestPng(64, 64), 'image/png', { viewPosition: 'LL' }, LIMITS);
  assert.equal(d.info.spacingSource, 'none');
  assert.ok(codes(d).includes('no_pixel_spacing'));
  assert.ok(codes(d).includes('not_frontal_view'));
});

test('16-bit grey PNG keeps 16-bit samples', async () => {
  const d = await decodeImage(await fixture('png16'), 'image/png', {}, LIMITS);
  assert.equal(d.info.bitsAllocated, 16);
  assert.equal(d.info.voi.used, 'auto');
  const ref = await decodeImage(await fixture('mono2NoWindow'), 'application/dicom', {}, LIMITS);
  assert.ok(meanAbsDiff(d.display, ref.display) < 0.002);
});

test('RGB and RGBA PNG become luminance with color_converted; same hash as the grey PNG', async () => {
  const grey = await decodeImage(await makeChestPng(256, 256), 'image/png', {}, LIMITS);
  for (const alpha of [false, true]) {
    const d = await decodeImage(await makeChestRgbPng(256, 256, alpha), 'image/png', {}, LIMITS);
    assert.equal(d.info.samplesPerPixel, 3);
    assert.equal(d.info.photometricInterpretation, 'RGB');
    assert.ok(codes(d).includes('color_converted'));
    assert.equal(d.info.pixelDataSha256, grey.info.pixelDataSha256);
  }
});

test('JPEG decodes as lossy', async () => {
  const jpg = await sharp(await makeChestPng(128, 128))
    .jpeg({ quality: 95 })
    .toBuffer();
  const d = await decodeImage(jpg, 'image/jpeg', {}, LIMITS);
  assert.equal(d.info.sourceFormat, 'jpeg');
  assert.equal(d.info.lossyCompressed, true);
  assert.ok(codes(d).includes('lossy_compressed'));
  assert.equal(d.width, 128);
});

test('broken PNG/JPEG → invalid_image; oversize → image_too_large; bad options → invalid_request', async () => {
  const png = await makeChestPng(64, 64);
  for (const bad of [
    png.subarray(0, 60),
    Buffer.from('89504e470d0a1a0a0000', 'hex'),
    Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]),
  ]) {
    await assert.rejects(
      decodeImage(bad, bad[0] === 0xff ? 'image/jpeg' : 'image/png', {}, LIMITS),
      (e) => e instanceof ApiError && e.code === 'invalid_image' && e.status === 422,
    );
  }
  const jpgCut = (
    await sharp(await makeChestPng(128, 128))
      .jpeg()
      .toBuffer()
  ).subarray(0, 400);
  await assert.rejects(decodeImage(jpgCut, 'image/jpeg', {}, LIMITS), { code: 'invalid_image' });
  await assert.rejects(decodeImage(png, 'image/png', {}, { ...LIMITS, maxImageDimension: 32 }), {
    code: 'image_too_large',
  });
  await assert.rejects(decodeImage(png, 'image/png', { pixelSpacingMm: [0, 1] }, LIMITS), { code: 'invalid_request' });
  await assert.rejects(decodeImage(png, 'image/png', { frame: 1 }, LIMITS), { code: 'invalid_request' });
});

test('wrapPngAsDicom makes a CR with 0.35 mm spacing that decodes like the PNG', async () => {
  const png = await makeChestPng(128, 128);
  const dcm = await wrapPngAsDicom(png);
  const d = await decodeImage(dcm, 'application/dicom', {}, LIMITS);
  const p = await decodeImage(png, 'image/png', {}, LIMITS);
  assert.equal(d.info.modality, 'CR');
  assert.equal(d.info.viewPosition, 'PA');
  assert.deepEqual(d.info.pixelSpacingMm, [0.35, 0.35]);
  assert.equal(d.info.pixelDataSha256, p.info.pixelDataSha256);
});
