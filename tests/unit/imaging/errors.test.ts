import assert from 'node:assert/strict';
import { ApiError } from '../../../server/src/errors';
import { decodeImage } from '../../../server/src/imaging/decode';
import { SUPPORTED_TRANSFER_SYNTAXES } from '../../../server/src/imaging/transferSyntax';
import {
  chestDataset,
  datasetOffset,
  makeFixtures,
  withNesting,
  writePart10,
  SENTINEL_TOKEN,
} from '../../support/dicomFixtures';
import { fixture, LIMITS } from './helpers';

const BAD: [string, string][] = [
  ['badNoDicm', 'not_dicom'],
  ['badTruncated', 'truncated_pixel_data'],
  ['badTruncatedHeaderOnly', 'truncated_pixel_data'],
  ['badTruncatedFragments', 'truncated_pixel_data'],
  ['badUnterminatedFragments', 'truncated_pixel_data'],
  ['badNoPixelData', 'no_pixel_data'],
  ['badSizeMismatch', 'pixel_data_size_mismatch'],
  ['badCodestreamSize', 'pixel_data_size_mismatch'],
  ['badUnsupportedTs', 'unsupported_transfer_syntax'],
  ['badHuge', 'image_too_large'],
  ['badDeep200', 'nesting_too_deep'],
  ['badDeep100k', 'nesting_too_deep'],
  ['badBitsAllocated', 'unsupported_pixel_format'],
  ['badPalette', 'unsupported_pixel_format'],
  ['badMalformed', 'malformed_dicom'],
  ['badHugeLength', 'malformed_dicom'],
  ['badCodestream', 'malformed_dicom'],
];

/** Runs a decode expected to fail; returns the ApiError after checking it is 4xx and fast. */
async function expectError(buf: Buffer, limits = LIMITS): Promise<ApiError> {
  const t = performance.now();
  try {
    await decodeImage(buf, 'application/dicom', {}, limits);
  } catch (e) {
    const ms = performance.now() - t;
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.ok(e.status >= 400 && e.status < 500, `status ${e.status}`);
    assert.ok(ms < 2000, `took ${ms} ms`);
    return e;
  }
  assert.fail('decode succeeded');
}

for (const [name, code] of BAD) {
  test(`bad input ${name} → ${code} within 2 s, no patient data in the error`, async () => {
    const e = await expectError(await fixture(name));
    assert.equal(e.code, code);
    const text = JSON.stringify({ message: e.message, details: e.details });
    assert.ok(!text.includes(SENTINEL_TOKEN), text);
  });
}

test('unsupported_transfer_syntax names the syntax and the supported list', async () => {
  const e = await expectError(await fixture('badUnsupportedTs'));
  assert.equal(e.status, 415);
  assert.equal(e.details?.transferSyntaxUID, '1.2.840.10008.1.2.4.100');
  assert.deepEqual(e.details?.supported, [...SUPPORTED_TRANSFER_SYNTAXES]);
});

test('nesting depth: maxSequenceDepth levels pass, one more fails', async () => {
  const good = writePart10(chestDataset({ width: 32, height: 32 }));
  const limits = { ...LIMITS, maxSequenceDepth: 16 };
  const ok = await decodeImage(withNesting(good, 16), 'application/dicom', {}, limits);
  assert.equal(ok.width, 32);
  const e = await expectError(withNesting(good, 17), limits);
  assert.equal(e.code, 'nesting_too_deep');
});

test('image_too_large is checked against both limits before decoding', async () => {
  const buf = await fixture('explicit');
  const e1 = await expectError(buf, { ...LIMITS, maxImagePixels: 100000 });
  assert.equal(e1.code, 'image_too_large');
  const e2 = await expectError(buf, { ...LIMITS, maxImageDimension: 256 });
  assert.equal(e2.code, 'image_too_large');
});

test('tiny and empty bodies', async () => {
  assert.equal((await expectError(Buffer.alloc(0))).code, 'not_dicom');
  const dicm = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]);
  assert.equal((await expectError(dicm)).code, 'malformed_dicom');
  assert.equal((await expectError(Buffer.concat([dicm, Buffer.alloc(3)]))).code, 'malformed_dicom');
});

test('every truncation of a small file is a 4xx (or, past Pixel Data, a success)', async () => {
  const good = writePart10(chestDataset({ width: 24, height: 24 }));
  const seen = new Set<string>();
  for (let n = 0; n < good.length; n += 7) {
    try {
      await decodeImage(good.subarray(0, n), 'application/dicom', {}, LIMITS);
      seen.add('ok');
    } catch (e) {
      assert.ok(e instanceof ApiError && e.status < 500, `cut at ${n}: ${String(e)}`);
      seen.add(e.code);
    }
  }
  assert.ok(seen.has('not_dicom') && seen.has('truncated_pixel_data'), [...seen].join(','));
});

test('random byte corruption never crashes, hangs or gives a 5xx', async () => {
  const files = [
    writePart10(chestDataset({ width: 32, height: 32 })),
    await fixture('j2kLossless'),
    await fixture('rle'),
  ];
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let k = 0; k < 150; k++) {
    const src = files[k % files.length];
    const buf = Buffer.from(src);
    const hits = 1 + Math.floor(rnd() * 4);
    // corrupt the header region (first 1 KiB after the preamble) or anywhere
    for (let h = 0; h < hits; h++) {
      const pos =
        rnd() < 0.7 ? 132 + Math.floor(rnd() * Math.min(1024, buf.length - 132)) : Math.floor(rnd() * buf.length);
      buf[pos] = Math.floor(rnd() * 256);
    }
    const t = performance.now();
    try {
      await decodeImage(buf, 'application/dicom', {}, LIMITS);
    } catch (e) {
      assert.ok(e instanceof ApiError && e.status >= 400 && e.status < 500, `mutation ${k}: ${String(e)}`);
    }
    assert.ok(performance.now() - t < 2000, `mutation ${k} too slow`);
  }
});

test('the sentinel patient name never appears in any decoded result', async () => {
  const f = await makeFixtures();
  let decoded = 0;
  for (const [name, path] of Object.entries(f.paths)) {
    if (name.startsWith('bad') || name.startsWith('png')) continue;
    const buf = await fixture(name);
    if (name !== 'crMono1Wrapped' && name !== 'deflated')
      assert.ok(buf.includes(Buffer.from(SENTINEL_TOKEN)), `${name} carries the sentinel`);
    const d = await decodeImage(buf, 'application/dicom', {}, LIMITS);
    const text = JSON.stringify({ info: d.info, warnings: d.warnings });
    assert.ok(!text.includes(SENTINEL_TOKEN), `${name}: ${path}`);
    assert.ok(!/1901|1902|ACCZZQX|SENTINEL/.test(text), name);
    decoded++;
  }
  assert.ok(decoded > 30);
});

test('hostile element shapes are refused fast: wrong VR for Rows, huge text value, too many elements', async () => {
  const wrongVr = writePart10(
    chestDataset({ width: 16, height: 16, extra: { Rows: '16', _vrMap: { PixelData: 'OW', Rows: 'LO' } } }),
  );
  assert.equal((await expectError(wrongVr)).code, 'malformed_dicom');

  const good = writePart10(chestDataset({ width: 16, height: 16 }));
  const off = datasetOffset(good);
  const head = (g: number, e: number, vr: string, len: number): Buffer => {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(g, 0);
    b.writeUInt16LE(e, 2);
    b.write(vr, 4, 'latin1');
    b.writeUInt32LE(len, 8);
    return b;
  };
  const hugeUr = Buffer.concat([
    good.subarray(0, off),
    head(0x0008, 0x0120, 'UR', 2 << 20),
    Buffer.alloc(2 << 20, 0x61),
    good.subarray(off),
  ]);
  assert.equal((await expectError(hugeUr)).code, 'malformed_dicom');

  const one = Buffer.alloc(8);
  one.writeUInt16LE(0x0009, 0);
  one.writeUInt16LE(0x1001, 2);
  one.write('LO', 4, 'latin1');
  const many = Buffer.concat([good.subarray(0, off), Buffer.concat(Array(200_000).fill(one)), good.subarray(off)]);
  assert.equal((await expectError(many)).code, 'malformed_dicom');
});

test('a valid file with ISO 2022 character sets still decodes', async () => {
  const buf = writePart10(
    chestDataset({ width: 16, height: 16, extra: { SpecificCharacterSet: ['ISO 2022 IR 6', 'ISO 2022 IR 87'] } }),
  );
  const d = await decodeImage(buf, 'application/dicom', {}, LIMITS);
  assert.equal(d.width, 16);
});
