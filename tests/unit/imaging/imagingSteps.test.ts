/** Named steps of the imaging layer: codestream readers, spacing choice, grey conversion. */
import { j2kCodestreamStart, readJ2kSiz, readJpegHeader } from '../../../server/src/imaging/codestream';
import { greyOf } from '../../../server/src/imaging/pngJpeg';
import { resolveSpacing, type SpacingInput } from '../../../server/src/imaging/spacing';

const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** A J2K main header: SOC, SIZ for a w×h image, `c` components of `bits`, one tile. */
function j2k(w: number, h: number, c = 1, bits = 12): number[] {
  const comps = Array.from({ length: c }, () => [bits - 1, 1, 1]).flat();
  const siz = [...be16(38 + 3 * c), ...be16(0), ...be32(w), ...be32(h), ...be32(0), ...be32(0)];
  return [0xff, 0x4f, 0xff, 0x51, ...siz, ...be32(w), ...be32(h), ...be32(0), ...be32(0), ...be16(c), ...comps];
}
/** A JP2 file: signature box, then the codestream box. */
function jp2(code: number[]): Uint8Array {
  const sig = [...be32(12), ...be32(0x6a502020), 0x0d, 0x0a, 0x87, 0x0a];
  const ftyp = [...be32(12), ...be32(0x66747970), ...be32(0)];
  return new Uint8Array([...sig, ...ftyp, ...be32(8 + code.length), ...be32(0x6a703263), ...code]);
}

describe('J2K header', () => {
  test('j2kCodestreamStart: 0 for a bare codestream, after the jp2c box header in JP2', () => {
    expect(j2kCodestreamStart(new Uint8Array(j2k(4, 3)))).toBe(0);
    expect(j2kCodestreamStart(jp2(j2k(4, 3)))).toBe(32);
  });
  test('j2kCodestreamStart: null for a JP2 without a codestream box or with a broken box length', () => {
    const noCode = jp2([]).slice(0, 24);
    expect(j2kCodestreamStart(new Uint8Array([...noCode, ...be32(4), ...be32(0x66726565)]))).toBeNull();
  });
  test('readJ2kSiz reads size, components and precision from either form', () => {
    const want = { width: 640, height: 480, components: 3, precisions: [8, 8, 8], tiles: 1, subsampled: false };
    expect(readJ2kSiz(new Uint8Array(j2k(640, 480, 3, 8)))).toEqual(want);
    expect(readJ2kSiz(jp2(j2k(640, 480, 3, 8)))).toEqual(want);
  });
  test('readJ2kSiz refuses a SIZ whose length disagrees with its component count', () => {
    const b = j2k(8, 8, 2);
    b[5] = 38 + 3; // Lsiz for one component
    expect(readJ2kSiz(new Uint8Array(b))).toBeNull();
  });
});

/** A JPEG: SOI, SOFn (w×h, nf components of `precision`), `scans` SOS segments each with one entropy byte, EOI. */
function jpeg(marker: number, w: number, h: number, nf = 1, scans = 1, precision = 8): Uint8Array {
  const comps = Array.from({ length: nf }, (_, i) => [i + 1, 0x11, 0]).flat();
  const sof = [0xff, marker, ...be16(8 + 3 * nf), precision, ...be16(h), ...be16(w), nf, ...comps];
  const sos = [0xff, 0xda, ...be16(8), 1, 1, 0, 0, 63, 0, 0x12];
  const body = Array.from({ length: scans }, () => sos).flat();
  return new Uint8Array([0xff, 0xd8, 0xff, 0xff, ...sof, 0xff, 0xd0, ...body, 0xff, 0xd9]);
}

describe('JPEG header', () => {
  test('fill bytes and RST markers are skipped; size, components, scans and process read', () => {
    expect(readJpegHeader(jpeg(0xc0, 300, 200, 3, 2), false)).toEqual({
      width: 300,
      height: 200,
      components: 3,
      precision: 8,
      scans: 2,
      lossless: false,
    });
    expect(readJpegHeader(jpeg(0xc3, 16, 16, 1, 1, 12), false)?.lossless).toBe(true);
    expect(readJpegHeader(jpeg(0xf7, 16, 16), true)?.lossless).toBe(true);
  });
  test('a SOF whose length disagrees with its component count, or a second SOF, is refused', () => {
    const b = jpeg(0xc0, 8, 8, 1);
    b[13] = 3; // Nf = 3 in a segment sized for 1
    expect(readJpegHeader(b, false)).toBeNull();
    const twice = jpeg(0xc0, 8, 8);
    const sof = Array.from(twice.slice(4, 4 + 2 + 11));
    const doubled = new Uint8Array([...twice.slice(0, 4), ...sof, ...twice.slice(4)]);
    expect(readJpegHeader(doubled, false)).toBeNull();
  });
  test('a scan before any SOF is refused', () => {
    expect(
      readJpegHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0xff, 0xd9]), false),
    ).toBeNull();
  });
});

describe('resolveSpacing', () => {
  const dicom = (over: Partial<SpacingInput>): SpacingInput => ({
    pixelSpacing: null,
    imagerPixelSpacing: null,
    ermf: null,
    calibrationType: null,
    requestSpacing: null,
    isDicom: true,
    ...over,
  });
  test.each<[string, Partial<SpacingInput>, [number, number] | null, string, string[]]>([
    ['Pixel Spacing', { pixelSpacing: [0.2, 0.3] }, [0.2, 0.3], 'PixelSpacing', []],
    [
      'Pixel Spacing equal to Imager Pixel Spacing, no calibration',
      { pixelSpacing: [0.2, 0.2], imagerPixelSpacing: [0.2, 0.2] },
      [0.2, 0.2],
      'PixelSpacing',
      ['spacing_at_detector'],
    ],
    [
      'Imager Pixel Spacing / ERMF',
      { imagerPixelSpacing: [0.22, 0.22], ermf: 1.1 },
      [0.2, 0.2],
      'ImagerPixelSpacing/ERMF',
      [],
    ],
    [
      'Imager Pixel Spacing with an ERMF below 1',
      { imagerPixelSpacing: [0.2, 0.2], ermf: 0.9 },
      [0.2, 0.2],
      'ImagerPixelSpacing',
      ['invalid_pixel_spacing', 'spacing_at_detector'],
    ],
    [
      'an infinite ERMF is invalid',
      { imagerPixelSpacing: [0.2, 0.2], ermf: Infinity },
      [0.2, 0.2],
      'ImagerPixelSpacing',
      ['invalid_pixel_spacing', 'spacing_at_detector'],
    ],
    [
      'an invalid Pixel Spacing',
      { pixelSpacing: [0, 0.2] },
      null,
      'none',
      ['invalid_pixel_spacing', 'no_pixel_spacing'],
    ],
    ['nothing', {}, null, 'none', ['no_pixel_spacing']],
    ['a request value on DICOM is ignored', { requestSpacing: [0.1, 0.1] }, null, 'none', ['no_pixel_spacing']],
    [
      'the request value for PNG/JPEG',
      { isDicom: false, requestSpacing: [0.1, 0.1], pixelSpacing: [0.5, 0.5] },
      [0.1, 0.1],
      'PixelSpacing',
      [],
    ],
  ])('%s', (_name, over, spacing, source, warnings) => {
    const r = resolveSpacing(dicom(over));
    expect(r.pixelSpacingMm).toEqual(spacing);
    expect(r.spacingSource).toBe(source);
    expect(r.warnings).toEqual(warnings);
  });
  test('the detail keeps what was found, and where the spacing came from', () => {
    const r = resolveSpacing(dicom({ pixelSpacing: [NaN, 0.2], imagerPixelSpacing: [0.3, 0.3], ermf: NaN }));
    expect(r.spacingDetail).toEqual({
      pixelSpacing: null,
      imagerPixelSpacing: [0.3, 0.3],
      ermf: null,
      calibrationType: null,
      origin: 'dicom',
    });
  });
});

describe('greyOf', () => {
  test('one channel is returned as it is', () => {
    const g = new Uint8Array([1, 2, 3]);
    expect(greyOf(g, 1, 3)).toBe(g);
  });
  test('alpha is dropped before luminance: RGBA equals RGB', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0]);
    const rgba = new Uint8Array([255, 0, 0, 7, 0, 255, 0, 200]);
    expect(Array.from(greyOf(rgba, 4, 2))).toEqual(Array.from(greyOf(rgb, 3, 2)));
  });
  test('grey + alpha uses the grey channel for all three', () => {
    const ga = new Uint16Array([1000, 65535, 3000, 0]);
    expect(Array.from(greyOf(ga, 2, 2))).toEqual([1000, 3000]);
  });
});
