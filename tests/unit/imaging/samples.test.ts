/** The three real samples of ../shared/data/samples (skipped when that folder is absent). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../server/src/errors';
import { decodeImage } from '../../../server/src/imaging/decode';
import { SAMPLES_DIR, wrapRawDataset } from '../../support/dicomFixtures';
import { LIMITS, codes, mean } from './helpers';

const skip = existsSync(SAMPLES_DIR) ? false : `reads ${SAMPLES_DIR}, which is absent on this machine`;
const sample = (name: string): Buffer => readFileSync(path.join(SAMPLES_DIR, name));

(skip ? test.skip : test)('siim-cr-chest.dcm: JPEG baseline, 8-bit, PixelSpacing 0.168', async () => {
  const d = await decodeImage(sample('siim-cr-chest.dcm'), 'application/dicom', {}, LIMITS);
  assert.equal(d.info.transferSyntaxUID, '1.2.840.10008.1.2.4.50');
  assert.equal(d.width, 1024);
  assert.equal(d.height, 1024);
  assert.equal(d.info.bitsAllocated, 8);
  assert.equal(d.info.sopClassUID, '1.2.840.10008.5.1.4.1.1.7');
  assert.equal(d.info.modality, 'CR');
  assert.equal(d.info.viewPosition, 'PA');
  assert.equal(d.info.spacingSource, 'PixelSpacing');
  assert.deepEqual(d.info.pixelSpacingMm, [0.168, 0.168]);
  assert.equal(d.info.lossyCompressed, true);
  assert.ok(codes(d).includes('lossy_compressed'));
  const m = mean(d.display);
  assert.ok(m > 0.2 && m < 0.8, `mean ${m}`);
});

(skip ? test.skip : test)('rg1-cr-chest-j2k.dcm: JPEG 2000 MONOCHROME1, bogus 0.000 spacing → none', async () => {
  const d = await decodeImage(sample('rg1-cr-chest-j2k.dcm'), 'application/dicom', {}, LIMITS);
  assert.equal(d.info.transferSyntaxUID, '1.2.840.10008.1.2.4.91');
  assert.equal(d.info.photometricInterpretation, 'MONOCHROME1');
  assert.equal(d.height, 1955);
  assert.equal(d.width, 1841);
  assert.equal(d.info.bitsStored, 15);
  assert.equal(d.info.spacingSource, 'none');
  assert.equal(d.info.pixelSpacingMm, null);
  assert.deepEqual(d.info.spacingDetail.pixelSpacing, [0, 0]);
  assert.ok(codes(d).includes('invalid_pixel_spacing'));
  assert.ok(codes(d).includes('no_pixel_spacing'));
  // MONOCHROME1 inverted for display: the mediastinum (centre) is brighter than the lung fields
  const at = (fx: number, fy: number) => d.display[Math.round(fy * d.height) * d.width + Math.round(fx * d.width)];
  assert.ok(at(0.5, 0.45) > at(0.3, 0.4), 'mediastinum brighter than lung');
});

(skip ? test.skip : test)('cr-mono1-10-chest.dcm: raw dataset → not_dicom; wrapped in Part 10 it decodes', async () => {
  const raw = sample('cr-mono1-10-chest.dcm');
  await assert.rejects(
    decodeImage(raw, 'application/dicom', {}, LIMITS),
    (e) => e instanceof ApiError && e.code === 'not_dicom',
  );
  const d = await decodeImage(wrapRawDataset(raw), 'application/dicom', {}, LIMITS);
  assert.equal(d.info.transferSyntaxUID, '1.2.840.10008.1.2');
  assert.equal(d.info.photometricInterpretation, 'MONOCHROME1');
  assert.equal(d.width, 440);
  assert.equal(d.info.bitsStored, 10);
  assert.equal(d.info.spacingSource, 'none');
  const text = JSON.stringify(d.info);
  assert.ok(!text.includes('FUJI95714') && !text.includes('Anonymized'), 'no accession number or patient name');
  const at = (fx: number, fy: number) => d.display[Math.round(fy * d.height) * d.width + Math.round(fx * d.width)];
  assert.ok(at(0.5, 0.4) > at(0.3, 0.4), 'mediastinum brighter than lung');
});
