import assert from 'node:assert/strict';
import { resolveSpacing } from '../../../server/src/imaging/spacing';
import { decodeFixture, codes } from './helpers';

const cases: {
  name: string;
  source: string;
  spacing: [number, number] | null;
  warnings: string[];
  absent: string[];
}[] = [
  {
    name: 'spacingPixel',
    source: 'PixelSpacing',
    spacing: [0.2, 0.25],
    warnings: [],
    absent: ['spacing_at_detector', 'invalid_pixel_spacing', 'no_pixel_spacing'],
  },
  {
    name: 'spacingImager',
    source: 'ImagerPixelSpacing',
    spacing: [0.18, 0.18],
    warnings: ['spacing_at_detector'],
    absent: ['invalid_pixel_spacing'],
  },
  {
    name: 'spacingImagerErmf',
    source: 'ImagerPixelSpacing/ERMF',
    spacing: [0.16, 0.16],
    warnings: [],
    absent: ['spacing_at_detector'],
  },
  {
    name: 'spacingNone',
    source: 'none',
    spacing: null,
    warnings: ['no_pixel_spacing'],
    absent: ['invalid_pixel_spacing'],
  },
  {
    name: 'spacingInvalid',
    source: 'none',
    spacing: null,
    warnings: ['invalid_pixel_spacing', 'no_pixel_spacing'],
    absent: [],
  },
  {
    name: 'spacingInvalidWithImager',
    source: 'ImagerPixelSpacing',
    spacing: [0.15, 0.15],
    warnings: ['invalid_pixel_spacing', 'spacing_at_detector'],
    absent: [],
  },
  {
    name: 'spacingEqualNoCalib',
    source: 'PixelSpacing',
    spacing: [0.2, 0.2],
    warnings: ['spacing_at_detector'],
    absent: [],
  },
];

for (const c of cases) {
  test(`spacing: ${c.name} → ${c.source}`, async () => {
    const d = await decodeFixture(c.name);
    assert.equal(d.info.spacingSource, c.source);
    assert.deepEqual(d.info.pixelSpacingMm, c.spacing);
    assert.equal(d.info.spacingDetail.origin, c.spacing ? 'dicom' : null);
    for (const w of c.warnings) assert.ok(codes(d).includes(w), `${c.name} has ${w}`);
    for (const w of c.absent) assert.ok(!codes(d).includes(w), `${c.name} lacks ${w}`);
  });
}

test('spacingDetail reports the attributes as found', async () => {
  const d = await decodeFixture('spacingImagerErmf');
  assert.deepEqual(d.info.spacingDetail, {
    pixelSpacing: null,
    imagerPixelSpacing: [0.2, 0.2],
    ermf: 1.25,
    calibrationType: null,
    origin: 'dicom',
  });
  const p = await decodeFixture('spacingPixel');
  assert.equal(p.info.spacingDetail.calibrationType, 'GEOMETRY');
  const z = await decodeFixture('spacingInvalid');
  assert.deepEqual(z.info.spacingDetail.pixelSpacing, [0, 0]);
});

test('resolveSpacing: ERMF < 1 is invalid and ignored; request spacing only for PNG/JPEG', () => {
  const r = resolveSpacing({
    pixelSpacing: null,
    imagerPixelSpacing: [0.2, 0.2],
    ermf: 0.5,
    calibrationType: null,
    requestSpacing: null,
    isDicom: true,
  });
  assert.equal(r.spacingSource, 'ImagerPixelSpacing');
  assert.ok(r.warnings.includes('invalid_pixel_spacing'));
  const q = resolveSpacing({
    pixelSpacing: null,
    imagerPixelSpacing: null,
    ermf: null,
    calibrationType: null,
    requestSpacing: [0.3, 0.3],
    isDicom: false,
  });
  assert.equal(q.spacingSource, 'PixelSpacing');
  assert.equal(q.spacingDetail.origin, 'request');
  assert.deepEqual(q.pixelSpacingMm, [0.3, 0.3]);
  const nan = resolveSpacing({
    pixelSpacing: [NaN, 0.2],
    imagerPixelSpacing: null,
    ermf: null,
    calibrationType: null,
    requestSpacing: null,
    isDicom: true,
  });
  assert.equal(nan.spacingSource, 'none');
  assert.ok(nan.warnings.includes('invalid_pixel_spacing'));
});

test('orientation and view position', async () => {
  const std = await decodeFixture('explicit');
  assert.deepEqual(std.info.patientOrientation, ['L', 'F']);
  assert.equal(std.info.orientationAssumed, false);
  assert.equal(std.info.viewPosition, 'PA');
  assert.equal(std.info.modality, 'CR');
  assert.equal(std.info.sopClassUID, '1.2.840.10008.5.1.4.1.1.1');
  assert.deepEqual(codes(std), []);
  const none = await decodeFixture('noOrientation');
  assert.equal(none.info.patientOrientation, null);
  assert.equal(none.info.orientationAssumed, true);
  assert.ok(codes(none).includes('orientation_assumed'));
  const mir = await decodeFixture('mirrored');
  assert.deepEqual(mir.info.patientOrientation, ['R', 'F']);
  const lat = await decodeFixture('lateral');
  assert.equal(lat.info.viewPosition, 'LL');
  assert.ok(codes(lat).includes('not_frontal_view'));
});
