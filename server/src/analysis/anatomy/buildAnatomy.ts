/** Anatomy of a frontal chest radiograph from the anatomy model's probabilities (api.md 5). */
import type { Anatomy, ImageInfo, Landmark, Point, Polygon, Structure, StructureId, WarningCode } from '../../contract';
import { roundPolygon, traceContours, bboxOfPolygons, round2, areaMm2 } from '../../geometry';
import { ANATOMY_CLASSES, type AnatomyProbabilities } from '../../inference/types';
import { cardiothoracicRatio } from './ctr';
import { STRUCTURE_IDS, STRUCTURE_LABELS } from './labels';
import {
  aorticKnob,
  apex,
  cardiophrenicAngle,
  carinaFromTrachea,
  costophrenicAngle,
  heartBorder,
  heartLungJunction,
  hemidiaphragm,
  hilum,
  makeLandmark,
} from './landmarks';
import { loadLobeParams, LINGULA_METHOD, type LobeParams } from './lobes';
import { lungFrame, medialLateral, type LungFrame } from './lungFrame';
import { buildState, type AnatomyState } from './state';
import { bandsOf, lobeRegions, zonesOf } from './zones';

export interface BuildAnatomyOptions {
  analysisId: string;
  /** "cxr-anatomy@1" */
  modelRef: string | null;
  lobeParams?: LobeParams;
}

export interface AnatomyResult {
  anatomy: Anatomy;
  /** Opaque; keep it with the analysis for `renderMaskPng`. */
  state: AnatomyState;
  warnings: WarningCode[];
  timingMs: number;
}

/** The `available: false` form (api.md 5). */
export function unavailableAnatomy(reason: 'no_model' | 'not_frontal' | 'failed'): Anatomy {
  return {
    available: false,
    unavailableReason: reason,
    modelRef: null,
    zoneConvention: 'thirds_of_lung_height',
    bandConvention: 'thirds_of_lung_width',
    structures: [],
    zones: [],
    bands: [],
    landmarks: [],
    lobes: null,
    cardiothoracicRatio: null,
  };
}

/** True for lateral views (LL, RL, LATERAL): no frontal anatomy. */
export const isLateralView = (viewPosition: string | null): boolean =>
  /^(LL|RL|LAT|LATERAL|RLD|LLD)$/i.test((viewPosition ?? '').trim());

const emptyState = (image: Pick<ImageInfo, 'rows' | 'columns'>): AnatomyState => ({
  gridWidth: 0,
  gridHeight: 0,
  columns: image.columns,
  rows: image.rows,
  fields: {},
  standardOrientation: true,
});

/** Builds structures, landmarks, zones, bands, lobes and CTR in full-image pixel coordinates. */
export function buildAnatomy(probs: AnatomyProbabilities, image: ImageInfo, opts: BuildAnatomyOptions): AnatomyResult {
  const t0 = performance.now();
  const done = (anatomy: Anatomy, state: AnatomyState, warnings: WarningCode[] = []): AnatomyResult => ({
    anatomy,
    state,
    warnings,
    timingMs: performance.now() - t0,
  });
  if (isLateralView(image.viewPosition)) return done(unavailableAnatomy('not_frontal'), emptyState(image));
  const state = buildState(probs, image);
  const spacing = image.spacingSource !== 'none' ? image.pixelSpacingMm : null;
  const { structures, contours } = traceStructures(state, spacing, opts.analysisId);
  if (!contours.lung_right && !contours.lung_left) return done(unavailableAnatomy('failed'), state);

  const standard = state.standardOrientation;
  const right = lungFrame('right', contours.lung_right ?? [], standard);
  const left = lungFrame('left', contours.lung_left ?? [], standard);
  const frames = [right, left].filter((f): f is LungFrame => f !== null);
  const heart = contours.heart ?? [];
  const conf = (id: StructureId) => structures.find((s) => s.id === id)?.confidence ?? 0.5;

  // Hila first: they anchor the lingula split and the carina fallback.
  const tol = Math.max(1.5 * (state.columns / state.gridWidth), 0.006 * state.columns);
  const hilar = hilumLandmarks(frames, heart, tol);
  const outline = lungOutlineLandmarks(frames, conf);
  const midX = thoracicMidlineX(right, left, state.columns);
  const carina = carinaLandmark(state, hilar.hila, frames, midX, conf);
  const landmarks: Landmark[] = [
    ...hilar.landmarks,
    ...outline.landmarks,
    ...heartBorderLandmarks(heart, standard, conf),
    ...(carina ? [carina.landmark] : []),
    ...aorticKnobLandmark(hilar.knob, left),
  ];
  const cp = outline.costophrenic;
  const ctr =
    right && left && cp.right && cp.left
      ? cardiothoracicRatio(heart, right, left, carina?.y ?? null, Math.min(cp.right[1], cp.left[1]), image)
      : null;
  if (frames.length) landmarks.push(midlineLandmark(frames, midX, ctr, hilar.hila));

  const params = opts.lobeParams ?? loadLobeParams();
  const anatomy: Anatomy = {
    available: true,
    unavailableReason: null,
    modelRef: opts.modelRef,
    zoneConvention: 'thirds_of_lung_height',
    bandConvention: 'thirds_of_lung_width',
    structures,
    zones: frames.flatMap(zonesOf),
    bands: frames.flatMap((f) => bandsOf(f)),
    landmarks,
    lobes: lobesOf(state, frames, left, hilar.hila.left, params),
    cardiothoracicRatio: ctr,
  };
  const warnings: WarningCode[] =
    right && left && heartMostlyRight(state, left, midX) ? ['situs_or_flip_suspected'] : [];
  return done(anatomy, state, warnings);
}

type Sides<T> = Partial<Record<'right' | 'left', T>>;

/** Mean of the field's values ≥ 0.5 and their count (the structure's area and confidence). */
export function maskStats(f: Float32Array): { n: number; mean: number } {
  let n = 0,
    sum = 0;
  for (let i = 0; i < f.length; i++)
    if (f[i]! >= 0.5) {
      n++;
      sum += f[i]!;
    }
  return { n, mean: n ? sum / n : 0 };
}

/** Outlines of every segmented structure (full-image px) with area and confidence; empty masks give none. */
export function traceStructures(
  state: AnatomyState,
  spacing: [number, number] | null,
  analysisId: string,
): { structures: Structure[]; contours: Partial<Record<StructureId, Polygon[]>> } {
  const { gridWidth: gw, gridHeight: gh, columns, rows } = state;
  const sx = columns / gw,
    sy = rows / gh;
  const structures: Structure[] = [];
  const contours: Partial<Record<StructureId, Polygon[]>> = {};
  for (const id of STRUCTURE_IDS) {
    const f = state.fields[id];
    if (!f) continue;
    const trace = { scaleX: sx, scaleY: sy, clampWidth: columns, clampHeight: rows, minArea: 2 * sx * sy };
    const polys = traceContours(f, gw, gh, trace).map(roundPolygon);
    if (!polys.length) continue;
    const { n, mean } = maskStats(f);
    const areaPx = n * sx * sy;
    contours[id] = polys;
    structures.push({
      id,
      label: STRUCTURE_LABELS[id],
      contours: polys,
      bbox: bboxOfPolygons(polys).map(round2) as Structure['bbox'],
      areaPx: round2(areaPx),
      areaMm2: spacing ? round2(areaMm2(areaPx, spacing)) : null,
      confidence: n ? round2(mean) : 0,
      maskUrl: `/api/v1/analyses/${analysisId}/masks/${id}.png`,
    });
  }
  return { structures, contours };
}

const frameOf = (frames: LungFrame[], side: 'right' | 'left') => frames.find((f) => f.side === side) ?? null;

/** Hilum landmarks per lung, anchored on the heart–lung junctions and (left) the aortic knob. */
function hilumLandmarks(
  frames: LungFrame[],
  heart: Polygon[],
  tol: number,
): { landmarks: Landmark[]; hila: Sides<Point>; knob: ReturnType<typeof aorticKnob> } {
  const right = frameOf(frames, 'right'),
    left = frameOf(frames, 'left');
  const jR = right ? heartLungJunction(right, heart, tol) : null;
  const jL = left ? heartLungJunction(left, heart, tol) : null;
  const knob = left ? aorticKnob(left, jL) : null;
  const hila: Sides<Point> = {};
  const landmarks: Landmark[] = [];
  for (const f of frames) {
    const h = hilum(f, f.side === 'right' ? jR : jL, f.side === 'left' ? (knob?.point ?? null) : null);
    hila[f.side] = h.point;
    landmarks.push(makeLandmark(`hilum_${f.side}`, h.point, h.confidence, h.method, h.note, null, h.region));
  }
  return { landmarks, hila, knob };
}

/** Apex, costophrenic and cardiophrenic angles and hemidiaphragm of each lung outline. */
function lungOutlineLandmarks(
  frames: LungFrame[],
  conf: (id: StructureId) => number,
): { landmarks: Landmark[]; costophrenic: Sides<Point> } {
  const landmarks: Landmark[] = [];
  const costophrenic: Sides<Point> = {};
  for (const f of frames) {
    const c = conf(f.side === 'right' ? 'lung_right' : 'lung_left');
    landmarks.push(makeLandmark(`apex_${f.side}`, apex(f), c, 'geometry', 'highest point of the lung outline'));
    const cpa = costophrenicAngle(f);
    const cda = cardiophrenicAngle(f);
    costophrenic[f.side] = cpa;
    const cpaNote = 'lowest-lateral tip of the lung outline';
    landmarks.push(makeLandmark(`costophrenic_angle_${f.side}`, cpa, 0.8 * c, 'geometry', cpaNote));
    const cdaNote = 'lowest-medial tip of the lung outline, where the heart border meets the hemidiaphragm';
    landmarks.push(makeLandmark(`cardiophrenic_angle_${f.side}`, cda, 0.7 * c, 'geometry', cdaNote));
    const hd = hemidiaphragm(f, cda, cpa);
    const hdNote = 'dome = highest point of the lower lung contour between the cardiophrenic and costophrenic angles';
    landmarks.push(makeLandmark(`hemidiaphragm_${f.side}`, hd.dome, 0.8 * c, 'geometry', hdNote, hd.polyline));
  }
  return { landmarks, costophrenic };
}

/** Right and left heart borders: the heart outline's most lateral edge on each side. */
function heartBorderLandmarks(heart: Polygon[], standard: boolean, conf: (id: StructureId) => number): Landmark[] {
  const out: Landmark[] = [];
  for (const side of ['right', 'left'] as const) {
    const latSign = (side === 'right') === standard ? -1 : 1;
    const hb = heartBorder(heart, latSign);
    if (!hb) continue;
    const note = `most lateral point of the heart outline on the patient's ${side}; polyline = that edge row by row`;
    out.push(makeLandmark(`heart_border_${side}`, hb.point, conf('heart'), 'geometry', note, hb.polyline));
  }
  return out;
}

/**
 * Thoracic midline x: midway between the lateral lung edges (the inner chest wall), median over the
 * middle rows of the right lung; the image centre without both lungs.
 */
export function thoracicMidlineX(right: LungFrame | null, left: LungFrame | null, columns: number): number {
  if (!right || !left) return columns / 2;
  const xs: number[] = [];
  for (let k = 0; k <= 20; k++) {
    const y = right.yApex + (0.3 + (0.4 * k) / 20) * (right.yBase - right.yApex);
    const a = medialLateral(right, y),
      b = medialLateral(left, y);
    if (a && b) xs.push((a.xLateral + b.xLateral) / 2);
  }
  return xs.length ? xs.sort((a, b) => a - b)[xs.length >> 1]! : columns / 2;
}

/** The carina from the trachea mask, else estimated from the hila on the midline; null without either. */
function carinaLandmark(
  state: AnatomyState,
  hila: Sides<Point>,
  frames: LungFrame[],
  midX: number,
  conf: (id: StructureId) => number,
): { landmark: Landmark; y: number } | null {
  const { gridWidth: gw, gridHeight: gh, columns, rows } = state;
  const c = state.fields.trachea ? carinaFromTrachea(state.fields.trachea, gw, gh, columns / gw, rows / gh) : null;
  if (c) {
    const confidence = (c.split ? 0.8 : 0.5) * conf('trachea');
    const note = c.split ? 'bifurcation of the trachea mask' : 'lower end of the trachea mask (no bifurcation seen)';
    return { landmark: makeLandmark('carina', c.point, confidence, 'geometry', note), y: c.point[1] };
  }
  if (!(hila.right || hila.left) || !frames.length) return null;
  const hy = Math.min(...[hila.right, hila.left].filter((p): p is Point => !!p).map((p) => p[1]));
  const H = frames[0]!.yBase - frames[0]!.yApex;
  const y = hy - 0.06 * H;
  const note = 'no trachea segmentation: midline, 6% of lung height above the higher hilar point';
  return { landmark: makeLandmark('carina', [midX, y], 0.3, 'regression', note), y };
}

/** The aortic knob, when it bulges at least 1 % of the left lung's width. */
function aorticKnobLandmark(knob: ReturnType<typeof aorticKnob>, left: LungFrame | null): Landmark[] {
  if (!knob || !left || knob.prominence < 0.01 * (left.xMax - left.xMin)) return [];
  const note = 'most lateral bulge of the left mediastinal contour above the left heart border';
  return [makeLandmark('aortic_knob', knob.point, 0.5, 'geometry', note)];
}

/** The midline landmark: a vertical line from the highest apex to the lowest base, marked at the CTR row. */
function midlineLandmark(
  frames: LungFrame[],
  midX: number,
  ctr: Anatomy['cardiothoracicRatio'],
  hila: Sides<Point>,
): Landmark {
  const yTop = Math.min(...frames.map((f) => f.yApex)),
    yBot = Math.max(...frames.map((f) => f.yBase));
  const yMid = ctr
    ? (ctr.thoracicWidth.a[1] + ctr.thoracicWidth.b[1]) / 2
    : (hila.right ?? hila.left ?? [0, (yTop + yBot) / 2])[1];
  const note = 'vertical line midway between the lateral lung edges (inner chest wall), median over the middle rows';
  const line: Point[] = [
    [midX, yTop],
    [midX, yBot],
  ];
  return makeLandmark('midline', [midX, yMid], 0.7, 'geometry', note, line);
}

/** Lobe regions; the lingula split is the left hilar level as a fraction of the left lung's height. */
function lobesOf(
  state: AnatomyState,
  frames: LungFrame[],
  left: LungFrame | null,
  leftHilum: Point | undefined,
  params: LobeParams,
): Anatomy['lobes'] {
  const { gridWidth: gw, gridHeight: gh, columns, rows } = state;
  const lingulaS = left && leftHilum ? (leftHilum[1] - left.yApex) / (left.yBase - left.yApex) : null;
  return {
    method: `${params.method}; ${LINGULA_METHOD}`,
    fittedOn: params.fittedOn,
    regions: lobeRegions(frames, params, lingulaS, columns, rows, Math.min(gw, 96), Math.min(gh, 96)),
  };
}

/**
 * Normally most of the cardiac silhouette lies on the patient's left of the midline; true when
 * under 45 % of the heart field does (situs inversus or a flipped film).
 */
export function heartMostlyRight(state: AnatomyState, left: LungFrame, midX: number): boolean {
  const hf = state.fields.heart;
  if (!hf) return false;
  const gw = state.gridWidth,
    sx = state.columns / gw;
  let onLeft = 0,
    n = 0;
  for (let i = 0; i < hf.length; i++) {
    if (hf[i]! < 0.5) continue;
    n++;
    if ((((i % gw) + 0.5) * sx - midX) * left.lateralSign > 0) onLeft++;
  }
  return n > 0 && onLeft / n < 0.45;
}

/**
 * Runs buildAnatomy once on a synthetic field (two elliptical lungs and a heart) so that the first
 * real analysis does not pay JIT compilation and the parameter read. Call at server start.
 */
export function warmUpAnatomy(lobeParams?: LobeParams): number {
  const S = 128,
    n = S * S;
  const labels: string[] = [...ANATOMY_CLASSES];
  const data = new Float32Array(labels.length * n);
  const ell = (c: number, cx: number, cy: number, rx: number, ry: number) => {
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const d = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
        data[c * n + y * S + x] = Math.max(data[c * n + y * S + x]!, 1 / (1 + Math.exp(8 * (d - 1))));
      }
  };
  ell(0, 38, 62, 22, 45);
  ell(1, 90, 60, 22, 47);
  ell(2, 70, 88, 24, 18);
  ell(5, 64, 60, 14, 45);
  ell(6, 64, 30, 3, 20);
  const image = {
    rows: 2048,
    columns: 2048,
    viewPosition: 'PA',
    patientOrientation: null,
    pixelSpacingMm: [0.175, 0.175],
    spacingSource: 'PixelSpacing',
  } as unknown as ImageInfo;
  const r = buildAnatomy({ width: S, height: S, labels, data }, image, {
    analysisId: 'an_warmup',
    modelRef: null,
    lobeParams,
  });
  return r.timingMs;
}
