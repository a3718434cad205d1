/**
 * Real nodule morphology for the sign analysers (issue 13): the 902 LIDC nodules with readers'
 * ratings, re-projected with an attenuation model (ct-projections.npz: mm of water-equivalent excess
 * per ray, calcium at its real density; exported by scripts/lidc-export.py), inserted into the real
 * normal JSRT radiographs (0.35 mm/px, inside the lung masks) and re-analysed by the focused
 * re-analysis. Writes one row per nodule: the measured features, the sign calls and the ratings.
 *
 *   /usr/bin/python3 scripts/lidc-export.py /tmp/lidc
 *   node --import tsx scripts/lidc-signs.ts --dir /tmp/lidc --out /tmp/lidc/features.json [--limit 200]
 *   /usr/bin/python3 scripts/lidc-fit.py /tmp/lidc/features.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Point } from '../server/src/contract';
import { rng, uniform } from './lib/synth';
import {
  footprintOutline,
  jsrtNormalIds,
  loadJsrtFilm,
  optionReader,
  patchAt,
  refineFeatureTable,
  refineOnFilm,
} from './lib/films';

const args = process.argv.slice(2);
const opt = optionReader(args);
const DIR = opt('dir', '/tmp/lidc');
const OUT = opt('out', join(DIR, 'features.json'));
const LIMIT = Number(opt('limit', '100000'));
const SHARED = resolve(process.env.CXR_SHARED ?? join(__dirname, '..', '..', 'shared'));
const JSRT = join(SHARED, 'data', 'jsrt-train');
const MM = 0.35;

interface Film {
  id: string;
  display: Float32Array;
  W: number;
  H: number;
  lung: Uint8Array;
}

async function jsrtNormals(): Promise<Film[]> {
  const bgs: Film[] = [];
  for (const id of jsrtNormalIds(JSRT)) bgs.push(await loadJsrtFilm(JSRT, id));
  return bgs;
}

/** A centre whose patch footprint (12 points at 0.3 × side) lies inside the lung, or null. */
function placeInLung(bg: Film, side: number, r: () => number): Point | null {
  const half = side / 2;
  for (let t = 0; t < 400; t++) {
    const p: Point = [uniform(r, half + 10, bg.W - half - 10), uniform(r, half + 10, bg.H - half - 10)];
    let ok = bg.lung[Math.round(p[1]) * bg.W + Math.round(p[0])] === 1;
    for (let k = 0; k < 12 && ok; k++) {
      const a = (2 * Math.PI * k) / 12;
      const x = Math.round(p[0] + 0.3 * side * Math.cos(a)),
        y = Math.round(p[1] + 0.3 * side * Math.sin(a));
      if (!bg.lung[y * bg.W + x]) ok = false;
    }
    if (ok) return p;
  }
  return null;
}

/**
 * Adds k × the patch to a copy of the film at c; returns the film and a detector-like coarse outline
 * (a 32-point circle of the footprint's equivalent radius at 25 % of the peak, × 1.15), or null.
 */
function insert(bg: Film, patch: Float32Array, S: number, peak: number, c: Point, k: number) {
  const scale = 1 / MM; // 1 mm/px patch → 0.35 mm/px film
  const side = Math.ceil(S * scale);
  const display = bg.display.slice();
  const x0 = Math.round(c[0] - side / 2),
    y0 = Math.round(c[1] - side / 2);
  let area = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const val = patchAt(patch, S, scale, scale, x, y);
      const X = x0 + x,
        Y = y0 + y;
      if (X >= 0 && Y >= 0 && X < bg.W && Y < bg.H)
        display[Y * bg.W + X] = Math.min(1, display[Y * bg.W + X]! + k * val);
      if (val < 0.25 * peak) continue;
      area++;
      sx += x;
      sy += y;
    }
  const contour = footprintOutline(x0, y0, area, sx, sy);
  return contour ? { display, contour } : null;
}

function measure(bg: Film, display: Float32Array, contour: Point[]) {
  const d = refineOnFilm(bg, display, contour, MM);
  return {
    diameterMm: d.quality.diameterMm,
    features: refineFeatureTable(d, MM),
    signs: Object.fromEntries(d.result.signs.map((s) => [s.signId, { status: s.status, confidence: s.confidence }])),
  };
}

async function main() {
  const meta = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as {
    n: number;
    size: number;
    rows: Record<string, unknown>[];
  };
  const raw = readFileSync(join(DIR, 'excess.f32'));
  const ex = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const S = meta.size;
  const bgs = await jsrtNormals();
  const r = rng(20261207);
  const rows = [];
  const t0 = Date.now();
  for (let n = 0; n < Math.min(meta.n, LIMIT); n++) {
    const patch = ex.subarray(n * S * S, (n + 1) * S * S);
    let peak = 0;
    for (const v of patch) peak = Math.max(peak, v);
    if (peak <= 0) continue;
    const bg = bgs[Math.floor(r() * bgs.length)]!;
    const c = placeInLung(bg, Math.ceil(S / MM), r);
    if (!c) continue;
    const k = uniform(r, 0.003, 0.006); // display units per mm of water-equivalent excess
    const ins = insert(bg, patch, S, peak, c, k);
    if (!ins) continue;
    rows.push({ ...meta.rows[n], bg: bg.id, k, peakMm: peak, ...measure(bg, ins.display, ins.contour) });
    if (rows.length % 50 === 0) console.error(`${rows.length} nodules, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  writeFileSync(
    OUT,
    JSON.stringify({ source: 'ct-projections.npz (attenuation model) into JSRT normals', mmPerPx: MM, rows }),
  );
  console.log(`${rows.length} nodules → ${OUT}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
