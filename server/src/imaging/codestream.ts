/**
 * Header validation of compressed frames before any codec sees them (issue 11, decoder bombs).
 *
 * A codec's work and memory follow what the codestream header declares — components, precision,
 * size, tiles, scans — not the file size: a 700 KB J2K declaring 16,384 components or a JPEG with
 * one progressive scan repeated 2,000 times costs tens of seconds and gigabytes. So the header must
 * agree with the DICOM attributes (which were already checked against the image limits) and the
 * structure must stay within small bounds; only then is the frame decoded. Pure and linear in the
 * input; throws ApiError (4xx) on any mismatch.
 */
import { ApiError } from '../errors';
import { malformed } from './prescan';
import type { SyntaxKind } from './transferSyntax';

/** Most scans (SOS segments) in one JPEG / JPEG-LS image: progressive files use about 10. */
export const MAX_JPEG_SCANS = 64;
/** Most tiles in one J2K codestream (a 8192² image in 128² tiles has 4,096). */
export const MAX_J2K_TILES = 4096;
/** Most segments in an RLE frame (PS3.5 G.3.1). */
const MAX_RLE_SEGMENTS = 15;

export interface ExpectedFrame {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
}

const u16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number): number =>
  ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const u32le = (b: Uint8Array, i: number): number =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16)) + ((b[i + 3]! << 24) >>> 0);

const sizeMismatch = (g: ExpectedFrame, w: number, h: number): ApiError =>
  new ApiError('pixel_data_size_mismatch', 'The compressed frame size differs from Rows/Columns.', {
    declared: g.rows * g.columns,
    actual: w * h,
  });
const headerMismatch = (reason: string, declared: number, actual: number): ApiError =>
  new ApiError('malformed_dicom', 'The compressed frame header disagrees with the image attributes.', {
    reason,
    declared,
    actual,
  });

/** Validates one encapsulated frame's header against the image attributes (before decoding). */
export function checkCodestream(kind: SyntaxKind, b: Uint8Array, g: ExpectedFrame): void {
  if (kind === 'j2k') checkJ2k(b, g);
  else if (kind === 'jpeg' || kind === 'jpegls') checkJpegFrame(b, g, kind === 'jpegls');
  else if (kind === 'rle') checkRle(b, g);
}

// ------------------------------------------------------------------ JPEG 2000

export interface J2kHeader {
  width: number;
  height: number;
  components: number;
  precisions: number[];
  tiles: number;
  subsampled: boolean;
}

/** The SIZ marker of a J2K codestream (or of a JP2 file's contiguous codestream box), or null. */
export function readJ2kSiz(b: Uint8Array): J2kHeader | null {
  const i = j2kCodestreamStart(b);
  if (i === null || i + 4 > b.length || u16(b, i) !== 0xff4f || u16(b, i + 2) !== 0xff51) return null;
  const s = i + 4; // Lsiz
  if (s + 38 > b.length) return null;
  const lsiz = u16(b, s);
  const xsiz = u32(b, s + 4),
    ysiz = u32(b, s + 8),
    xo = u32(b, s + 12),
    yo = u32(b, s + 16);
  const xt = u32(b, s + 20),
    yt = u32(b, s + 24),
    xto = u32(b, s + 28),
    yto = u32(b, s + 32);
  const csiz = u16(b, s + 36);
  if (lsiz !== 38 + 3 * csiz || s + lsiz > b.length) return null;
  if (xsiz <= xo || ysiz <= yo || xt === 0 || yt === 0 || xto > xo || yto > yo) return null;
  const precisions: number[] = [];
  let subsampled = false;
  for (let c = 0; c < csiz; c++) {
    const o = s + 38 + 3 * c;
    precisions.push((b[o]! & 0x7f) + 1);
    if (b[o + 1] !== 1 || b[o + 2] !== 1) subsampled = true;
  }
  const tiles = Math.ceil((xsiz - xto) / xt) * Math.ceil((ysiz - yto) / yt);
  return { width: xsiz - xo, height: ysiz - yo, components: csiz, precisions, tiles, subsampled };
}

/** Offset of the codestream: 0 for a bare J2K stream, after the 'jp2c' box header in a JP2 file; null without one. */
export function j2kCodestreamStart(b: Uint8Array): number | null {
  if (!(b.length > 12 && u32(b, 0) === 12 && u32(b, 4) === 0x6a502020)) return 0;
  for (let i = 0; i + 8 <= b.length;) {
    const len = u32(b, i),
      type = u32(b, i + 4);
    if (type === 0x6a703263) return i + 8;
    if (len < 8) return null;
    i += len;
  }
  return null;
}

function checkJ2k(b: Uint8Array, g: ExpectedFrame): void {
  const h = readJ2kSiz(b);
  if (!h) throw malformed('codestream_header');
  if (h.width !== g.columns || h.height !== g.rows) throw sizeMismatch(g, h.width, h.height);
  if (h.components !== g.samplesPerPixel) throw headerMismatch('component_count', g.samplesPerPixel, h.components);
  for (const p of h.precisions) if (p !== g.bitsStored) throw headerMismatch('precision', g.bitsStored, p);
  if (h.subsampled) throw malformed('component_subsampling');
  if (h.tiles > MAX_J2K_TILES) throw headerMismatch('tile_count', MAX_J2K_TILES, h.tiles);
}

// ------------------------------------------------------------------ JPEG, JPEG-LS

export interface JpegHeader {
  width: number;
  height: number;
  components: number;
  precision: number;
  scans: number;
  lossless: boolean;
}

const isSof = (m: number): boolean => (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7;

/**
 * Walks a JPEG / JPEG-LS stream: the one SOF (size, components, precision) and the number of scans.
 * Entropy-coded data is skipped byte by byte to the next marker (JPEG-LS stuffs FF with a byte
 * < 0x80, JPEG with 00), so the walk is linear and stops at MAX_JPEG_SCANS + 1 scans.
 * Returns null when the structure is broken.
 */
export function readJpegHeader(b: Uint8Array, jpegLs: boolean): JpegHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let sof: JpegHeader | null = null;
  let scans = 0;
  let i = 2;
  while (i + 2 <= b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1]!;
    if (m === 0xd9) break; // EOI
    const step = markerWithoutSegment(m);
    if (step) {
      i += step;
      continue;
    }
    if (i + 4 > b.length) return null;
    const len = u16(b, i + 2);
    if (len < 2 || i + 2 + len > b.length) return null;
    if (isSof(m)) {
      if (sof) return null; // one frame per image (no hierarchical JPEG)
      sof = readSof(b, i, m, len);
      if (!sof) return null;
    }
    i += 2 + len;
    if (m === 0xda) {
      if (!sof) return null;
      if (++scans > MAX_JPEG_SCANS) break;
      i = skipEntropyData(b, i, jpegLs);
    }
  }
  if (!sof) return null;
  sof.scans = scans;
  return sof;
}

/** Bytes to skip for a fill byte (1) or a marker without a segment: TEM, RSTn (2); 0 for any other. */
function markerWithoutSegment(m: number): number {
  if (m === 0xff) return 1;
  return m === 0x01 || (m >= 0xd0 && m <= 0xd7) ? 2 : 0;
}

/** The frame header of the SOF segment at i (marker m, segment length len), or null when malformed. */
function readSof(b: Uint8Array, i: number, m: number, len: number): JpegHeader | null {
  if (len < 8) return null;
  const nf = b[i + 9]!;
  if (len !== 8 + 3 * nf) return null;
  return {
    precision: b[i + 4]!,
    height: u16(b, i + 5),
    width: u16(b, i + 7),
    components: nf,
    scans: 0,
    lossless: m === 0xc3 || m === 0xc7 || m === 0xcb || m === 0xcf || m === 0xf7,
  };
}

/** Index of the next marker after entropy-coded data (or the end). */
function skipEntropyData(b: Uint8Array, i: number, jpegLs: boolean): number {
  const n = b.length;
  for (; i + 1 < n; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (
      jpegLs
        ? next >= 0x80 && !(next >= 0xd0 && next <= 0xd7)
        : next !== 0 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff
    )
      return i;
  }
  return n;
}

/** Checks a raw JPEG upload (image/jpeg): well formed, a bounded number of scans, 1, 3 or 4 components. */
export function checkJpegUpload(b: Uint8Array): JpegHeader {
  const h = readJpegHeader(b, false);
  if (!h || h.scans === 0) throw new ApiError('invalid_image', 'The image could not be decoded.');
  if (h.scans > MAX_JPEG_SCANS) {
    throw new ApiError('invalid_image', 'The JPEG has more scans than allowed.', {
      reason: 'scan_count',
      limit: MAX_JPEG_SCANS,
    });
  }
  if (h.components !== 1 && h.components !== 3 && h.components !== 4) {
    throw new ApiError('invalid_image', 'The JPEG has an unsupported number of components.', {
      reason: 'component_count',
      actual: h.components,
    });
  }
  return h;
}

function checkJpegFrame(b: Uint8Array, g: ExpectedFrame, jpegLs: boolean): void {
  const h = readJpegHeader(b, jpegLs);
  if (!h) throw malformed('codestream_header');
  if (h.width !== g.columns || h.height !== g.rows) throw sizeMismatch(g, h.width, h.height);
  if (h.components !== g.samplesPerPixel) throw headerMismatch('component_count', g.samplesPerPixel, h.components);
  if (!precisionFits(h.precision, g, jpegLs || h.lossless))
    throw headerMismatch('precision', g.bitsStored, h.precision);
  if (h.scans === 0) throw malformed('no_scan');
  if (h.scans > MAX_JPEG_SCANS) throw headerMismatch('scan_count', MAX_JPEG_SCANS, h.scans);
}

/**
 * JPEG precision against BitsStored. Lossy JPEG has only 8 or 12 bits (an image with BitsStored 10
 * is coded at 12); lossless and JPEG-LS code at BitsStored, which some encoders round up to
 * BitsAllocated. Never above BitsAllocated: the decoded samples must fit.
 */
function precisionFits(p: number, g: ExpectedFrame, lossless: boolean): boolean {
  if (p < 2 || p > g.bitsAllocated) return false;
  if (lossless) return p === g.bitsStored || p === g.bitsAllocated;
  return p === g.bitsStored || (p === 12 && g.bitsStored <= 12) || (p === 8 && g.bitsStored <= 8);
}

// ------------------------------------------------------------------ RLE

/** The RLE header (PS3.5 G.5): one segment per byte plane, offsets inside the frame, ascending. */
function checkRle(b: Uint8Array, g: ExpectedFrame): void {
  if (b.length < 64) throw malformed('rle_header');
  const segments = u32le(b, 0);
  const expected = g.samplesPerPixel * (g.bitsAllocated / 8);
  if (segments < 1 || segments > MAX_RLE_SEGMENTS) throw malformed('rle_header');
  if (segments !== expected) throw headerMismatch('segment_count', expected, segments);
  let prev = 63;
  for (let s = 0; s < segments; s++) {
    const off = u32le(b, 4 + 4 * s);
    if (off <= prev || off >= b.length || (s === 0 && off !== 64)) throw malformed('rle_header');
    prev = off;
  }
}
