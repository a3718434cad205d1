/**
 * Generates DICOM / PNG fixtures at test time (nothing binary is committed).
 *
 * A synthetic chest-radiograph-like 512×512 CR image (16 bits allocated, 12 stored, MONOCHROME2)
 * is written as Part 10 with dcmjs (Explicit VR LE) and transcoded into every transfer syntax of
 * api.md 4.2 with DCMTK (dcmconv, dcmcjpeg, dcmcjpls, dcmcrle) and OpenJPEG (opj_compress, wrapped
 * into encapsulated Pixel Data with dcmjs). Variants cover photometric, spacing, VOI and bad input.
 *
 * Every dataset carries the sentinel patient name `SENTINEL^PATIENT^ZZQX` (and other identifying
 * attributes containing `ZZQX`) so tests can assert that nothing identifying leaves the decoder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { dcmjsData, EXPLICIT_LE, IMPLICIT_LE } from '../../server/src/imaging/dcmjs';

const run = promisify(execFile);
const { DicomDict, DicomMetaDictionary, DicomMessage, ReadBufferStream } = dcmjsData;

export const SENTINEL_NAME = 'SENTINEL^PATIENT^ZZQX';
export const SENTINEL_TOKEN = 'ZZQX';
export const SAMPLES_DIR = path.resolve(__dirname, '../../../shared/data/samples');

export const TS = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
  mpeg2: '1.2.840.10008.1.2.4.100',
} as const;

const CR_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.1';
let uidCounter = 0;
const uid = (): string => `1.2.826.0.1.3680043.8.498.${process.pid}.${Date.now() % 1e9}.${++uidCounter}`;

/** Deterministic pseudo-random numbers (so fixtures are identical run to run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/**
 * A chest-radiograph-like image, values 0..4095 (12 bits), MONOCHROME2 (bright = dense):
 * dark air outside the body, soft tissue, dark lungs with bright ribs, a bright mediastinum/heart
 * and spine, and a round nodule of radius ~w/40 in the right lung (viewer's left) at (0.3w, 0.45h).
 */
export function makeChestPixels(w: number, h: number): Uint16Array {
  const out = new Uint16Array(w * h);
  const rnd = lcg(12345);
  const nx = 0.3 * w,
    ny = 0.45 * h,
    nr = Math.max(3, w / 40);
  for (let y = 0; y < h; y++) {
    const v = y / h;
    for (let x = 0; x < w; x++) {
      const u = x / w;
      let val = 250; // air
      const bx = (u - 0.5) / 0.45,
        by = (v - 0.55) / 0.5;
      const inBody = bx * bx + by * by < 1 || (Math.abs(u - 0.5) < 0.42 && v > 0.3);
      if (inBody) {
        val = 2300 + 300 * v;
        for (const cx of [0.3, 0.7]) {
          const lx = (u - cx) / 0.16,
            ly = (v - 0.47) / 0.3;
          if (lx * lx + ly * ly < 1) {
            val = 900 + 250 * v;
            // ribs: curved bright bands
            const phase = (v + 0.08 * Math.cos((u - cx) * 6)) * 14;
            if (phase - Math.floor(phase) < 0.22) val += 450;
          }
        }
        const mx = (u - 0.5) / 0.1,
          my = (v - 0.4) / 0.35;
        if (mx * mx + my * my < 1) val = 2800;
        const hx = (u - 0.55) / 0.16,
          hy = (v - 0.66) / 0.13;
        if (hx * hx + hy * hy < 1) val = 3000;
        if (Math.abs(u - 0.5) < 0.03) val = Math.max(val, 3300);
      }
      const dx = x - nx,
        dy = y - ny;
      if (dx * dx + dy * dy < nr * nr) val += 700;
      val += Math.floor(rnd() * 40) - 20;
      out[y * w + x] = Math.max(0, Math.min(4095, Math.round(val)));
    }
  }
  return out;
}

type Natural = Record<string, unknown>;

/** Identifying attributes that must never leave the decoder. */
function identifying(): Natural {
  return {
    PatientName: SENTINEL_NAME,
    PatientID: 'ZZQX-ID-0001',
    PatientBirthDate: '19010203',
    PatientSex: 'O',
    PatientAge: '099Y',
    AccessionNumber: 'ACCZZQX',
    StudyID: 'SIDZZQX',
    StudyDate: '19020304',
    StudyTime: '111111',
    SeriesDate: '19020304',
    ContentDate: '19020304',
    AcquisitionDate: '19020304',
    InstitutionName: 'ZZQX General',
    InstitutionAddress: 'ZZQX Street 1',
    ReferringPhysicianName: 'REF^ZZQX',
    OperatorsName: 'OP^ZZQX',
    PerformingPhysicianName: 'PERF^ZZQX',
    OtherPatientIDs: 'ZZQX-OTHER',
  };
}

export interface ChestOptions {
  width?: number;
  height?: number;
  bits?: 8 | 12;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  extra?: Natural; // attributes to add / override (undefined value = delete)
  frames?: number;
}

/** The base naturalized dataset with its native pixel data (little endian). */
export function chestDataset(o: ChestOptions = {}): Natural {
  const w = o.width ?? 512,
    h = o.height ?? 512,
    frames = o.frames ?? 1;
  const px12 = makeChestPixels(w, h);
  const mono1 = o.photometric === 'MONOCHROME1';
  let pixel: ArrayBuffer;
  if (o.bits === 8) {
    const p = new Uint8Array(w * h * frames);
    for (let f = 0; f < frames; f++)
      for (let i = 0; i < w * h; i++) {
        const v = px12[i] >> 4;
        p[f * w * h + i] = mono1 ? 255 - v : v;
      }
    pixel = p.buffer;
  } else {
    const p = new Uint16Array(w * h * frames);
    // frame f is brighter by 200·f, so frames differ
    for (let f = 0; f < frames; f++)
      for (let i = 0; i < w * h; i++) {
        const v = Math.min(4095, px12[i] + 200 * f);
        p[f * w * h + i] = mono1 ? 4095 - v : v;
      }
    pixel = p.buffer;
  }
  const eight = o.bits === 8;
  const wc = eight ? 128 : 2048,
    ww = eight ? 256 : 4096;
  const ds: Natural = {
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: CR_SOP_CLASS,
    SOPInstanceUID: uid(),
    StudyInstanceUID: uid(),
    SeriesInstanceUID: uid(),
    ...identifying(),
    Modality: 'CR',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    PatientOrientation: ['L', 'F'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: o.photometric ?? 'MONOCHROME2',
    Rows: h,
    Columns: w,
    BitsAllocated: eight ? 8 : 16,
    BitsStored: eight ? 8 : 12,
    HighBit: eight ? 7 : 11,
    PixelRepresentation: 0,
    PixelSpacing: [0.2, 0.2],
    WindowCenter: wc,
    WindowWidth: ww,
    PixelData: [pixel],
    _vrMap: { PixelData: eight ? 'OB' : 'OW' },
  };
  if (frames > 1) ds.NumberOfFrames = String(frames);
  for (const [k, v] of Object.entries(o.extra ?? {})) {
    if (v === undefined) delete ds[k];
    else ds[k] = v;
  }
  return ds;
}

/** Writes a naturalized dataset as Part 10 in the given (native or encapsulated) transfer syntax. */
export function writePart10(ds: Natural, transferSyntaxUID: string = EXPLICIT_LE): Buffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: (ds.SOPClassUID as string) ?? CR_SOP_CLASS,
    MediaStorageSOPInstanceUID: (ds.SOPInstanceUID as string) ?? uid(),
    TransferSyntaxUID: transferSyntaxUID,
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
    ImplementationVersionName: 'CXRFIXTURES',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  return Buffer.from(dict.write());
}

/** Preamble + DICM + File Meta only (used to wrap a raw dataset). */
function metaOnly(sopClassUID: string, sopInstanceUID: string, ts: string): Buffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUID,
    MediaStorageSOPInstanceUID: sopInstanceUID,
    TransferSyntaxUID: ts,
    ImplementationClassUID: '1.2.826.0.1.3680043.8.498.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = {};
  return Buffer.from(dict.write());
}

/**
 * Wraps a raw dataset without preamble/File Meta (e.g. the ACR-NEMA-style cr-mono1 sample) into
 * Part 10: preamble, DICM, File Meta (SOP class/instance from the dataset), then the bytes unchanged.
 */
export function wrapRawDataset(raw: Buffer, transferSyntaxUID: string = IMPLICIT_LE): Buffer {
  let sopClass = CR_SOP_CLASS,
    sopInstance = uid();
  try {
    const ab = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
    const ds = DicomMessage._read(new ReadBufferStream(ab), transferSyntaxUID, {
      ignoreErrors: true,
      untilTag: '00200000',
    });
    const c = ds['00080016']?.Value?.[0],
      i = ds['00080018']?.Value?.[0];
    if (typeof c === 'string' && c) sopClass = c;
    if (typeof i === 'string' && i) sopInstance = i;
  } catch {
    /* keep defaults */
  }
  return Buffer.concat([metaOnly(sopClass, sopInstance, transferSyntaxUID), raw]);
}

/**
 * Turns an 8-bit (JSRT-like) PNG into a Part 10 CR: MONOCHROME2, 8 bits, PixelSpacing 0.35\0.35,
 * View Position PA, Patient Orientation L\F, Explicit VR LE. Colour PNGs are reduced to grey.
 */
export async function wrapPngAsDicom(
  png: Buffer,
  opts: { pixelSpacing?: [number, number]; extra?: Natural } = {},
): Promise<Buffer> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0, j = 0; i < grey.length; i++, j += info.channels) grey[i] = data[j];
  const ds: Natural = {
    SOPClassUID: CR_SOP_CLASS,
    SOPInstanceUID: uid(),
    StudyInstanceUID: uid(),
    SeriesInstanceUID: uid(),
    Modality: 'CR',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    PatientOrientation: ['L', 'F'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: info.height,
    Columns: info.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelSpacing: opts.pixelSpacing ?? [0.35, 0.35],
    PixelData: [grey.buffer],
    _vrMap: { PixelData: 'OB' },
    ...(opts.extra ?? {}),
  };
  return writePart10(ds, EXPLICIT_LE);
}

/** A grey 8-bit PNG of the synthetic chest (for PNG tests and wrapPngAsDicom). */
export async function makeChestPng(w = 512, h = 512, bits: 8 | 16 = 8): Promise<Buffer> {
  const px = makeChestPixels(w, h);
  if (bits === 16) {
    const p = new Uint16Array(w * h);
    for (let i = 0; i < px.length; i++) p[i] = px[i] << 4;
    // sharp infers 16-bit raw input from a Uint16Array
    return sharp(p as unknown as Buffer, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
  }
  const p = Buffer.alloc(w * h);
  for (let i = 0; i < px.length; i++) p[i] = px[i] >> 4;
  return sharp(p, { raw: { width: w, height: h, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** An RGB(A) 8-bit PNG of the synthetic chest (grey content in three channels). */
export async function makeChestRgbPng(w = 256, h = 256, alpha = false): Promise<Buffer> {
  const px = makeChestPixels(w, h);
  const c = alpha ? 4 : 3;
  const p = Buffer.alloc(w * h * c);
  for (let i = 0; i < px.length; i++) {
    const v = px[i] >> 4;
    p[i * c] = v;
    p[i * c + 1] = v;
    p[i * c + 2] = v;
    if (alpha) p[i * c + 3] = 255;
  }
  return sharp(p, { raw: { width: w, height: h, channels: c } })
    .png()
    .toBuffer();
}

// ---------------------------------------------------------------------------------------------
// bad input builders

/** Explicit-VR-LE element header bytes. */
function elHeader(group: number, element: number, vr: string, length: number): Buffer {
  const long = ['OB', 'OW', 'OF', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OL', 'OV', 'SV', 'UV'].includes(vr);
  const b = Buffer.alloc(long ? 12 : 8);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  b.write(vr, 4, 'latin1');
  if (long) b.writeUInt32LE(length >>> 0, 8);
  else b.writeUInt16LE(length, 6);
  return b;
}

/** Byte offset where the dataset starts (after the File Meta group) in a Part 10 buffer. */
export function datasetOffset(buf: Buffer): number {
  const metaLen = buf.readUInt32LE(132 + 8);
  return 132 + 12 + metaLen;
}

/** Inserts `depth` nested undefined-length sequences at the start of the dataset. */
export function withNesting(part10: Buffer, depth: number): Buffer {
  const off = datasetOffset(part10);
  const open = Buffer.concat([elHeader(0x0008, 0x1140, 'SQ', 0xffffffff), itemTag(0xe000, 0xffffffff)]);
  const close = Buffer.concat([itemTag(0xe00d, 0), itemTag(0xe0dd, 0)]);
  return Buffer.concat([
    part10.subarray(0, off),
    Buffer.concat(Array(depth).fill(open)),
    Buffer.concat(Array(depth).fill(close)),
    part10.subarray(off),
  ]);
}

function itemTag(element: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(0xfffe, 0);
  b.writeUInt16LE(element, 2);
  b.writeUInt32LE(length >>> 0, 4);
  return b;
}

/** Offset of the top-level (7FE0,0010) element header, found by scanning from the end. */
function pixelDataOffset(buf: Buffer): number {
  const tag = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);
  return buf.lastIndexOf(tag);
}

// ---------------------------------------------------------------------------------------------

async function tool(cmd: string, args: string[]): Promise<void> {
  try {
    await run(cmd, args, { timeout: 60000 });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new Error(
        `${cmd} is not installed: the DICOM fixtures need DCMTK and OpenJPEG tools ` +
          '(Debian/Ubuntu: apt-get install dcmtk libopenjp2-tools)',
      );
    }
    throw e;
  }
}

function pgm16(px: Uint16Array, w: number, h: number, maxval: number): Buffer {
  const head = Buffer.from(`P5\n${w} ${h}\n${maxval}\n`, 'latin1');
  const body = Buffer.alloc(w * h * 2);
  for (let i = 0; i < px.length; i++) body.writeUInt16BE(px[i], i * 2);
  return Buffer.concat([head, body]);
}

/** Wraps a JPEG 2000 codestream into an encapsulated Part 10 copy of `ds`. */
function wrapJ2k(ds: Natural, codestream: Buffer, ts: string, lossy: boolean): Buffer {
  const cs = codestream.length % 2 ? Buffer.concat([codestream, Buffer.alloc(1)]) : codestream;
  const ab = cs.buffer.slice(cs.byteOffset, cs.byteOffset + cs.byteLength);
  const copy: Natural = { ...ds, PixelData: [ab], _vrMap: { PixelData: 'OB' } };
  if (lossy) {
    copy.LossyImageCompression = '01';
    copy.LossyImageCompressionMethod = 'ISO_15444_1';
  }
  return writePart10(copy, ts);
}

export interface Fixtures {
  dir: string;
  paths: Record<string, string>;
  sentinel: string;
}

/** Lossless fixtures of the 12-bit image: all must give the same pixelDataSha256. */
export const LOSSLESS_16 = [
  'explicit',
  'implicit',
  'deflated',
  'jpegLossless57',
  'jpegLosslessSV1',
  'jpegLsLossless',
  'rle',
  'j2kLossless',
] as const;
/** Lossy fixtures of the 12-bit image (compared to `explicit` by mean absolute error). */
export const LOSSY_16 = ['jpegLsNear', 'j2kLossy', 'jpegExtended51'] as const;
/** Lossless fixtures of the 8-bit image. */
export const LOSSLESS_8 = ['explicit8', 'rle8', 'jpegLsLossless8', 'jpegLosslessSV1_8'] as const;

let memo: Promise<Fixtures> | null = null;

/**
 * Builds every fixture once per process. Without `dir`, the set is shared between test processes
 * through a temp folder keyed by this file's content (so a changed generator rebuilds), created
 * atomically (built in a private folder, then renamed).
 */
export function makeFixtures(dir?: string): Promise<Fixtures> {
  if (!memo) memo = dir ? build(dir) : cached();
  return memo;
}

async function cached(): Promise<Fixtures> {
  const key = createHash('sha256')
    .update(readFileSync(__filename))
    .update(String(existsSync(path.join(SAMPLES_DIR, 'cr-mono1-10-chest.dcm'))))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(tmpdir(), `cxr-fixtures-${key}`);
  const manifest = path.join(dir, 'manifest.json');
  const load = (): Fixtures => {
    const names = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
    const paths: Record<string, string> = {};
    for (const [k, f] of Object.entries(names)) paths[k] = path.join(dir, f);
    return { dir, paths, sentinel: SENTINEL_NAME };
  };
  if (existsSync(manifest)) return load();
  const tmp = mkdtempSync(path.join(tmpdir(), 'cxr-fixtures-build-'));
  const built = await build(tmp);
  const names: Record<string, string> = {};
  for (const [k, p] of Object.entries(built.paths)) names[k] = path.basename(p);
  writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(names));
  try {
    renameSync(tmp, dir);
  } catch {
    // another process finished first: use its copy
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(manifest)) throw new Error(`could not create ${dir}`);
  }
  return load();
}

async function build(dir: string): Promise<Fixtures> {
  const paths: Record<string, string> = {};
  const p = (name: string) => path.join(dir, `${name}.dcm`);
  const put = (name: string, buf: Buffer) => {
    writeFileSync(p(name), buf);
    paths[name] = p(name);
  };
  const conv = async (name: string, from: string, cmd: string, args: string[]) => {
    await tool(cmd, [...args, paths[from], p(name)]);
    paths[name] = p(name);
  };

  // ---- the 12-bit image in every transfer syntax
  const base = chestDataset();
  put('explicit', writePart10(base));
  await conv('implicit', 'explicit', 'dcmconv', ['+ti']);
  await conv('deflated', 'explicit', 'dcmconv', ['+td']);
  await conv('jpegLossless57', 'explicit', 'dcmcjpeg', ['+el', '+sv', '6']);
  await conv('jpegLosslessSV1', 'explicit', 'dcmcjpeg', ['+e1']);
  await conv('jpegExtended51', 'explicit', 'dcmcjpeg', ['+ee', '+sr', '+q', '95']);
  await conv('jpegLsLossless', 'explicit', 'dcmcjpls', ['+el']);
  await conv('jpegLsNear', 'explicit', 'dcmcjpls', ['+en', '+md', '3']);
  await conv('rle', 'explicit', 'dcmcrle', []);
  const px = makeChestPixels(512, 512);
  writeFileSync(path.join(dir, 'chest.pgm'), pgm16(px, 512, 512, 4095));
  await tool('opj_compress', ['-i', path.join(dir, 'chest.pgm'), '-o', path.join(dir, 'chest-lossless.j2k')]);
  await tool('opj_compress', [
    '-i',
    path.join(dir, 'chest.pgm'),
    '-o',
    path.join(dir, 'chest-lossy.j2k'),
    '-r',
    '12',
    '-I',
  ]);
  put('j2kLossless', wrapJ2k(base, readFileSync(path.join(dir, 'chest-lossless.j2k')), TS.j2kLossless, false));
  put('j2kLossy', wrapJ2k(base, readFileSync(path.join(dir, 'chest-lossy.j2k')), TS.j2k, true));

  // ---- 8-bit image
  put('explicit8', writePart10(chestDataset({ bits: 8 })));
  await conv('jpegBaseline', 'explicit8', 'dcmcjpeg', ['+eb', '+sr', '+q', '95']);
  await conv('rle8', 'explicit8', 'dcmcrle', []);
  await conv('jpegLsLossless8', 'explicit8', 'dcmcjpls', ['+el']);
  await conv('jpegLosslessSV1_8', 'explicit8', 'dcmcjpeg', ['+e1']);

  // ---- photometric, VOI, modality variants
  put(
    'mono1',
    writePart10(chestDataset({ photometric: 'MONOCHROME1', extra: { WindowCenter: 2047, WindowWidth: 4096 } })),
  );
  await conv('mono1Rle', 'mono1', 'dcmcrle', []);
  put('mono2NoWindow', writePart10(chestDataset({ extra: { WindowCenter: undefined, WindowWidth: undefined } })));
  put(
    'mono1NoWindow',
    writePart10(
      chestDataset({ photometric: 'MONOCHROME1', extra: { WindowCenter: undefined, WindowWidth: undefined } }),
    ),
  );
  put(
    'sigmoid',
    writePart10(chestDataset({ extra: { WindowCenter: 2000, WindowWidth: 3000, VOILUTFunction: 'SIGMOID' } })),
  );
  put(
    'linearExact',
    writePart10(chestDataset({ extra: { WindowCenter: 2000, WindowWidth: 3000, VOILUTFunction: 'LINEAR_EXACT' } })),
  );
  const lut = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) lut[i] = Math.round(Math.sqrt(i / 4095) * 4095);
  put(
    'voiLut',
    writePart10(
      chestDataset({
        extra: {
          WindowCenter: undefined,
          WindowWidth: undefined,
          VOILUTSequence: [
            { LUTDescriptor: [4096, 0, 12], LUTData: Array.from(lut), _vrMap: { LUTData: 'US', LUTDescriptor: 'US' } },
          ],
        },
      }),
    ),
  );
  put(
    'rescale',
    writePart10(
      chestDataset({
        extra: { RescaleSlope: 2, RescaleIntercept: -1000, RescaleType: 'US', WindowCenter: 3096, WindowWidth: 8192 },
      }),
    ),
  );
  {
    // signed: stored = value - 2048 in 12 bits two's complement, rescale intercept 2048
    const ds = chestDataset({ extra: { PixelRepresentation: 1, RescaleIntercept: 2048, RescaleSlope: 1 } });
    const u = new Uint16Array((ds.PixelData as ArrayBuffer[])[0]);
    for (let i = 0; i < u.length; i++) u[i] = (u[i] - 2048) & 0xffff;
    put('signed', writePart10(ds));
  }
  put('lateral', writePart10(chestDataset({ extra: { ViewPosition: 'LL' } })));
  put('noOrientation', writePart10(chestDataset({ extra: { PatientOrientation: undefined } })));
  put('mirrored', writePart10(chestDataset({ extra: { PatientOrientation: ['R', 'F'] } })));
  put('multiframe', writePart10(chestDataset({ frames: 3, width: 128, height: 128 })));
  await conv('multiframeRle', 'multiframe', 'dcmcrle', []);
  await conv('multiframeJpegNoBot', 'multiframe', 'dcmcjpeg', ['+e1', '-ot', '+fs', '2']);
  await conv('multiframeJlsNoBot', 'multiframe', 'dcmcjpls', ['+el', '-ot']);
  put('lossyFlag', writePart10(chestDataset({ extra: { LossyImageCompression: '01' } })));
  {
    // native RGB, 8 bit, interleaved: R = G = B = the 8-bit chest
    const g = new Uint8Array((chestDataset({ bits: 8 }).PixelData as ArrayBuffer[])[0]);
    const rgb = new Uint8Array(g.length * 3);
    for (let i = 0; i < g.length; i++) {
      rgb[3 * i] = g[i];
      rgb[3 * i + 1] = g[i];
      rgb[3 * i + 2] = g[i];
    }
    put(
      'rgb',
      writePart10(
        chestDataset({
          bits: 8,
          extra: {
            SamplesPerPixel: 3,
            PhotometricInterpretation: 'RGB',
            PlanarConfiguration: 0,
            PixelData: [rgb.buffer],
            _vrMap: { PixelData: 'OB' },
          },
        }),
      ),
    );
  }
  await conv('rgbJpeg', 'rgb', 'dcmcjpeg', ['+eb', '+q', '95']);
  await conv('rgbRle', 'rgb', 'dcmcrle', []);

  // ---- spacing variants
  const sp = (extra: Natural) => writePart10(chestDataset({ extra: { PixelSpacing: undefined, ...extra } }));
  put('spacingPixel', sp({ PixelSpacing: [0.2, 0.25], PixelSpacingCalibrationType: 'GEOMETRY' }));
  put('spacingImager', sp({ ImagerPixelSpacing: [0.18, 0.18] }));
  put('spacingImagerErmf', sp({ ImagerPixelSpacing: [0.2, 0.2], EstimatedRadiographicMagnificationFactor: 1.25 }));
  put('spacingNone', sp({}));
  put('spacingInvalid', sp({ PixelSpacing: [0, 0] }));
  put('spacingInvalidWithImager', sp({ PixelSpacing: [0, 0], ImagerPixelSpacing: [0.15, 0.15] }));
  put('spacingEqualNoCalib', sp({ PixelSpacing: [0.2, 0.2], ImagerPixelSpacing: [0.2, 0.2] }));

  // ---- bad input
  const good = readFileSync(paths.explicit);
  put('badNoDicm', good.subarray(datasetOffset(good)));
  put('badTruncated', good.subarray(0, good.length - 1000));
  put('badNoPixelData', writePart10(chestDataset({ extra: { PixelData: undefined, _vrMap: {} } })));
  put('badSizeMismatch', writePart10(chestDataset({ extra: { Rows: 600 } })));
  {
    const ds = chestDataset();
    const ab = new Uint8Array([0, 0, 1, 0xb3, 1, 2, 3, 4]).buffer;
    put('badUnsupportedTs', writePart10({ ...ds, PixelData: [ab], _vrMap: { PixelData: 'OB' } }, TS.mpeg2));
  }
  put('badHuge', writePart10(chestDataset({ width: 16, height: 16, extra: { Rows: 60000, Columns: 60000 } })));
  put('badDeep200', withNesting(good, 200));
  put('badDeep100k', withNesting(good, 100000));
  put('badBitsAllocated', writePart10(chestDataset({ extra: { BitsAllocated: 32, BitsStored: 32, HighBit: 31 } })));
  put('badPalette', writePart10(chestDataset({ bits: 8, extra: { PhotometricInterpretation: 'PALETTE COLOR' } })));
  {
    // an element (not Pixel Data) whose declared length runs past the end of the file
    const off = datasetOffset(good);
    put('badMalformed', Buffer.concat([good.subarray(0, off), elHeader(0x0008, 0x0070, 'LO', 200), Buffer.from('ab')]));
    // a huge declared length on a binary VR element (dcmjs would loop over it)
    const big = Buffer.concat([good.subarray(0, off), elHeader(0x0009, 0x1010, 'UN', 0xfffffff0), Buffer.alloc(64)]);
    put('badHugeLength', big);
  }
  {
    const j2k = readFileSync(paths.j2kLossless);
    put('badTruncatedFragments', j2k.subarray(0, j2k.length - 5000));
    // encapsulated Pixel Data with the sequence delimiter removed (ends after the last fragment)
    put('badUnterminatedFragments', j2k.subarray(0, j2k.length - 8));
    // native Pixel Data whose declared length runs past the end of the file
    const pdo = pixelDataOffset(good);
    const cut = Buffer.from(good.subarray(0, pdo + 12 + 100));
    put('badTruncatedHeaderOnly', cut);
  }
  {
    // a J2K codestream whose SIZ declares a different size than Rows/Columns (never decoded)
    const j2k = readFileSync(path.join(dir, 'chest-lossless.j2k'));
    const forged = Buffer.from(j2k);
    forged.writeUInt32BE(40000, 8);
    forged.writeUInt32BE(40000, 12); // Xsiz, Ysiz
    put('badCodestreamSize', wrapJ2k(base, forged, TS.j2kLossless, false));
  }
  {
    // garbage inside a well-formed encapsulation: codec failure
    const ds = chestDataset();
    const junk = new Uint8Array(4000);
    junk.fill(0x5a);
    junk[0] = 0xff;
    junk[1] = 0x4f;
    put('badCodestream', writePart10({ ...ds, PixelData: [junk.buffer], _vrMap: { PixelData: 'OB' } }, TS.j2kLossless));
  }
  const real = path.join(SAMPLES_DIR, 'cr-mono1-10-chest.dcm');
  if (existsSync(real)) put('crMono1Wrapped', wrapRawDataset(readFileSync(real)));

  writeFileSync(path.join(dir, 'chest.png'), await makeChestPng());
  paths.png8 = path.join(dir, 'chest.png');
  writeFileSync(path.join(dir, 'chest16.png'), await makeChestPng(512, 512, 16));
  paths.png16 = path.join(dir, 'chest16.png');
  return { dir, paths, sentinel: SENTINEL_NAME };
}
