/**
 * Frame decoders for the encapsulated transfer syntaxes: dcmjs-codecs' WebAssembly build of
 * libjpeg-turbo (baseline, extended 12-bit, lossless process 14 with any predictor), CharLS
 * (JPEG-LS), OpenJPEG (JPEG 2000) and its RLE decoder.
 *
 * Before a frame reaches a codec its header (JPEG SOF and scans, JPEG-LS SOF55, J2K SIZ, RLE) is
 * checked against the image attributes (codestream.ts), so a crafted codestream cannot make the
 * decoder allocate a huge image or loop over thousands of components, tiles or scans.
 */
import { ApiError } from '../errors';
import { checkCodestream } from './codestream';
import { malformed } from './prescan';
import type { SyntaxKind } from './transferSyntax';

interface CodecContext {
  getDecodedBuffer(): Uint8Array | undefined;
}
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

// dcmjs-codecs ships no types: loaded with require() and typed through CodecsModule.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codecs: CodecsModule = require('dcmjs-codecs');

let ready: Promise<void> | null = null;

/** Initializes the WebAssembly codecs once (about 50 ms). */
export function ensureCodecs(): Promise<void> {
  if (!ready) {
    ready = codecs.NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false }).catch((e) => {
      ready = null;
      throw e;
    });
  }
  return ready;
}

export interface FrameGeometry {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  samplesPerPixel: number;
  pixelRepresentation: number;
  planarConfiguration: number;
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
  checkCodestream(kind, encoded, g);
  const ctx = new codecs.Context({
    width: g.columns,
    height: g.rows,
    bitsAllocated: g.bitsAllocated,
    bitsStored: g.bitsStored,
    samplesPerPixel: g.samplesPerPixel,
    pixelRepresentation: g.pixelRepresentation,
    planarConfiguration: g.planarConfiguration,
    photometricInterpretation: g.photometricInterpretation,
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
      if (colour) {
        photometric = 'RGB';
        planar = 0;
      }
    } else if (kind === 'jpegls') {
      out = N.decodeJpegLs(ctx, {});
      if (colour) planar = 0;
    } else if (kind === 'j2k') {
      out = N.decodeJpeg2000(ctx, {});
      if (colour) {
        planar = 0;
        if (photometric === 'YBR_ICT' || photometric === 'YBR_RCT') photometric = 'RGB';
      }
    } else if (kind === 'rle') {
      out = N.decodeRle(ctx, {});
    } else {
      throw new Error('not an encapsulated syntax');
    }
  } catch {
    // a failed WebAssembly call may leave the module in a bad state: start a fresh instance next time
    try {
      codecs.NativeCodecs.release();
    } catch {
      /* ignore */
    }
    ready = null;
    throw malformed('codec_error');
  }
  const data = out.getDecodedBuffer();
  const expected = g.rows * g.columns * g.samplesPerPixel * (g.bitsAllocated / 8);
  if (!data || data.length < expected) {
    throw new ApiError('pixel_data_size_mismatch', 'A decoded frame has the wrong size.', {
      declared: expected,
      actual: data ? data.length : 0,
    });
  }
  return { data: data.length === expected ? data : data.subarray(0, expected), photometric, planar };
}
