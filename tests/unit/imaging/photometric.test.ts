import assert from 'node:assert/strict';
import { makeChestPixels } from '../../support/dicomFixtures';
import { decodeFixture, meanAbsDiff, mean, codes } from './helpers';

/** Mean display value inside a disc (the nodule) and in a lung patch beside it. */
function contrast(d: { display: Float32Array; width: number }): { nodule: number; lung: number } {
  const w = d.width;
  const at = (x: number, y: number) => d.display[Math.round(y) * w + Math.round(x)];
  return { nodule: at(0.3 * w, 0.45 * w), lung: at(0.3 * w + 0.06 * w, 0.45 * w + 0.02 * w) };
}

test('MONOCHROME2: dense structures are bright in display', async () => {
  const d = await decodeFixture('explicit');
  const c = contrast(d);
  assert.ok(c.nodule > c.lung, `nodule ${c.nodule} > lung ${c.lung}`);
  assert.equal(d.info.photometricInterpretation, 'MONOCHROME2');
  assert.equal(d.info.voi.used, 'window');
  assert.equal(d.info.voi.windowCenter, 2048);
  assert.equal(d.info.voi.windowWidth, 4096);
  assert.equal(d.info.voi.function, 'LINEAR');
  for (const v of d.display) if (!(v >= 0 && v <= 1)) assert.fail(`display value ${v} outside 0..1`);
});

test('MONOCHROME1 is inverted after VOI: same look as MONOCHROME2 of the same anatomy', async () => {
  const m2 = await decodeFixture('explicit');
  const m1 = await decodeFixture('mono1');
  assert.equal(m1.info.photometricInterpretation, 'MONOCHROME1');
  assert.notEqual(m1.info.pixelDataSha256, m2.info.pixelDataSha256);
  assert.ok(meanAbsDiff(m1.display, m2.display) < 0.001);
  const c = contrast(m1);
  assert.ok(c.nodule > c.lung, 'dense nodule bright in MONOCHROME1 display');
  const rle = await decodeFixture('mono1Rle');
  assert.equal(rle.info.pixelDataSha256, m1.info.pixelDataSha256);
  // automatic window: inverted stored data, same display
  const a2 = await decodeFixture('mono2NoWindow');
  const a1 = await decodeFixture('mono1NoWindow');
  assert.equal(a1.info.voi.used, 'auto');
  assert.ok(meanAbsDiff(a1.display, a2.display) < 0.002);
});

test('automatic 0.5–99.5 percentile window when the file has no VOI', async () => {
  const d = await decodeFixture('mono2NoWindow');
  assert.equal(d.info.voi.used, 'auto');
  assert.equal(d.info.voi.lutSequence, false);
  const px = makeChestPixels(512, 512);
  const sorted = Float64Array.from(px).sort();
  const lo = sorted[Math.floor(px.length * 0.005)],
    hi = sorted[Math.floor(px.length * 0.995) - 1];
  const wc = d.info.voi.windowCenter as number,
    ww = d.info.voi.windowWidth as number;
  assert.ok(Math.abs(wc - ww / 2 - lo) <= 2, `low end ${wc - ww / 2} vs ${lo}`);
  assert.ok(Math.abs(wc + ww / 2 - hi) <= 2, `high end ${wc + ww / 2} vs ${hi}`);
  let clippedLow = 0,
    clippedHigh = 0;
  for (const v of d.display) {
    if (v === 0) clippedLow++;
    if (v === 1) clippedHigh++;
  }
  assert.ok(clippedLow / d.display.length < 0.02 && clippedHigh / d.display.length < 0.02);
});

test('VOI LUT Function SIGMOID and LINEAR_EXACT are applied and reported', async () => {
  const s = await decodeFixture('sigmoid');
  assert.equal(s.info.voi.function, 'SIGMOID');
  assert.equal(s.info.voi.windowCenter, 2000);
  const x = await decodeFixture('linearExact');
  assert.equal(x.info.voi.function, 'LINEAR_EXACT');
  // stored value v: LINEAR_EXACT gives (v - 2000)/3000 + 0.5 clamped; SIGMOID 1/(1+exp(-4(v-2000)/3000))
  const px = makeChestPixels(512, 512);
  for (const i of [0, 1000, 70000, 131000, 200000]) {
    const v = px[i];
    const le = Math.min(1, Math.max(0, (v - 2000) / 3000 + 0.5));
    const sg = 1 / (1 + Math.exp((-4 * (v - 2000)) / 3000));
    assert.ok(Math.abs(x.display[i] - le) < 1e-5, `linear exact at ${i}`);
    assert.ok(Math.abs(s.display[i] - sg) < 1e-5, `sigmoid at ${i}`);
  }
});

test('VOI LUT Sequence is used when there is no window', async () => {
  const d = await decodeFixture('voiLut');
  assert.equal(d.info.voi.used, 'lut');
  assert.equal(d.info.voi.lutSequence, true);
  const px = makeChestPixels(512, 512);
  const i = 131000;
  assert.ok(Math.abs(d.display[i] - Math.round(Math.sqrt(px[i] / 4095) * 4095) / 4095) < 1e-3);
});

test('Rescale slope/intercept and signed pixels feed the window in modality units', async () => {
  const ref = await decodeFixture('explicit');
  const r = await decodeFixture('rescale');
  assert.deepEqual(r.info.rescale, { slope: 2, intercept: -1000, type: 'US', modalityLutSequence: false });
  assert.ok(meanAbsDiff(r.display, ref.display) < 1e-3);
  const s = await decodeFixture('signed');
  assert.equal(s.info.pixelRepresentation, 1);
  assert.equal(s.info.rescale.intercept, 2048);
  assert.ok(meanAbsDiff(s.display, ref.display) < 1e-6);
});

test('RGB is converted to luminance with color_converted', async () => {
  const ref = await decodeFixture('explicit8');
  const d = await decodeFixture('rgb');
  assert.equal(d.info.samplesPerPixel, 3);
  assert.equal(d.info.photometricInterpretation, 'RGB');
  assert.ok(codes(d).includes('color_converted'));
  assert.ok(meanAbsDiff(d.display, ref.display) < 0.005);
  assert.ok(mean(d.display) > 0.1);
  const rle = await decodeFixture('rgbRle');
  assert.equal(rle.info.pixelDataSha256, d.info.pixelDataSha256);
  const jpg = await decodeFixture('rgbJpeg');
  assert.equal(jpg.info.transferSyntaxUID, '1.2.840.10008.1.2.4.50');
  assert.ok(codes(jpg).includes('color_converted') && codes(jpg).includes('lossy_compressed'));
  assert.ok(meanAbsDiff(jpg.display, ref.display) < 0.02);
});
