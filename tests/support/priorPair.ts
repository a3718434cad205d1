/**
 * Prior/current radiograph pairs with a known synthetic change (issue 17, api.md 8.4).
 *
 * A real film (JSRT, 0.35 mm/px, 1024²) is the "prior"; the "current" is the same film after a small
 * pose change (rotation, scale, translation about the centre) and a contrast change, with a
 * synthetic nodule drawn at the same anatomical place: grown, unchanged, new (absent from the prior)
 * or removed (absent from the current). The nodule is a projected sphere (value ∝ √(1 − r²/R²)),
 * drawn after the warp so its true size in each image is exactly the drawn diameter.
 *
 * Browser tests (Orthanc): call
 *   const pair = await writePriorPair('/tmp/some-dir');
 *   // pair.priorPath, pair.currentPath: two Part 10 CR files, View Position PA, same PatientID and
 *   // PatientName, two StudyInstanceUIDs, StudyDate/AcquisitionDate/ContentDate pair.priorDate and
 *   // pair.currentDate (~2 years apart, YYYYMMDD); pair.truth: the nodule in each image.
 * Options: `source` (a grey PNG path; default a JSRT normal film, or the synthetic chest of
 * dicomFixtures when the shared data is absent), `priorDiameterMm`, `currentDiameterMm`,
 * `intervalDays`, `pose`, `patientId`, `patientName`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { chestDataset, writePart10 } from './dicomFixtures';

export const JSRT_DIR = path.resolve(__dirname, '../../../shared/data/jsrt-train');
const DEFAULT_SOURCE = path.join(JSRT_DIR, 'images', 'JPCNN001.png');

/** A grey image, values 0..255 (bright = dense). */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Rotation (degrees, clockwise on screen), isotropic scale and translation (px), about the image centre. */
export interface Pose {
  rotationDeg: number;
  scale: number;
  tx: number;
  ty: number;
}

export const IDENTITY_POSE: Pose = { rotationDeg: 0, scale: 1, tx: 0, ty: 0 };

/** Maps a prior-image point to the current image under `pose`. */
export function applyPose(pose: Pose, p: [number, number], w: number, h: number): [number, number] {
  const a = (pose.rotationDeg * Math.PI) / 180;
  const cx = w / 2,
    cy = h / 2;
  const dx = p[0] - cx,
    dy = p[1] - cy;
  return [
    cx + pose.tx + pose.scale * (Math.cos(a) * dx - Math.sin(a) * dy),
    cy + pose.ty + pose.scale * (Math.sin(a) * dx + Math.cos(a) * dy),
  ];
}

/** Bilinear sample with edge clamping. */
function sample(img: GreyImage, x: number, y: number): number {
  const { width: w, height: h, data } = img;
  const xc = Math.min(w - 1, Math.max(0, x)),
    yc = Math.min(h - 1, Math.max(0, y));
  const x0 = Math.min(w - 2, Math.floor(xc)),
    y0 = Math.min(h - 2, Math.floor(yc));
  const fx = xc - x0,
    fy = yc - y0;
  const i = y0 * w + x0;
  return (1 - fy) * ((1 - fx) * data[i]! + fx * data[i + 1]!) + fy * ((1 - fx) * data[i + w]! + fx * data[i + w + 1]!);
}

/** The image seen after `pose` (inverse mapping: each output pixel samples the source). */
export function warpImage(img: GreyImage, pose: Pose): GreyImage {
  const { width: w, height: h } = img;
  const out = new Float32Array(w * h);
  const a = (-pose.rotationDeg * Math.PI) / 180;
  const cos = Math.cos(a),
    sin = Math.sin(a);
  const cx = w / 2,
    cy = h / 2;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const dx = (x - cx - pose.tx) / pose.scale,
        dy = (y - cy - pose.ty) / pose.scale;
      out[y * w + x] = sample(img, cx + cos * dx - sin * dy, cy + sin * dx + cos * dy);
    }
  return { width: w, height: h, data: out };
}

/** Linear contrast change about mid-grey: v' = 128 + gain·(v − 128) + offset. */
export function changeContrast(img: GreyImage, gain: number, offset: number): GreyImage {
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = 128 + gain * (img.data[i]! - 128) + offset;
  return { ...img, data: out };
}

/**
 * Adds a projected sphere of diameter `diameterPx` and peak `contrast` (grey levels) at `center`,
 * anti-aliased over one pixel at the rim.
 */
export function insertNodule(img: GreyImage, center: [number, number], diameterPx: number, contrast: number): void {
  const r = diameterPx / 2;
  const x0 = Math.max(0, Math.floor(center[0] - r - 2)),
    x1 = Math.min(img.width - 1, Math.ceil(center[0] + r + 2));
  const y0 = Math.max(0, Math.floor(center[1] - r - 2)),
    y1 = Math.min(img.height - 1, Math.ceil(center[1] + r + 2));
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - center[0] - 0.5, y + 0.5 - center[1] - 0.5);
      const rim = Math.min(1, Math.max(0, r + 0.5 - d));
      if (rim <= 0) continue;
      const body = Math.sqrt(Math.max(0, 1 - (Math.min(d, r) / r) ** 2));
      img.data[y * img.width + x]! += contrast * Math.max(rim * 0.35, body) * rim;
    }
}

export async function readGreyPng(file: string): Promise<GreyImage> {
  const { data, info } = await sharp(readFileSync(file)).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(info.width * info.height);
  for (let i = 0, j = 0; i < out.length; i++, j += info.channels) out[i] = data[j]!;
  return { width: info.width, height: info.height, data: out };
}

export function toUint8(img: GreyImage): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(img.data[i]!)));
  return out;
}

export function toPng(img: GreyImage): Promise<Buffer> {
  return sharp(Buffer.from(toUint8(img)), { raw: { width: img.width, height: img.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** YYYYMMDD of a UTC day number (days since 1970-01-01). */
export function dicomDay(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** What a pair's two images hold: the nodule (or null where absent), in each image's own pixels. */
export interface PairTruth {
  prior: { center: [number, number]; diameterMm: number } | null;
  current: { center: [number, number]; diameterMm: number } | null;
  pose: Pose;
  pixelSpacingMm: number;
}

export interface PairImages {
  prior: GreyImage;
  current: GreyImage;
  truth: PairTruth;
}

export interface PairSpec {
  /** Nodule centre in the prior (source) image, px. */
  center: [number, number];
  /** 0 or null: absent from that image. */
  priorDiameterMm: number | null;
  currentDiameterMm: number | null;
  contrast: number;
  pose: Pose;
  contrastGain: number;
  contrastOffset: number;
  pixelSpacingMm: number;
}

/** Makes the two images of a pair from one source film (pure; no I/O). */
export function makePairImages(source: GreyImage, spec: PairSpec): PairImages {
  const mm = spec.pixelSpacingMm;
  const prior: GreyImage = { ...source, data: Float32Array.from(source.data) };
  const hasPrior = !!spec.priorDiameterMm,
    hasCurrent = !!spec.currentDiameterMm;
  if (hasPrior) insertNodule(prior, spec.center, spec.priorDiameterMm! / mm, spec.contrast);
  const current = changeContrast(warpImage(source, spec.pose), spec.contrastGain, spec.contrastOffset);
  const cc = applyPose(spec.pose, spec.center, source.width, source.height);
  if (hasCurrent) insertNodule(current, cc, spec.currentDiameterMm! / mm, spec.contrast * spec.contrastGain);
  return {
    prior,
    current,
    truth: {
      prior: hasPrior ? { center: spec.center, diameterMm: spec.priorDiameterMm! } : null,
      current: hasCurrent ? { center: cc, diameterMm: spec.currentDiameterMm! } : null,
      pose: spec.pose,
      pixelSpacingMm: mm,
    },
  };
}

/** An 8-bit CR PA Part 10 file of a grey image with the given identity and dates. */
export function greyToDicom(
  img: GreyImage,
  o: { pixelSpacingMm: number; patientId: string; patientName: string; day: number; studyUid?: string },
): Buffer {
  const date = dicomDay(o.day);
  const ds = chestDataset({
    width: img.width,
    height: img.height,
    bits: 8,
    extra: {
      PatientID: o.patientId,
      PatientName: o.patientName,
      OtherPatientIDs: undefined,
      StudyDate: date,
      SeriesDate: date,
      AcquisitionDate: date,
      ContentDate: date,
      StudyTime: '101500',
      PixelSpacing: [o.pixelSpacingMm, o.pixelSpacingMm],
      WindowCenter: 128,
      WindowWidth: 256,
      PixelData: [toUint8(img).buffer],
      ...(o.studyUid ? { StudyInstanceUID: o.studyUid } : {}),
    },
  });
  return writePart10(ds);
}

export interface PriorPairFiles {
  priorPath: string;
  currentPath: string;
  patientId: string;
  patientName: string;
  priorDate: string;
  currentDate: string;
  intervalDays: number;
  truth: PairTruth;
}

export interface PriorPairOptions {
  source?: string;
  priorDiameterMm?: number | null;
  currentDiameterMm?: number | null;
  intervalDays?: number;
  pose?: Pose;
  patientId?: string;
  patientName?: string;
  /** UTC day number of the current film (default 2026-12-01). */
  currentDay?: number;
}

async function sourceImage(file: string | undefined): Promise<GreyImage> {
  const f = file ?? DEFAULT_SOURCE;
  if (existsSync(f)) return readGreyPng(f);
  // without the shared data: the synthetic chest of dicomFixtures, 8 bit
  const ds = chestDataset({ width: 512, height: 512, bits: 8 });
  const px = new Uint8Array((ds.PixelData as ArrayBuffer[])[0]!);
  return { width: 512, height: 512, data: Float32Array.from(px) };
}

/**
 * Writes `prior.dcm` and `current.dcm` into `dir` (created if needed): a prior/current pair of the
 * same (fictitious) patient, ~2 years apart, with a nodule that grew from 8 to 12 mm by default.
 */
export async function writePriorPair(dir: string, o: PriorPairOptions = {}): Promise<PriorPairFiles> {
  const source = await sourceImage(o.source);
  const mm = source.width >= 1024 ? 0.35 : 0.7;
  const spec: PairSpec = {
    center: [source.width * 0.3, source.height * 0.45],
    priorDiameterMm: o.priorDiameterMm === undefined ? 8 : o.priorDiameterMm,
    currentDiameterMm: o.currentDiameterMm === undefined ? 12 : o.currentDiameterMm,
    contrast: 40,
    pose: o.pose ?? { rotationDeg: 2, scale: 1.02, tx: 6, ty: -4 },
    contrastGain: 1.05,
    contrastOffset: 0,
    pixelSpacingMm: mm,
  };
  const pair = makePairImages(source, spec);
  const intervalDays = o.intervalDays ?? 731;
  const currentDay = o.currentDay ?? Math.round(Date.UTC(2026, 11, 1) / 86400000);
  const patient = { patientId: o.patientId ?? 'PRIORPAIR-0001', patientName: o.patientName ?? 'PRIOR^PAIR' };
  mkdirSync(dir, { recursive: true });
  const priorPath = path.join(dir, 'prior.dcm'),
    currentPath = path.join(dir, 'current.dcm');
  writeFileSync(priorPath, greyToDicom(pair.prior, { pixelSpacingMm: mm, day: currentDay - intervalDays, ...patient }));
  writeFileSync(currentPath, greyToDicom(pair.current, { pixelSpacingMm: mm, day: currentDay, ...patient }));
  return {
    priorPath,
    currentPath,
    ...patient,
    priorDate: dicomDay(currentDay - intervalDays),
    currentDate: dicomDay(currentDay),
    intervalDays,
    truth: pair.truth,
  };
}
