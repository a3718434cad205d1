/**
 * Parses a pre-scanned Part 10 file with dcmjs and keeps only the attributes the imaging pipeline
 * needs. Nothing from the Patient module, no names, dates, accession or institution leaves this
 * function: the dcmjs dictionary is dropped when it returns (api.md 1.7).
 */
import { ApiError } from '../errors';
import { readDataset, EXPLICIT_LE, IMPLICIT_LE, type DcmDataset } from './dcmjs';
import { malformed, type Prescan } from './prescan';

/** A lookup table (Modality LUT or VOI LUT): output = data[clamp(input - firstMapped)]. */
export interface Lut {
  firstMapped: number;
  data: Float64Array;
}

export interface DicomHeader {
  transferSyntaxUID: string;
  sopClassUID: string | null;
  studyInstanceUID: string | null;
  seriesInstanceUID: string | null;
  sopInstanceUID: string | null;
  modality: string | null;
  viewPosition: string | null;
  patientOrientation: [string, string] | null;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  planarConfiguration: number;
  photometricInterpretation: string;
  numberOfFrames: number;
  pixelSpacing: number[] | null;
  imagerPixelSpacing: number[] | null;
  ermf: number | null;
  calibrationType: string | null;
  rescaleSlope: number | null;
  rescaleIntercept: number | null;
  rescaleType: string | null;
  modalityLut: Lut | null;
  windowCenter: number | null;
  windowWidth: number | null;
  voiFunction: string | null;
  voiLut: Lut | null;
  lossyImageCompression: string | null;
  /**
   * Acquisition Date, else Content Date, else Study Date (DA "YYYYMMDD"); only its day number is
   * kept (issue 17).
   */
  acquisitionDate: string | null;
  /** dcmjs' Pixel Data value: native → one buffer; encapsulated → frames or fragments. */
  pixelData: ArrayBuffer[] | null;
}

const TAG = {
  TransferSyntaxUID: '00020010',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  Modality: '00080060',
  StudyDate: '00080020',
  AcquisitionDate: '00080022',
  ContentDate: '00080023',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  PatientOrientation: '00200020',
  ViewPosition: '00185101',
  ImagerPixelSpacing: '00181164',
  ERMF: '00181114',
  SamplesPerPixel: '00280002',
  Photometric: '00280004',
  PlanarConfiguration: '00280006',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  PixelSpacing: '00280030',
  CalibrationType: '00280A02',
  BitsAllocated: '00280100',
  BitsStored: '00280101',
  HighBit: '00280102',
  PixelRepresentation: '00280103',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
  RescaleType: '00281054',
  VOILUTFunction: '00281056',
  LossyImageCompression: '00282110',
  ModalityLUTSequence: '00283000',
  VOILUTSequence: '00283010',
  LUTDescriptor: '00283002',
  LUTData: '00283006',
  PixelData: '7FE00010',
} as const;

/** A Patient Orientation value: direction letters only (L, R, A, P, H, F). */
const ORIENTATION = /^[LRAPHF]{1,6}$/;

export function parseDicom(pre: Prescan): DicomHeader {
  const { meta, ds } = readDatasets(pre);
  const str = (t: string): string | null => first(ds, t, 'string');
  const rawPixel = ds[TAG.PixelData]?.Value;
  return {
    transferSyntaxUID: first(meta, TAG.TransferSyntaxUID, 'string') ?? pre.syntax.uid,
    ...identityAttributes(ds),
    ...imageAttributes(ds),
    ...spacingAttributes(ds),
    ...greyscaleAttributes(ds),
    lossyImageCompression: trimmed(ds, TAG.LossyImageCompression),
    acquisitionDate: str(TAG.AcquisitionDate) ?? str(TAG.ContentDate) ?? str(TAG.StudyDate),
    pixelData:
      Array.isArray(rawPixel) && rawPixel.every((b) => b instanceof ArrayBuffer) ? (rawPixel as ArrayBuffer[]) : null,
  };
}

/** The file meta group and the data set, read with dcmjs; malformed_dicom when dcmjs cannot. */
function readDatasets(pre: Prescan): { meta: DcmDataset; ds: DcmDataset } {
  try {
    const meta = readDataset(pre.meta, EXPLICIT_LE);
    return { meta, ds: readDataset(pre.dataset, pre.syntax.implicitVR ? IMPLICIT_LE : EXPLICIT_LE) };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw malformed('parse');
  }
}

/** A string value trimmed, or null when absent or blank. */
const trimmed = (ds: DcmDataset, tag: string): string | null => first(ds, tag, 'string')?.trim() || null;

/** UIDs, modality, view position and a letters-only Patient Orientation pair. */
function identityAttributes(
  ds: DcmDataset,
): Pick<
  DicomHeader,
  | 'sopClassUID'
  | 'studyInstanceUID'
  | 'seriesInstanceUID'
  | 'sopInstanceUID'
  | 'modality'
  | 'viewPosition'
  | 'patientOrientation'
> {
  const str = (t: string): string | null => first(ds, t, 'string');
  const po = strings(ds, TAG.PatientOrientation);
  return {
    sopClassUID: str(TAG.SOPClassUID),
    studyInstanceUID: str(TAG.StudyInstanceUID),
    seriesInstanceUID: str(TAG.SeriesInstanceUID),
    sopInstanceUID: str(TAG.SOPInstanceUID),
    modality: str(TAG.Modality),
    viewPosition: trimmed(ds, TAG.ViewPosition)?.toUpperCase() || null,
    patientOrientation:
      po && po.length >= 2 && ORIENTATION.test(po[0]!) && ORIENTATION.test(po[1]!) ? [po[0]!, po[1]!] : null,
  };
}

/** A non-negative integer (US) attribute; malformed_dicom when a required one is missing or any is bad. */
function usInt(ds: DcmDataset, t: string, required: boolean, dflt = 0): number {
  const el = ds[t];
  if (!el || !el.Value || el.Value.length === 0) {
    if (required) throw malformed('missing_image_attribute');
    return dflt;
  }
  const v = el.Value[0];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw malformed('bad_image_attribute');
  return v;
}

type ImageAttributes = Pick<
  DicomHeader,
  | 'rows'
  | 'columns'
  | 'bitsAllocated'
  | 'bitsStored'
  | 'highBit'
  | 'pixelRepresentation'
  | 'samplesPerPixel'
  | 'planarConfiguration'
  | 'photometricInterpretation'
  | 'numberOfFrames'
>;

/** Image Pixel module: size, bits, samples, photometric interpretation (default MONOCHROME2), frames. */
function imageAttributes(ds: DcmDataset): ImageAttributes {
  const bitsStored = usInt(ds, TAG.BitsStored, false, usInt(ds, TAG.BitsAllocated, false, 0));
  const framesRaw = first(ds, TAG.NumberOfFrames, 'number');
  return {
    rows: usInt(ds, TAG.Rows, true),
    columns: usInt(ds, TAG.Columns, true),
    bitsAllocated: usInt(ds, TAG.BitsAllocated, true),
    bitsStored,
    highBit: usInt(ds, TAG.HighBit, false, bitsStored - 1),
    pixelRepresentation: usInt(ds, TAG.PixelRepresentation, false, 0),
    samplesPerPixel: usInt(ds, TAG.SamplesPerPixel, false, 1),
    planarConfiguration: usInt(ds, TAG.PlanarConfiguration, false, 0),
    photometricInterpretation: (first(ds, TAG.Photometric, 'string') ?? 'MONOCHROME2').trim().toUpperCase(),
    numberOfFrames: framesRaw === null ? 1 : framesRaw,
  };
}

/** The spacing attributes as found (resolved later by spacing.ts). */
function spacingAttributes(
  ds: DcmDataset,
): Pick<DicomHeader, 'pixelSpacing' | 'imagerPixelSpacing' | 'ermf' | 'calibrationType'> {
  return {
    pixelSpacing: numbers(ds, TAG.PixelSpacing),
    imagerPixelSpacing: numbers(ds, TAG.ImagerPixelSpacing),
    ermf: first(ds, TAG.ERMF, 'number'),
    calibrationType: trimmed(ds, TAG.CalibrationType),
  };
}

type GreyscaleAttributes = Pick<
  DicomHeader,
  | 'rescaleSlope'
  | 'rescaleIntercept'
  | 'rescaleType'
  | 'modalityLut'
  | 'windowCenter'
  | 'windowWidth'
  | 'voiFunction'
  | 'voiLut'
>;

/** Modality LUT (rescale or table) and VOI (window or table). */
function greyscaleAttributes(ds: DcmDataset): GreyscaleAttributes {
  const num = (t: string): number | null => first(ds, t, 'number');
  return {
    rescaleSlope: num(TAG.RescaleSlope),
    rescaleIntercept: num(TAG.RescaleIntercept),
    rescaleType: trimmed(ds, TAG.RescaleType),
    modalityLut: lutOf(ds, TAG.ModalityLUTSequence),
    windowCenter: num(TAG.WindowCenter),
    windowWidth: num(TAG.WindowWidth),
    voiFunction: trimmed(ds, TAG.VOILUTFunction)?.toUpperCase() || null,
    voiLut: lutOf(ds, TAG.VOILUTSequence),
  };
}

/**
 * Days since 1970-01-01 (UTC) of a DICOM DA value "YYYYMMDD" (or "YYYY.MM.DD"); null when not a
 * valid date.
 */
export function dicomDateToDay(da: string | null): number | null {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec((da ?? '').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (y < 1900 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(t / 86400000);
}

function first(ds: DcmDataset, tag: string, type: 'string'): string | null;
function first(ds: DcmDataset, tag: string, type: 'number'): number | null;
function first(ds: DcmDataset, tag: string, type: 'string' | 'number'): string | number | null {
  const v = ds[tag]?.Value?.[0];
  if (type === 'string') return typeof v === 'string' && v.length > 0 ? v : null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function strings(ds: DcmDataset, tag: string): string[] | null {
  const v = ds[tag]?.Value;
  if (!v || v.length === 0) return null;
  return v.map((x) => (typeof x === 'string' ? x.trim() : ''));
}

/** All values as numbers (NaN for unparsable), or null when absent. */
function numbers(ds: DcmDataset, tag: string): number[] | null {
  const v = ds[tag]?.Value;
  if (!v || v.length === 0) return null;
  return v.map((x) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN));
}

/** The first item of a Modality/VOI LUT Sequence, or null when absent or unusable. */
function lutOf(ds: DcmDataset, seqTag: string): Lut | null {
  const item = ds[seqTag]?.Value?.[0] as DcmDataset | undefined;
  if (!item || typeof item !== 'object') return null;
  const desc = item[TAG.LUTDescriptor]?.Value;
  const raw = item[TAG.LUTData]?.Value;
  if (!desc || desc.length < 3 || !raw || raw.length === 0) return null;
  const [count0, firstMapped, bits] = desc as number[];
  if (![count0, firstMapped, bits].every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const count = count0 === 0 ? 65536 : count0;
  let values: ArrayLike<number>;
  if (raw[0] instanceof ArrayBuffer) {
    const bytes = raw[0] as ArrayBuffer;
    values =
      bits > 8 || bytes.byteLength >= count * 2
        ? new Uint16Array(bytes.slice(0, Math.floor(bytes.byteLength / 2) * 2))
        : new Uint8Array(bytes);
  } else {
    values = raw as number[];
  }
  if (values.length < count) return null;
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = Number(values[i]);
  return { firstMapped, data };
}
