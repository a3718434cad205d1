/**
 * Is this image like the ones the detector was validated on? (api.md 4.3 `Analysis.domain`)
 *
 * Measured from the anatomy model's lung/heart fields and the display image, no extra model:
 * - lungs found: both lung fields present with a plausible share of the image (a knee, a hand, an
 *   abdomen or noise give no or implausible lungs);
 * - frontal view: not a lateral (ViewPosition), and two lungs side by side of comparable size;
 * - adult proportions: thorax width in mm when the spacing is known (a child's thorax is narrow),
 *   and the heart's share of the thorax width;
 * - exposure: lungs darker than the mediastinum by a usable margin, not a saturated image.
 * The ranges are set from the training images of every site (JSRT, NIH normals, covid-seg) with a
 * wide margin (models/cxr-lesion/MODEL_CARD.md, "Image domain"); they reject what is clearly not an
 * adult frontal chest film, not subtle deviations.
 */
import type { Bilingual, ImageDomain, ImageInfo } from '../contract';
import type { ThoracicRegion } from './lesions/region';

export interface DomainFeatures {
  anatomyAvailable: boolean;
  lateral: boolean;
  /** lung pixels (both sides) / grid pixels */
  lungFraction: number;
  /** smaller / larger lung area (0 when one is missing) */
  lungBalance: number;
  /** lungs' combined width / image width */
  envelopeWidthFraction: number;
  /** lungs' combined height / width, in mm when spacing is known, else in px */
  envelopeAspect: number;
  /** lungs' combined width in mm; null without spacing */
  thoraxWidthMm: number | null;
  /** heart width / lungs' combined width; null without a heart field */
  heartWidthRatio: number | null;
  /** mean display (0..1, bright = dense) over the lungs and over the heart/mediastinum */
  lungMean: number;
  centralMean: number | null;
  /** fraction of image pixels at ≤ 0.02 or ≥ 0.98 (reported, not used: some JSRT films are 70 % white) */
  saturated: number;
  /** standard deviation of the display image (the detector z-scores by it) */
  displayStd: number;
}

export interface DomainFields {
  gridWidth: number;
  gridHeight: number;
  columns: number;
  rows: number;
  lungRight?: Float32Array | null;
  lungLeft?: Float32Array | null;
  heart?: Float32Array | null;
  mediastinum?: Float32Array | null;
}

interface Extent {
  n: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
function extent(fs: (Float32Array | null | undefined)[], w: number, h: number): Extent {
  const e = { n: 0, x0: w, x1: -1, y0: h, y1: -1 };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!fs.some((f) => f && f[i]! >= 0.5)) continue;
      e.n++;
      if (x < e.x0) e.x0 = x;
      if (x > e.x1) e.x1 = x;
      if (y < e.y0) e.y0 = y;
      if (y > e.y1) e.y1 = y;
    }
  return e;
}

/** Mean display value over the grid pixels of the fields (display sampled at each grid cell's centre). */
function meanOver(
  fs: (Float32Array | null | undefined)[],
  g: DomainFields,
  display: Float32Array,
  width: number,
  height: number,
): number | null {
  let s = 0,
    n = 0;
  const w = g.gridWidth,
    h = g.gridHeight;
  for (let y = 0; y < h; y++) {
    const iy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / h));
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!fs.some((f) => f && f[i]! >= 0.5)) continue;
      const ix = Math.min(width - 1, Math.floor(((x + 0.5) * width) / w));
      s += display[iy * width + ix]!;
      n++;
    }
  }
  return n ? s / n : null;
}

/** The image side of the features: its info, display image (width × height), anatomy and view. */
type DomainImage = [
  info: ImageInfo,
  display: Float32Array,
  width: number,
  height: number,
  anatomyAvailable: boolean,
  lateral: boolean,
];

export function domainFeatures(fields: DomainFields | null, ...image: DomainImage): DomainFeatures {
  const [info, display, width, height, anatomyAvailable, lateral] = image;
  const { saturated, displayStd } = displayStats(display);
  const empty: DomainFeatures = {
    anatomyAvailable,
    lateral,
    lungFraction: 0,
    lungBalance: 0,
    envelopeWidthFraction: 0,
    envelopeAspect: 0,
    thoraxWidthMm: null,
    heartWidthRatio: null,
    lungMean: 0,
    centralMean: null,
    saturated,
    displayStd,
  };
  if (!fields || !anatomyAvailable || fields.gridWidth === 0) return empty;
  const shape = lungShapeFeatures(fields, info);
  if (!shape) return empty;
  return {
    anatomyAvailable,
    lateral,
    saturated,
    displayStd,
    ...shape,
    lungMean: meanOver([fields.lungRight, fields.lungLeft], fields, display, width, height) ?? 0,
    centralMean: meanOver([fields.heart, fields.mediastinum], fields, display, width, height),
  };
}

/**
 * Share of (nearly) saturated pixels and the standard deviation of the display image, on at most
 * about 65536 evenly strided samples.
 */
export function displayStats(display: Float32Array): { saturated: number; displayStd: number } {
  let sat = 0,
    s1 = 0,
    s2 = 0;
  const step = Math.max(1, Math.floor(display.length / 65536));
  let cnt = 0;
  for (let i = 0; i < display.length; i += step) {
    const v = display[i]!;
    if (v <= 0.02 || v >= 0.98) sat++;
    s1 += v;
    s2 += v * v;
    cnt++;
  }
  return {
    saturated: cnt ? sat / cnt : 0,
    displayStd: cnt ? Math.sqrt(Math.max(0, s2 / cnt - (s1 / cnt) ** 2)) : 0,
  };
}

/** The pixel spacing (row, column) in mm when it is known and positive, else null. */
const knownSpacing = (info: ImageInfo): [number, number] | null =>
  info.spacingSource !== 'none' && info.pixelSpacingMm && info.pixelSpacingMm[0] > 0 && info.pixelSpacingMm[1] > 0
    ? info.pixelSpacingMm
    : null;

type LungShape = Pick<
  DomainFeatures,
  'lungFraction' | 'lungBalance' | 'envelopeWidthFraction' | 'envelopeAspect' | 'thoraxWidthMm' | 'heartWidthRatio'
>;

/** Size, balance and proportions of the lung envelope and the heart's share of it; null without lung. */
function lungShapeFeatures(fields: DomainFields, info: ImageInfo): LungShape | null {
  const w = fields.gridWidth,
    h = fields.gridHeight;
  const r = extent([fields.lungRight], w, h),
    l = extent([fields.lungLeft], w, h);
  const both = extent([fields.lungRight, fields.lungLeft], w, h);
  if (both.n === 0) return null;
  const sx = fields.columns / w,
    sy = fields.rows / h;
  const spacing = knownSpacing(info);
  const wPx = (both.x1 - both.x0 + 1) * sx,
    hPx = (both.y1 - both.y0 + 1) * sy;
  const wMm = spacing ? wPx * spacing[1] : null,
    hMm = spacing ? hPx * spacing[0] : null;
  const heart = fields.heart ? extent([fields.heart], w, h) : null;
  return {
    lungFraction: both.n / (w * h),
    lungBalance: r.n && l.n ? Math.min(r.n, l.n) / Math.max(r.n, l.n) : 0,
    envelopeWidthFraction: (both.x1 - both.x0 + 1) / w,
    envelopeAspect: wMm && hMm ? hMm / wMm : hPx / wPx,
    thoraxWidthMm: wMm,
    heartWidthRatio: heart && heart.n ? (heart.x1 - heart.x0 + 1) / (both.x1 - both.x0 + 1) : null,
  };
}

/**
 * Plausible ranges. Observed on the training sites (1st percentile / minimum … 99th / maximum; JSRT
 * 166, NIH normals 314, covid-seg 74): lung fraction 0.12…0.46 (min 0.055, an NIH film whose lungs
 * the anatomy model half-missed), lung balance p1 0.20 (NIH) / 0.56 (covid) / 0.61 (JSRT), envelope
 * width fraction ≥ 0.47, envelope aspect 0.53…1.40, thorax width ≥ 237 mm (p1; min 199), heart width
 * ratio ≤ 0.68, normalised lung contrast ≥ 0.32 (min), display std ≥ 0.012. Widened so that they
 * reject what is clearly not an adult frontal chest film.
 */
export const DOMAIN_RANGES = {
  lungFraction: [0.08, 0.55],
  lungBalance: 0.4,
  envelopeWidthFraction: 0.4,
  envelopeAspect: [0.45, 1.45],
  /** paediatric: thorax narrower than this (mm) together with a wide heart or a short, wide thorax */
  thoraxWidthMm: 210,
  paediatricHeartRatio: 0.5,
  paediatricAspect: 0.8,
  /** any thorax narrower than this is not an adult's, whatever the heart */
  thoraxWidthMmMin: 100,
  /** (centralMean − lungMean) / displayStd: lungs must be clearly darker than the mediastinum */
  lungContrast: 0.25,
  displayStd: 0.005,
} as const;

export const VALIDATED_ON = ['JSRT (Japan, film scans, PA)', 'NIH ChestX-ray14 normals (USA, PA and AP)'];

const R = {
  noLungs: { zh: '未找到肺野(可能不是胸片)', en: 'lung fields not found (this may not be a chest radiograph)' },
  lateral: { zh: '非正位片(侧位)', en: 'not a frontal view (lateral)' },
  implausible: {
    zh: '肺野大小或形状不符合成人正位胸片',
    en: 'lung fields of implausible size or shape for an adult frontal chest film',
  },
  oneLung: { zh: '仅见单侧肺野或两侧明显不对称', en: 'only one lung field found, or the two are very unequal' },
  paediatric: {
    zh: '儿童比例(胸廓窄或心影相对大)',
    en: 'paediatric proportions (narrow thorax or relatively large heart)',
  },
  exposure: { zh: '曝光或对比度异常', en: 'extreme exposure or contrast' },
} satisfies Record<string, Bilingual>;

export interface DomainAssessment {
  domain: ImageDomain;
  /** No lung region at all: report no finding (a knee, a lateral). */
  notChest: boolean;
}

export function assessDomain(f: DomainFeatures): DomainAssessment {
  const reasons: Bilingual[] = [];
  let score = 1;
  let notChest = false;
  const D = DOMAIN_RANGES;
  if (f.lateral) {
    reasons.push(R.lateral);
    notChest = true;
    score = 0;
  } else if (!f.anatomyAvailable || f.lungFraction === 0) {
    reasons.push(R.noLungs);
    notChest = true;
    score = 0;
  } else {
    const bad = (v: number, lo: number, hi: number) =>
      v < lo ? Math.min(1, (lo - v) / lo) : v > hi ? Math.min(1, (v - hi) / hi) : 0;
    const shape = Math.max(
      bad(f.lungFraction, D.lungFraction[0], D.lungFraction[1]),
      bad(f.envelopeAspect, D.envelopeAspect[0], D.envelopeAspect[1]),
      f.envelopeWidthFraction < D.envelopeWidthFraction ? 1 - f.envelopeWidthFraction / D.envelopeWidthFraction : 0,
    );
    if (shape > 0) {
      reasons.push(R.implausible);
      score *= 1 - Math.max(0.5, shape);
    }
    if (f.lungFraction < 0.03) notChest = true;
    if (f.lungBalance < D.lungBalance) {
      reasons.push(R.oneLung);
      score *= 0.4 + f.lungBalance;
    }
    // Spacing can be wrong (the SIIM sample keeps the detector pitch of a downsampled image, so its
    // thorax measures 136 mm): a narrow thorax alone is not enough, it must look like a child's.
    const paed =
      f.thoraxWidthMm !== null &&
      (f.thoraxWidthMm < D.thoraxWidthMmMin ||
        (f.thoraxWidthMm < D.thoraxWidthMm &&
          ((f.heartWidthRatio ?? 0) > D.paediatricHeartRatio || f.envelopeAspect < D.paediatricAspect)));
    if (paed) {
      reasons.push(R.paediatric);
      score *= 0.4;
    }
    const contrast = f.centralMean === null ? null : (f.centralMean - f.lungMean) / Math.max(f.displayStd, 1e-6);
    if ((contrast !== null && contrast < D.lungContrast) || f.displayStd < D.displayStd) {
      reasons.push(R.exposure);
      score *= 0.4;
    }
  }
  score = Math.round(Math.max(0, Math.min(1, score)) * 100) / 100;
  return { domain: { inDomain: reasons.length === 0, score, reasons, validatedOn: VALIDATED_ON }, notChest };
}

/** Convenience: both steps; the region is null when no lung was found. */
export function domainOf(
  fields: DomainFields | null,
  region: ThoracicRegion | null,
  ...image: DomainImage
): DomainAssessment & { features: DomainFeatures } {
  const features = domainFeatures(fields, ...image);
  const a = assessDomain(features);
  if (!region) {
    a.notChest = true;
    if (a.domain.inDomain) {
      a.domain = { ...a.domain, inDomain: false, score: 0, reasons: [R.noLungs] };
    }
  }
  return { ...a, features };
}
