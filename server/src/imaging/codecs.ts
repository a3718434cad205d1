/**
 * Frame decoders for the encapsulated transfer syntaxes: dcmjs-codecs' WebAssembly build of
 * libjpeg-turbo (baseline, extended 12-bit, lossless process 14 with any predictor), CharLS
 * (JPEG-LS), OpenJPEG (JPEG 2000) and its RLE decoder.
 *
 * Before a frame reaches a codec its declared size (JPEG SOF, JPEG-LS SOF55, J2K SIZ) is checked
 * against Rows/Columns, so a crafted codestream cannot make the decoder allocate a huge image.
 */
import { ApiError } from '../errors';
import { malformed } from './prescan';
import type { SyntaxKind } from './transferSyntax';

interface CodecContext { getDecodedBuffer(): Uint8Array | undefined }
interface CodecsModule {
  NativeCodecs: {
    initializeAsync(opts?: Record<string, unknown>): Promise<void>;
    isInitialized(): boolean;
    release(): void;
    decodeJpeg(c: CodecContext, p?: Record<string, unknown>): CodecContext;
    decodeJpegLs(c: CodecContext, p?: Record<string, unknown>): CodecContext;
    decodeJpeg2000(c: CodecContext, p?: Record<string, unknown>): CodecContext;
    decodeRle(c: CodecContext, p?: Record<string, unknown>): CodecContext;
  };
  Context: new (attrs: Record<string, unknown>) => CodecContext;
}

// eslint-disable-next-line @typescript-eslint/no-var-requires
const codecs: CodecsModule = require('dcmjs-codecs');

let ready: Promise<void> | null = null;

/** Initializes the WebAssembly codecs once (about 50 ms). */
export function ensureCodecs(): Promise<void> {
  if (!ready) {
    ready = codecs.NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false })
      .catch((e) => { ready = null; throw e; });
  }
  return ready;
}

export interface FrameGeometry {
  rows: number; columns: number; bitsAllocated: number; bitsStored: number;
  samplesPerPixel: number; pixelRepresentation: number; planarConfiguration: number;
  photometricInterpretation: string;
}

export interface DecodedFrame {
  /** Samples, little endian, 1 byte (BitsAllocated 8) or 2 bytes per sample, interleaved. */
  data: Uint8Array;
  /** Colour space of `data` for SamplesPerPixel 3 ("RGB" after JPEG/J2K colour conversion). */
  photometric: string;
  planar: number;
}

/** Decodes one encapsulated frame. Throws pixel_data_size_mismatch / malformed_dicom. */
export async function decodeFrame(kind: SyntaxKind, encoded: Uint8Array, g: FrameGeometry): Promise<DecodedFrame> {
  // another decode may have released a failed instance while this one awaited: re-check
  for (let i = 0; !codecs.NativeCodecs.isInitialized(); i++) {
    if (i === 3) throw new Error('imaging: codecs failed to initialise');
    await ensureCodecs();
  }
  checkDeclaredSize(kind, encoded, g);
  const ctx = new codecs.Context({
    width: g.columns, height: g.rows, bitsAllocated: g.bitsAllocated, bitsStored: g.bitsStored,
    samplesPerPixel: g.samplesPerPixel, pixelRepresentation: g.pixelRepresentation,
    planarConfiguration: g.planarConfiguration, photometricInterpretation: g.photometricInterpretation,
    encodedBuffer: encoded,
  });
  const colour = g.samplesPerPixel === 3;
  let photometric = g.photometricInterpretation;
  let planar = g.planarConfiguration;
  let out: CodecContext;
  try {
    const N = codecs.NativeCodecs;
    if (kind === 'jpeg') {
      out = N.decodeJpeg(ctx, { convertColorspaceToRgb: colour && photometric !== 'RGB' });
      if (colour) { photometric = 'RGB'; planar = 0; }
    } else if (kind === 'jpegls') {
      out = N.decodeJpegLs(ctx, {});
      if (colour) planar = 0;
    } else if (kind === 'j2k') {
      out = N.decodeJpeg2000(ctx, {});
      if (colour) { planar = 0; if (photometric === 'YBR_ICT' || photometric === 'YBR_RCT') photometric = 'RGB'; }
    } else if (kind === 'rle') {
      out = N.decodeRle(ctx, {});
    } else {
      throw new Error('not an encapsulated syntax');
    }
  } catch {
    // a failed WebAssembly call may leave the module in a bad state: start a fresh instance next time
    try { codecs.NativeCodecs.release(); } catch { /* ignore */ }
    ready = null;
    throw malformed('codec_error');
  }
  const data = out.getDecodedBuffer();
  const expected = g.rows * g.columns * g.samplesPerPixel * (g.bitsAllocated / 8);
  if (!data || data.length < expected) {
    throw new ApiError('pixel_data_size_mismatch', 'A decoded frame has the wrong size.',
      { declared: expected, actual: data ? data.length : 0 });
  }
  return { data: data.length === expected ? data : data.subarray(0, expected), photometric, planar };
}

/** Compares the codestream's own width/height with Rows/Columns before decoding. */
function checkDeclaredSize(kind: SyntaxKind, b: Uint8Array, g: FrameGeometry): void {
  let dims: [number, number] | null = null;
  if (kind === 'j2k') dims = j2kSize(b);
  else if (kind === 'jpeg' || kind === 'jpegls') dims = jpegSize(b);
  else return;
  if (!dims) throw malformed('codestream_header');
  const [w, h] = dims;
  if (w !== g.columns || h !== g.rows) {
    throw new ApiError('pixel_data_size_mismatch', 'The compressed frame size differs from Rows/Columns.',
      { declared: g.rows * g.columns, actual: w * h });
  }
}

const u16 = (b: Uint8Array, i: number): number => (b[i] << 8) | b[i + 1];
const u32 = (b: Uint8Array, i: number): number => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];

/** Width/height from the SIZ marker of a J2K codestream (or a JP2 file's codestream box). */
function j2kSize(b: Uint8Array): [number, number] | null {
  let i = 0;
  if (b.length > 12 && u32(b, 0) === 12 && u32(b, 4) === 0x6a502020) {
    // JP2 container: find the contiguous codestream box 'jp2c'
    while (i + 8 <= b.length) {
      const len = u32(b, i), type = u32(b, i + 4);
      if (type === 0x6a703263) { i += 8; break; }
      if (len < 8) return null;
      i += len;
    }
  }
  if (i + 4 > b.length || u16(b, i) !== 0xff4f || u16(b, i + 2) !== 0xff51) return null;
  const s = i + 4; // Lsiz at s
  if (s + 22 > b.length) return null;
  const xsiz = u32(b, s + 4), ysiz = u32(b, s + 8), xo = u32(b, s + 12), yo = u32(b, s + 16);
  return [xsiz - xo, ysiz - yo];
}

/** Width/height from the first SOFn (JPEG) or SOF55 (JPEG-LS) marker. */
function jpegSize(b: Uint8Array): [number, number] | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1];
    if (m === 0xff) { i++; continue; }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
    const len = u16(b, i + 2);
    const isSof = (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7;
    if (isSof) {
      if (i + 9 > b.length) return null;
      return [u16(b, i + 7), u16(b, i + 5)];
    }
    if (m === 0xda || len < 2) return null;
    i += 2 + len;
  }
  return null;
}
