/**
 * Training / tuning / test tables for the learned sign models (issue 13). Each row is one lesion
 * inserted into a real normal film, re-analysed by the focused re-analysis
 * (server/src/analysis/refine), with the sign feature vector (signModel.ts) and its labels.
 *
 *   --set synth --gen varied|eval   synthetic lesions of known margin / calcium / cavity
 *   --set lidc  --part train|tune|test   LIDC nodules (ct-projections.npz via scripts/lidc-export.py),
 *                                        split by patient (SeriesInstanceUID hash)
 *   --site jsrt-even|jsrt-odd|nih   backgrounds: JSRT normals (even / odd ids) or NIH PA normals
 *
 *   nice -n 10 node --import tsx models/train/sign_dump.ts --set synth --gen varied --site jsrt-even \
 *     --n 150 --seed 11 --out /tmp/signs/synth-train.jsonl
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Point } from '../../server/src/contract';
import { leadMarginClass, refineRegionDetailed } from '../../server/src/analysis/refine';
import { signFeatureVector } from '../../server/src/analysis/refine/signModel';
import {
  LESION_CLASSES,
  coarseOutline,
  extentOf,
  randomLesion,
  renderLesion,
  rng,
  uniform,
  type SampleTruth,
} from '../../scripts/lib/synth';
import { variedLesion } from './sign_synth';
import {
  footprintOutline,
  jsrtNormalIds,
  loadJsrtFilm,
  optionReader,
  patchAt,
  readGrey,
} from '../../scripts/lib/films';

const args = process.argv.slice(2);
const opt = optionReader(args);
const SHARED = resolve(process.env.CXR_SHARED ?? join(__dirname, '..', '..', '..', 'shared'));
const SET = opt('set', 'synth');
const GEN = opt('gen', 'varied');
const SITE = opt('site', 'jsrt-even');
const N = Number(opt('n', '100'));
const SEED = Number(opt('seed', '11'));
const PART = opt('part', 'train');
const LIDC_DIR = opt('lidc', '/tmp/lidc');
const REPEAT = Number(opt('repeat', '1'));
const OUT = opt('out', '/tmp/signs/out.jsonl');

interface Film {
  id: string;
  display: Float32Array;
  W: number;
  H: number;
  lung: Uint8Array | null;
  mm: [number, number];
}

async function jsrtFilms(parity: number): Promise<Film[]> {
  const dir = join(SHARED, 'data', 'jsrt-train');
  const out: Film[] = [];
  for (const id of jsrtNormalIds(dir, (i) => i % 2 === parity))
    out.push({ ...(await loadJsrtFilm(dir, id)), mm: [0.35, 0.35] });
  return out;
}

/** NIH PA normals (another hospital; no lung masks: lesions go into fixed mid-lung boxes). */
async function nihFilms(limit: number): Promise<Film[]> {
  const dir = join(SHARED, 'data', 'nih-normals');
  const lines = readFileSync(join(dir, 'normals.csv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split(',');
  const col = (n: string) => head.indexOf(n);
  const rows = lines.slice(1).map((l) => l.split(','));
  const pa = rows.filter((r) => r[col('view')] === 'PA').slice(0, limit);
  const out: Film[] = [];
  for (const r of pa) {
    const id = r[col('id')]!;
    const img = await readGrey(join(dir, 'images', `${id}.jpg`)).catch(() =>
      readGrey(join(dir, 'images', `${id}.png`)),
    );
    const display = Float32Array.from(img.data, (v) => v / 255);
    const mm: [number, number] = [Number(r[col('spacing_x_mm_at_1024')]), Number(r[col('spacing_y_mm_at_1024')])];
    out.push({ id, display, W: img.W, H: img.H, lung: null, mm });
  }
  return out;
}

function inLung(f: Film, x: number, y: number): boolean {
  const X = Math.round(x),
    Y = Math.round(y);
  if (X < 0 || Y < 0 || X >= f.W || Y >= f.H) return false;
  if (f.lung) return f.lung[Y * f.W + X] === 1;
  const u = X / f.W,
    v = Y / f.H;
  return v > 0.22 && v < 0.68 && ((u > 0.17 && u < 0.4) || (u > 0.6 && u < 0.83));
}

function placeCenter(f: Film, radius: number, r: () => number): Point | null {
  for (let t = 0; t < 400; t++) {
    const c: Point = [uniform(r, radius + 10, f.W - radius - 10), uniform(r, radius + 10, f.H - radius - 10)];
    let ok = inLung(f, c[0], c[1]);
    for (let k = 0; k < 16 && ok; k++) {
      const a = (2 * Math.PI * k) / 16;
      for (const s of [0.5, 1])
        if (!inLung(f, c[0] + s * radius * Math.cos(a), c[1] + s * radius * Math.sin(a))) ok = false;
    }
    if (ok) return c;
  }
  return null;
}

function analyse(f: Film, display: Float32Array, contour: Point[]) {
  const lungMask = f.lung ? (p: Point) => inLung(f, p[0], p[1]) : undefined;
  const d = refineRegionDetailed({
    display,
    width: f.W,
    height: f.H,
    contour,
    spacing: { mm: f.mm, source: 'PixelSpacing' },
    lungMask,
  });
  const st = Object.fromEntries(d.result.signs.map((s) => [s.signId, s.status]));
  const x = signFeatureVector({ ...d, ...d.result.features });
  return {
    x,
    weak: d.result.signs[0]!.method.includes('indeterminate'),
    shipped: { lead: leadMarginClass(d.result.signs), calcification: st.calcification, cavitation: st.cavitation },
    diameterMm: d.quality.diameterMm,
    ms: d.timingMs,
  };
}

function emit(row: Record<string, unknown>) {
  appendFileSync(OUT, JSON.stringify(row) + '\n');
}

async function synth(films: Film[]) {
  const r = rng(SEED * 7919 + 13);
  // classes interleaved, so that a run stopped early is still balanced
  for (let i = 0; i < N; i++)
    for (const cls of LESION_CLASSES) {
      const f = films[Math.floor(r() * films.length)]!;
      const pxPerMm = 1 / Math.sqrt(f.mm[0] * f.mm[1]);
      const opts = { dMinPx: 8 * pxPerMm, dMaxPx: 40 * pxPerMm, cMin: 0.035, cMax: 0.1, pxPerMm };
      const v = GEN === 'eval' ? null : variedLesion(cls, r, pxPerMm);
      const truth: SampleTruth = v ? v.truth : randomLesion(cls, [0, 0], r, opts);
      const c = placeCenter(f, Math.max(truth.spec.radius * 1.3, 0.8 * extentOf(truth.spec)), r);
      if (!c) continue;
      truth.spec.center = c;
      const display = f.display.slice();
      if (v) v.render(display, f.W, f.H, c);
      else renderLesion(display, f.W, f.H, truth.spec);
      const dil = v ? uniform(r, 1.0, 1.4) : uniform(r, 1.05, 1.3);
      const contour = coarseOutline(truth.spec, r, dil, v ? uniform(r, 0.04, 0.14) : 0.08);
      const a = analyse(f, display, contour);
      emit({
        set: 'synth',
        gen: v ? `varied-${v.family}` : 'eval',
        site: SITE,
        film: f.id,
        cls,
        margin: truth.marginClass,
        calcified: truth.calcified,
        cavitated: truth.cavitated,
        ...a,
      });
    }
}

const partOf = (patient: string) => {
  const h = parseInt(createHash('sha1').update(patient).digest('hex').slice(-8), 16) % 10;
  return h >= 7 ? 'test' : h >= 5 ? 'tune' : 'train';
};

function lidcMargin(m: { spiculation: number; lobulation: number; margin: number }) {
  if (m.spiculation >= 3) return 'spiculated';
  if (m.lobulation >= 3) return 'lobulated';
  if (m.margin <= 2) return 'ill_defined';
  return 'smooth';
}

/** Inserts one LIDC excess patch (1 mm/px) into a film at its own spacing; returns the coarse outline. */
function insertPatch(f: Film, patch: Float32Array, S: number, k: number, c: Point, display: Float32Array) {
  const sx = 1 / f.mm[0],
    sy = 1 / f.mm[1];
  const w = Math.ceil(S * sx),
    h = Math.ceil(S * sy);
  const x0 = Math.round(c[0] - w / 2),
    y0 = Math.round(c[1] - h / 2);
  let peak = 0;
  for (const v of patch) peak = Math.max(peak, v);
  let area = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const val = patchAt(patch, S, sx, sy, x, y);
      const X = x0 + x,
        Y = y0 + y;
      if (X >= 0 && Y >= 0 && X < f.W && Y < f.H) display[Y * f.W + X] = Math.min(1, display[Y * f.W + X]! + k * val);
      if (val >= 0.25 * peak) {
        area++;
        mx += x;
        my += y;
      }
    }
  return footprintOutline(x0, y0, area, mx, my);
}

async function lidc(films: Film[]) {
  const meta = JSON.parse(readFileSync(join(LIDC_DIR, 'meta.json'), 'utf8')) as {
    n: number;
    size: number;
    rows: Record<string, number | string>[];
  };
  const raw = readFileSync(join(LIDC_DIR, 'excess.f32'));
  const ex = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const S = meta.size;
  const r = rng(SEED * 104729 + 7);
  for (let n = 0; n < meta.n; n++) {
    const m = meta.rows[n]! as Record<string, number> & { patient: string };
    if (partOf(m.patient) !== PART) continue;
    const patch = ex.subarray(n * S * S, (n + 1) * S * S);
    for (let rep = 0; rep < REPEAT; rep++) {
      const f = films[Math.floor(r() * films.length)]!;
      const c = placeCenter(f, 0.3 * S * Math.max(1 / f.mm[0], 1 / f.mm[1]), r);
      if (!c) continue;
      const k = uniform(r, 0.003, 0.006);
      const display = f.display.slice();
      const contour = insertPatch(f, patch, S, k, c, display);
      if (!contour) continue;
      const a = analyse(f, display, contour);
      emit({
        set: 'lidc',
        part: PART,
        site: SITE,
        film: f.id,
        patient: m.patient,
        index: m.index,
        margin: lidcMargin(m),
        calcified: m.calcification !== 6,
        cavitated: false,
        ratings: {
          calcification: m.calcification,
          margin: m.margin,
          lobulation: m.lobulation,
          spiculation: m.spiculation,
        },
        k,
        ...a,
      });
    }
  }
}

async function main() {
  writeFileSync(OUT, '');
  const films = SITE === 'nih' ? await nihFilms(86) : await jsrtFilms(SITE === 'jsrt-odd' ? 1 : 0);
  if (SET === 'lidc') await lidc(films);
  else await synth(films);
  console.log(`${SET} ${GEN} ${SITE} → ${OUT}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
