/**
 * Image decoding entry point: DICOM Part 10 (api.md 4.2), PNG and JPEG → ImageInfo (api.md 4.4),
 * warnings and a display-ready grey image (0..1, bright = dense) for the models.
 */
import type { ImageInfo, Warning } from '../contract';
import type { Limits } from '../config';
import { ApiError, invalid } from '../errors';
import { decodeFrame } from './codecs';
import { encapsulatedFrame, nativeFrame, nativeFrameBytes } from './frames';
import { dicomDateToDay, parseDicom, type DicomHeader } from './parse';
import { luminance, sampleView, sha256Hex, storedValues, type Samples } from './pixels';
import { prescan, type Prescan } from './prescan';
import { checkSize, decodeRaster } from './pngJpeg';
import { type ImageMediaType } from './sniff';
import { resolveSpacing } from './spacing';
import { isEncapsulated } from './transferSyntax';
import type { StoredFrame } from './displayFrame';
import { toDisplay } from './voi';
import { warning, type ImagingWarning } from './imagingWarnings';

export { sniffMediaType, type ImageMediaType } from './sniff';
/** Loads the WebAssembly codecs ahead of the first compressed image (optional warm-up). */
export { ensureCodecs as warmUpDecoders } from './codecs';
export { SUPPORTED_TRANSFER_SYNTAXES } from './transferSyntax';

export interface DecodedImage {
  info: ImageInfo;
  warnings: Warning[];
  width: number;
  height: number;
  /** rows*cols, 0..1, after Modality LUT, VOI and MONOCHROME1 inversion: bright = dense. */
  display: Float32Array;
  /**
   * The frame kept after the analysis (at most MAX_DISPLAY_SIDE px), when the decoder made it. The
   * decode pool returns only this frame: then `display`, `width` and `height` are the stored frame's
   * (the image's own size is in `info`).
   */
  stored?: StoredFrame;
  /** Day number (days since 1970-01-01 UTC) of the acquisition, DICOM only; never returned raw (issue 17). */
  acquiredDay?: number | null;
}

export interface DecodeOptions {
  frame?: number;
  pixelSpacingMm?: [number, number] | null;
  viewPosition?: string | null;
}

const COLOUR = new Set(['RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_ICT', 'YBR_RCT']);
const FRONTAL = new Set(['PA', 'AP']);

export async function decodeImage(
  body: Buffer,
  mediaType: ImageMediaType,
  opts: DecodeOptions,
  limits: Limits,
): Promise<DecodedImage> {
  checkOptions(opts);
  if (mediaType === 'application/dicom') return decodeDicom(body, opts, limits);
  if (mediaType === 'image/png' || mediaType === 'image/jpeg') return decodeRasterImage(body, mediaType, opts, limits);
  throw new ApiError('unsupported_media_type', 'The media type is not supported.', {
    declared: String(mediaType).slice(0, 64),
  });
}

function checkOptions(opts: DecodeOptions): void {
  const f = opts.frame ?? 0;
  if (!Number.isInteger(f) || f < 0) throw invalid('frame', 'frame must be a non-negative integer.');
  const s = opts.pixelSpacingMm;
  if (s != null && !(Array.isArray(s) && s.length === 2 && s.every((x) => Number.isFinite(x) && x > 0))) {
    throw invalid('pixelSpacingMm', 'pixelSpacingMm must be two positive numbers.');
  }
}

async function decodeDicom(body: Buffer, opts: DecodeOptions, limits: Limits): Promise<DecodedImage> {
  const pre = prescan(body, limits);
  const h = parseDicom(pre);
  const pixelData = checkDicomImage(pre, h, limits);
  const frame = opts.frame ?? 0;
  if (frame >= h.numberOfFrames) {
    throw new ApiError('invalid_request', 'frame is out of range.', {
      field: 'frame',
      reason: 'out_of_range',
      limit: h.numberOfFrames - 1,
      actual: frame,
    });
  }
  const samples = await frameSamples(pre, h, pixelData, frame);
  const { values, sha } = storedSamples(h, samples);
  const { display, voi } = toDisplay({
    values,
    bitsStored: h.bitsStored,
    signed: h.pixelRepresentation === 1 && h.samplesPerPixel === 1,
    invert: h.photometricInterpretation === 'MONOCHROME1',
    slope: h.rescaleSlope ?? 1,
    intercept: h.rescaleIntercept ?? 0,
    modalityLut: h.modalityLut,
    window:
      h.windowCenter !== null && h.windowWidth !== null
        ? { center: h.windowCenter, width: h.windowWidth, fn: h.voiFunction }
        : null,
    voiLut: h.voiLut,
  });
  const spacing = resolveSpacing({
    pixelSpacing: h.pixelSpacing,
    imagerPixelSpacing: h.imagerPixelSpacing,
    ermf: h.ermf,
    calibrationType: h.calibrationType,
    requestSpacing: null,
    isDicom: true,
  });
  const lossy = pre.syntax.lossy || h.lossyImageCompression === '01';
  const viewPosition = normaliseView(h.viewPosition) ?? normaliseView(opts.viewPosition);
  const warnings: ImagingWarning[] = [
    ...(h.samplesPerPixel === 3 ? (['color_converted'] as const) : []),
    ...spacing.warnings,
    ...(lossy ? (['lossy_compressed'] as const) : []),
    ...(viewPosition && !FRONTAL.has(viewPosition) ? (['not_frontal_view'] as const) : []),
    ...(!h.patientOrientation ? (['orientation_assumed'] as const) : []),
  ];
  const info = dicomImageInfo(pre, h, { frame, viewPosition, spacing, voi, lossy, sha });
  const acquiredDay = dicomDateToDay(h.acquisitionDate);
  return { info, warnings: dedupe(warnings).map(warning), width: h.columns, height: h.rows, display, acquiredDay };
}

/** Pixel Data present and parsed, a non-empty size within the limits, a supported format, ≥ 1 frame. */
function checkDicomImage(pre: Prescan, h: DicomHeader, limits: Limits): ArrayBuffer[] {
  if (!pre.hasPixelData) throw new ApiError('no_pixel_data', 'The file has no Pixel Data.');
  if (!h.pixelData)
    throw new ApiError('malformed_dicom', 'The DICOM file could not be parsed.', { reason: 'pixel_data' });
  if (h.rows === 0 || h.columns === 0)
    throw new ApiError('malformed_dicom', 'The DICOM file could not be parsed.', { reason: 'zero_dimension' });
  checkSize(h.rows, h.columns, limits);
  checkPixelFormat(h);
  if (!Number.isInteger(h.numberOfFrames) || h.numberOfFrames < 1) {
    throw new ApiError('malformed_dicom', 'The DICOM file could not be parsed.', { reason: 'number_of_frames' });
  }
  return h.pixelData;
}

interface FrameSamples {
  /** One frame's samples, little endian, as decoded. */
  bytes: Uint8Array;
  /** Photometric interpretation and planar configuration of `bytes` (a codec may convert them). */
  photometric: string;
  planar: number;
  encapsulated: boolean;
}

/** The frame's samples: decoded by the codec (encapsulated) or sliced from native Pixel Data. */
async function frameSamples(
  pre: Prescan,
  h: DicomHeader,
  pixelData: ArrayBuffer[],
  frame: number,
): Promise<FrameSamples> {
  const kind = pre.syntax.kind;
  if (!isEncapsulated(kind)) {
    const frameBytes = nativeFrameBytes(
      h.rows,
      h.columns,
      h.samplesPerPixel,
      h.bitsAllocated,
      h.photometricInterpretation,
    );
    const bytes = nativeFrame(pixelData, frame, frameBytes, h.numberOfFrames);
    return { bytes, photometric: h.photometricInterpretation, planar: h.planarConfiguration, encapsulated: false };
  }
  const encoded = encapsulatedFrame(pixelData, frame, h.numberOfFrames, kind);
  const d = await decodeFrame(kind, encoded, {
    rows: h.rows,
    columns: h.columns,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    samplesPerPixel: h.samplesPerPixel,
    pixelRepresentation: h.pixelRepresentation,
    planarConfiguration: h.planarConfiguration,
    photometricInterpretation: h.photometricInterpretation,
  });
  return { bytes: d.data, photometric: d.photometric, planar: d.planar, encapsulated: true };
}

/**
 * Stored values (colour reduced to luminance) and the pixel data hash: of the colour samples, or
 * of the grey stored values (native data shifted down to the stored bits, as High Bit says).
 */
function storedSamples(h: DicomHeader, f: FrameSamples): { values: Samples; sha: string } {
  if (h.samplesPerPixel === 3) {
    const samples = sampleView(f.bytes, h.bitsAllocated);
    const sha = sha256Hex(samples);
    const grey = luminance(samples, h.rows * h.columns, f.photometric, f.planar);
    const greyBytes = new Uint8Array(grey.buffer, grey.byteOffset, grey.byteLength);
    return { values: storedValues(greyBytes, h.bitsAllocated, h.bitsStored, 0, false), sha };
  }
  const shift = f.encapsulated
    ? 0
    : Math.max(0, Math.min(h.bitsAllocated - h.bitsStored, h.highBit + 1 - h.bitsStored));
  const values = storedValues(f.bytes, h.bitsAllocated, h.bitsStored, shift, h.pixelRepresentation === 1);
  return { values, sha: sha256Hex(values) };
}

interface DicomFacts {
  frame: number;
  viewPosition: string | null;
  spacing: ReturnType<typeof resolveSpacing>;
  voi: ImageInfo['voi'];
  lossy: boolean;
  sha: string;
}

/** The ImageInfo of a decoded DICOM frame (api.md 4.1): attributes as read plus what decoding found. */
function dicomImageInfo(pre: Prescan, h: DicomHeader, f: DicomFacts): ImageInfo {
  return {
    sourceFormat: 'dicom',
    rows: h.rows,
    columns: h.columns,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    pixelRepresentation: h.pixelRepresentation === 1 ? 1 : 0,
    samplesPerPixel: h.samplesPerPixel,
    photometricInterpretation: h.photometricInterpretation,
    numberOfFrames: h.numberOfFrames,
    frame: f.frame,
    transferSyntaxUID: pre.syntax.uid,
    sopClassUID: h.sopClassUID,
    modality: h.modality,
    viewPosition: f.viewPosition,
    patientOrientation: h.patientOrientation,
    orientationAssumed: !h.patientOrientation,
    pixelSpacingMm: f.spacing.pixelSpacingMm,
    spacingSource: f.spacing.spacingSource,
    spacingDetail: f.spacing.spacingDetail,
    rescale: {
      slope: h.rescaleSlope ?? 1,
      intercept: h.rescaleIntercept ?? 0,
      type: h.rescaleType,
      modalityLutSequence: h.modalityLut !== null,
    },
    voi: f.voi,
    lossyCompressed: f.lossy,
    studyInstanceUID: h.studyInstanceUID,
    seriesInstanceUID: h.seriesInstanceUID,
    sopInstanceUID: h.sopInstanceUID,
    pixelDataSha256: f.sha,
  };
}

function checkPixelFormat(h: DicomHeader): void {
  const bad = (reason: string): never => {
    throw new ApiError('unsupported_pixel_format', 'The pixel format is not supported.', { reason });
  };
  if (h.bitsAllocated !== 8 && h.bitsAllocated !== 16) bad('bits_allocated');
  if (h.bitsStored < 8 || h.bitsStored > h.bitsAllocated) bad('bits_stored');
  if (h.pixelRepresentation !== 0 && h.pixelRepresentation !== 1) bad('pixel_representation');
  if (h.samplesPerPixel === 1) {
    if (h.photometricInterpretation !== 'MONOCHROME1' && h.photometricInterpretation !== 'MONOCHROME2')
      bad('photometric_interpretation');
  } else if (h.samplesPerPixel === 3) {
    if (!COLOUR.has(h.photometricInterpretation)) bad('photometric_interpretation');
    if (h.pixelRepresentation !== 0) bad('pixel_representation');
    if (h.planarConfiguration !== 0 && h.planarConfiguration !== 1) bad('planar_configuration');
  } else {
    bad('samples_per_pixel');
  }
}

async function decodeRasterImage(
  body: Buffer,
  mediaType: 'image/png' | 'image/jpeg',
  opts: DecodeOptions,
  limits: Limits,
): Promise<DecodedImage> {
  const format = mediaType === 'image/png' ? 'png' : 'jpeg';
  const frame = opts.frame ?? 0;
  if (frame !== 0)
    throw new ApiError('invalid_request', 'frame is out of range.', {
      field: 'frame',
      reason: 'out_of_range',
      limit: 0,
      actual: frame,
    });
  const r = await decodeRaster(body, format, limits);
  const values: Samples = r.grey;
  const { display, voi } = toDisplay({
    values,
    bitsStored: r.bits,
    signed: false,
    invert: false,
    slope: 1,
    intercept: 0,
    modalityLut: null,
    window: null,
    voiLut: null,
    fallback: r.bits === 8 ? 'fullRange' : 'percentile',
  });
  const warnings: ImagingWarning[] = [];
  if (r.colourChannels === 3) warnings.push('color_converted');
  const spacing = resolveSpacing({
    pixelSpacing: null,
    imagerPixelSpacing: null,
    ermf: null,
    calibrationType: null,
    requestSpacing: opts.pixelSpacingMm ?? null,
    isDicom: false,
  });
  warnings.push(...spacing.warnings);
  const lossy = format === 'jpeg';
  if (lossy) warnings.push('lossy_compressed');
  const viewPosition = normaliseView(opts.viewPosition);
  if (viewPosition && !FRONTAL.has(viewPosition)) warnings.push('not_frontal_view');
  warnings.push('orientation_assumed');
  const info: ImageInfo = {
    sourceFormat: format,
    rows: r.height,
    columns: r.width,
    bitsAllocated: r.bits,
    bitsStored: r.bits,
    pixelRepresentation: 0,
    samplesPerPixel: r.colourChannels,
    photometricInterpretation: r.colourChannels === 3 ? 'RGB' : 'MONOCHROME2',
    numberOfFrames: 1,
    frame: 0,
    transferSyntaxUID: null,
    sopClassUID: null,
    modality: null,
    viewPosition,
    patientOrientation: null,
    orientationAssumed: true,
    pixelSpacingMm: spacing.pixelSpacingMm,
    spacingSource: spacing.spacingSource,
    spacingDetail: spacing.spacingDetail,
    rescale: { slope: 1, intercept: 0, type: null, modalityLutSequence: false },
    voi,
    lossyCompressed: lossy,
    studyInstanceUID: null,
    seriesInstanceUID: null,
    sopInstanceUID: null,
    pixelDataSha256: sha256Hex(values),
  };
  return { info, warnings: dedupe(warnings).map(warning), width: r.width, height: r.height, display };
}

function normaliseView(v: string | null | undefined): string | null {
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  return /^[A-Z]{1,16}$/.test(s) ? s : null;
}

const dedupe = <T>(xs: T[]): T[] => [...new Set(xs)];
