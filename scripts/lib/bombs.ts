/**
 * Decoder bombs of issue 11, built from real codestreams: small files whose headers declare far
 * more work than their size suggests. Used by tests/integration/decoderBombs.test.ts and
 * `npm run fuzz` (scripts/fuzz.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import sharp from 'sharp';
import { chestDataset, datasetOffset, makeChestPixels, makeFixtures, TS, writePart10 } from './dicomFixtures';

const DEFLATED = TS.deflated;

/** The fixtures' real 512² 12-bit J2K codestream (opj_compress). */
async function realJ2k(): Promise<Buffer> {
  const fx = await makeFixtures();
  return readFileSync(path.join(fx.dir, 'chest-lossless.j2k'));
}

/**
 * A J2K codestream whose SIZ is rewritten to declare `components` components (12-bit, not
 * subsampled) and, optionally, `tile`×`tile` tiles; everything after the SIZ is the real codestream.
 */
export function forgeJ2kSiz(j2k: Buffer, components: number, tile?: number): Buffer {
  if (j2k.readUInt16BE(0) !== 0xff4f || j2k.readUInt16BE(2) !== 0xff51) throw new Error('not a raw J2K codestream');
  const oldLen = j2k.readUInt16BE(4);
  const fixed = Buffer.from(j2k.subarray(6, 6 + 34)); // Rsiz … YTOsiz
  if (tile) {
    fixed.writeUInt32BE(tile, 18);
    fixed.writeUInt32BE(tile, 22);
    fixed.writeUInt32BE(0, 26);
    fixed.writeUInt32BE(0, 30);
  }
  const siz = Buffer.alloc(2 + 38 + 3 * components);
  siz.writeUInt16BE(0xff51, 0);
  siz.writeUInt16BE(38 + 3 * components, 2);
  fixed.copy(siz, 4);
  siz.writeUInt16BE(components, 38);
  for (let c = 0; c < components; c++) {
    siz[40 + 3 * c] = 11;
    siz[41 + 3 * c] = 1;
    siz[42 + 3 * c] = 1;
  }
  return Buffer.concat([j2k.subarray(0, 2), siz, j2k.subarray(4 + oldLen)]);
}

/** A 512² 12-bit CR (SamplesPerPixel 1) whose encapsulated frame is `codestream`. */
function wrapEncapsulated(codestream: Buffer, ts: string, bits: 8 | 12 = 12, width = 512, height = 512): Buffer {
  const cs = codestream.length % 2 ? Buffer.concat([codestream, Buffer.alloc(1)]) : codestream;
  const ds = chestDataset({ bits, width, height });
  return writePart10(
    { ...ds, PixelData: [cs.buffer.slice(cs.byteOffset, cs.byteOffset + cs.byteLength)], _vrMap: { PixelData: 'OB' } },
    ts,
  );
}

/** J2K declaring 16,384 components in a DICOM file that says SamplesPerPixel 1. */
export async function j2kComponentBomb(components = 16384): Promise<Buffer> {
  return wrapEncapsulated(forgeJ2kSiz(await realJ2k(), components), TS.j2kLossless);
}

/** J2K with 16×16 tiles and 3,000 components. */
export async function j2kTileBomb(): Promise<Buffer> {
  return wrapEncapsulated(forgeJ2kSiz(await realJ2k(), 3000, 16), TS.j2kLossless);
}

/** J2K declaring 16×16 tiles on the real 512² image (1,024 tiles: within bounds) — control. */
export async function j2kSmallTiles(): Promise<Buffer> {
  return forgeJ2kSiz(await realJ2k(), 1, 16);
}

/** Segments of a JPEG: [start, end) of each marker segment, scans including their entropy data. */
function jpegSegments(b: Buffer): { marker: number; start: number; end: number }[] {
  const out: { marker: number; start: number; end: number }[] = [];
  let i = 2;
  while (i + 4 <= b.length) {
    const m = b[i + 1]!;
    if (m === 0xd9) break;
    const len = b.readUInt16BE(i + 2);
    let end = i + 2 + len;
    if (m === 0xda) {
      while (
        end + 1 < b.length &&
        !(b[end] === 0xff && b[end + 1] !== 0 && !(b[end + 1]! >= 0xd0 && b[end + 1]! <= 0xd7))
      )
        end++;
    }
    out.push({ marker: m, start: i, end });
    i = end;
  }
  return out;
}

/** A progressive 8-bit grey JPEG of the synthetic chest whose smallest scan is repeated `repeats` times. */
export async function progressiveScanBomb(repeats = 2000, side = 512): Promise<Buffer> {
  const px = makeChestPixels(side, side);
  const grey = Buffer.alloc(side * side);
  for (let i = 0; i < grey.length; i++) grey[i] = px[i]! >> 4;
  const jpeg = await sharp(grey, { raw: { width: side, height: side, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ progressive: true, quality: 90 })
    .toBuffer();
  const scans = jpegSegments(jpeg).filter((s) => s.marker === 0xda);
  const small = scans.reduce((a, s) => (s.end - s.start < a.end - a.start ? s : a));
  const eoi = jpegSegments(jpeg).at(-1)!.end;
  const scan = jpeg.subarray(small.start, small.end);
  return Buffer.concat([
    jpeg.subarray(0, eoi),
    ...Array.from({ length: repeats }, () => scan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** The scan bomb as a JPEG Baseline DICOM (8-bit, 512²). */
export async function progressiveScanBombDicom(repeats = 2000): Promise<Buffer> {
  return wrapEncapsulated(await progressiveScanBomb(repeats, 512), TS.jpegBaseline, 8);
}

/**
 * A Deflated Explicit VR LE file declaring a 512² 12-bit image whose data set inflates to about
 * `inflatedMb` MB (a private OB element of zeros after Pixel Data); compressed in a stream, so
 * building it needs little memory. About 350 KB for 360 MB.
 */
export async function deflateBomb(inflatedMb = 360): Promise<Buffer> {
  const explicit = writePart10(chestDataset());
  const dataset = explicit.subarray(datasetOffset(explicit));
  const metaSrc = writePart10({ ...chestDataset({ width: 8, height: 8 }) }, DEFLATED);
  const meta = metaSrc.subarray(0, datasetOffset(metaSrc));
  const huge = inflatedMb * 1024 * 1024;
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x7fe1, 0);
  header.writeUInt16LE(0x1010, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(huge, 8);
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  const write = (b: Buffer) =>
    new Promise<void>((resolve) => {
      if (z.write(b)) resolve();
      else z.once('drain', resolve);
    });
  await write(Buffer.from(dataset));
  await write(header);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < inflatedMb; i++) await write(zeros);
  z.end();
  await done;
  return Buffer.concat([meta, ...out]);
}

/** A flat-ish 7000×7000 8-bit PNG (about 140 KB): 49 Mpx, within MAX_IMAGE_PIXELS. */
export async function hugePng(side = 7000): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
}
