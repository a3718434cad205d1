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
  /** Contrast of the prior's nodule when it differs (a faint prior); default `contrast`. */
  priorContrast?: number;
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
  if (hasPrior) insertNodule(prior, spec.center, spec.priorDiameterMm! / mm, spec.priorContrast ?? spec.contrast);
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
  o: {
    pixelSpacingMm: number;
    patientId: string;
    patientName: string;
    day: number;
    studyUid?: string;
    viewPosition?: string;
  },
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
      ...(o.viewPosition ? { ViewPosition: o.viewPosition } : {}),
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

// ------------------------------------------------------------------ sampled pairs (scripts/prior-eval.ts, tests)

export type PairKind = 'grow' | 'stable' | 'shrink' | 'new' | 'removed' | 'subtle_prior';

/** JSRT normal films (no real nodule), sorted by id; the evaluation splits them into disjoint tune/test sets. */
export function jsrtNormalIds(): string[] {
  const csv = path.join(JSRT_DIR, 'normals.csv');
  if (!existsSync(csv)) return [];
  return readFileSync(csv, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!)
    .sort();
}

/** Both SCR lung masks of a JSRT film (0/1 per pixel). */
export async function jsrtLungMask(id: string): Promise<GreyImage> {
  const r = await readGreyPng(path.join(JSRT_DIR, 'masks', 'right_lung', `${id}.png`));
  const l = await readGreyPng(path.join(JSRT_DIR, 'masks', 'left_lung', `${id}.png`));
  const data = new Float32Array(r.data.length);
  for (let i = 0; i < data.length; i++) data[i] = r.data[i]! > 127 || l.data[i]! > 127 ? 1 : 0;
  return { width: r.width, height: r.height, data };
}

/** A point whose disk of radius `rPx` (plus margin) lies inside the lung mask, away from the apices. */
function lungPoint(mask: GreyImage, rPx: number, rnd: () => number): [number, number] {
  const inside = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[Math.floor(y) * mask.width + Math.floor(x)]! > 0;
  let ys = [Infinity, -Infinity];
  for (let i = 0; i < mask.data.length; i++)
    if (mask.data[i]! > 0) ys = [Math.min(ys[0]!, i / mask.width), Math.max(ys[1]!, i / mask.width)];
  const y0 = ys[0]! + 0.2 * (ys[1]! - ys[0]!);
  for (let k = 0; k < 5000; k++) {
    const p: [number, number] = [rnd() * mask.width, y0 + rnd() * (ys[1]! - y0)];
    const ring = Array.from({ length: 16 }, (_, j) => (2 * Math.PI * j) / 16);
    if (inside(...p) && ring.every((a) => inside(p[0] + (rPx + 12) * Math.cos(a), p[1] + (rPx + 12) * Math.sin(a))))
      return p;
  }
  throw new Error('no lung point found');
}

const between = (rnd: () => number, a: number, b: number) => a + (b - a) * rnd();

/**
 * A pair specification of the given kind on a film: nodule diameters in mm (grow +2…+6, shrink −2…−4,
 * stable 0; new: absent before; removed: absent now; subtle_prior: a faint prior, likely undetected),
 * nodule contrast 40–60 grey levels (a faint prior: 30–50 % of it), pose ±5°, ±5 %, ±20 px, contrast gain 0.85–1.15.
 */
export function samplePairSpec(kind: PairKind, mask: GreyImage, rnd: () => number, mmPerPx = 0.35): PairSpec {
  const base = between(rnd, kind === 'shrink' ? 10 : 7, 14);
  const delta =
    kind === 'grow' || kind === 'subtle_prior' ? between(rnd, 2, 6) : kind === 'shrink' ? -between(rnd, 2, 4) : 0;
  const priorD = kind === 'new' ? null : base;
  const currentD = kind === 'removed' ? null : base + delta;
  const rPx = Math.max(base, base + delta) / mmPerPx / 2;
  const contrast = between(rnd, 40, 60);
  return {
    center: lungPoint(mask, rPx, rnd),
    priorDiameterMm: priorD,
    currentDiameterMm: currentD,
    contrast,
    priorContrast: kind === 'subtle_prior' ? contrast * between(rnd, 0.3, 0.5) : undefined,
    pose: {
      rotationDeg: between(rnd, -5, 5),
      scale: between(rnd, 0.95, 1.05),
      tx: between(rnd, -20, 20),
      ty: between(rnd, -20, 20),
    },
    contrastGain: between(rnd, 0.85, 1.15),
    contrastOffset: between(rnd, -10, 10),
    pixelSpacingMm: mmPerPx,
  };
}

// ------------------------------------------------------------------ one pair through the real HTTP API

export interface PairOutcome {
  kind: PairKind;
  truthChangeMm: number | null;
  measuredChangeMm: number | null;
  priorMm: number | null;
  currentMm: number | null;
  /** The comparison status of the synthetic nodule's current anchor, 'undetected' when no anchor covers it. */
  status: string;
  /** For 'removed': the prior finding at the nodule is reported as not seen now. */
  removedReported: boolean | null;
  /** For an unmatched current nodule: the prior's lesion probability and relative blob contrast there. */
  priorProbability: number | null;
  priorContrastRatio: number | null;
  residualMm: number | null;
  /** Target registration error at the nodule's true place, mm. */
  treMm: number | null;
  headline: string;
  turn: any;
  sessionId: string;
}

type Call = (path: string, init?: RequestInit & { json?: unknown }) => Promise<{ status: number; body: any }>;

const nearest = <T extends { center: [number, number] }>(xs: T[], p: [number, number], tol: number): T | null => {
  let best: T | null = null,
    bd = tol;
  for (const x of xs) {
    const d = Math.hypot(x.center[0] - p[0], x.center[1] - p[1]);
    if (d <= bd) {
      bd = d;
      best = x;
    }
  }
  return best;
};

const evidenceOf = (item: any, name: string): any => item?.evidence?.find((e: any) => e.name === name)?.value ?? null;

/**
 * Posts both images of a pair (CR DICOM, dates `intervalDays` apart), attaches the prior, asks
 * `question` and reads back what the server says about the synthetic nodule; also registers the two
 * anatomy maps in-process to measure the target registration error at the nodule.
 */
export async function runPairThroughApi(
  call: Call,
  pair: PairImages,
  kind: PairKind,
  o: { intervalDays: number; question: string; register: RegisterFn },
): Promise<PairOutcome> {
  const mm = pair.truth.pixelSpacingMm;
  const who = { patientId: 'EVAL', patientName: 'EVAL^PAIR', pixelSpacingMm: mm };
  const day = 20000;
  const post = (img: GreyImage, d: number) =>
    call('/api/v1/analyses', {
      method: 'POST',
      headers: { 'content-type': 'application/dicom' },
      body: greyToDicom(img, { ...who, day: d }),
    });
  const prior = (await post(pair.prior, day - o.intervalDays)).body;
  const current = (await post(pair.current, day)).body;
  const session = (await call('/api/v1/sessions', { method: 'POST', json: { analysisId: current.id, language: 'en' } }))
    .body;
  await call(`/api/v1/sessions/${session.id}/prior`, { method: 'PUT', json: { analysisId: prior.id } });
  const turn = (await call(`/api/v1/sessions/${session.id}/turns`, { method: 'POST', json: { text: o.question } }))
    .body;
  const anchors = (await call(`/api/v1/sessions/${session.id}`)).body.anchors as any[];
  const items = (turn.answer?.sections ?? []).find((s: any) => s.id === 'comparison')?.items ?? [];
  const t = pair.truth;
  const tolPx = (d: number | undefined) => Math.max(10, d ?? 10) / mm;
  const cur = t.current
    ? nearest(
        anchors.filter((a) => a.kind === 'finding'),
        t.current.center,
        tolPx(t.current.diameterMm),
      )
    : null;
  const item = cur ? items.find((i: any) => i.anchorIds.includes(cur.id)) : null;
  let removedReported: boolean | null = null;
  if (kind === 'removed' && t.prior) {
    const pf = nearest(prior.findings ?? [], t.prior.center, tolPx(t.prior.diameterMm)) as any;
    removedReported = !!pf && items.some((i: any) => i.text.startsWith(`Prior ${pf.id} `));
  }
  const reg = o.register(prior, current);
  const tre = reg ? treAt(reg, pair, mm) : null;
  const p = t.prior?.diameterMm ?? null,
    c = t.current?.diameterMm ?? null;
  return {
    kind,
    truthChangeMm: p !== null && c !== null ? c - p : null,
    measuredChangeMm: evidenceOf(item, 'changeMm'),
    priorMm: evidenceOf(item, 'priorDiameterMm'),
    currentMm: evidenceOf(item, 'currentDiameterMm'),
    status: item ? String(evidenceOf(item, 'status')) : t.current ? 'undetected' : 'absent_now',
    removedReported,
    priorProbability: evidenceOf(item, 'priorProbability'),
    priorContrastRatio: evidenceOf(item, 'priorContrastRatio'),
    residualMm: reg?.residualMm ?? null,
    treMm: tre,
    headline: turn.answer?.headline ?? '',
    turn,
    sessionId: session.id,
  };
}

/** prior px → current px and the fit residual (analysis/prior/registration.ts), injected by the caller. */
export type RegisterFn = (
  prior: any,
  current: any,
) => { map: (p: [number, number]) => [number, number]; residualMm: number | null } | null;

function treAt(reg: NonNullable<ReturnType<RegisterFn>>, pair: PairImages, mm: number): number {
  const t = pair.truth;
  const src = t.prior?.center ?? null;
  const w = pair.prior.width,
    h = pair.prior.height;
  // the nodule's true place in both images (present or not): the prior centre and its posed image
  const p0 = src ?? invertPose(t.pose, t.current!.center, w, h);
  const truthNow = applyPose(t.pose, p0, w, h);
  const q = reg.map(p0);
  return Math.hypot(q[0] - truthNow[0], q[1] - truthNow[1]) * mm;
}

/** Inverse of applyPose. */
export function invertPose(pose: Pose, q: [number, number], w: number, h: number): [number, number] {
  const a = (-pose.rotationDeg * Math.PI) / 180;
  const dx = (q[0] - w / 2 - pose.tx) / pose.scale,
    dy = (q[1] - h / 2 - pose.ty) / pose.scale;
  return [w / 2 + Math.cos(a) * dx - Math.sin(a) * dy, h / 2 + Math.sin(a) * dx + Math.cos(a) * dy];
}
