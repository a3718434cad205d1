/**
 * Per-site lesion evaluation through the server's real analysis path (decode → anatomy → thoracic
 * region + domain → lesion → extractFindings): JSRT (training set, split flag), NIH normals (split by
 * patient, models/cxr-lesion/splits.json), covid-seg, and the real DICOMs of ../shared/data/samples.
 * Writes one JSON line per image with the candidates at a low threshold, ungated and gated, plus the
 * domain features; `models/train/lesion_sites_report.py` turns it into FROC / FP per image with CIs.
 *
 *   node --import tsx scripts/lesion-sites.ts OUT.jsonl [sets=jsrt,nih,covid,samples]
 *   MODELS_DIR=… to evaluate another model folder.
 */
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAnalysers } from '../server/src/analysis/buildAnalysers';
import { domainOf } from '../server/src/analysis/domain';
import { isLateralView } from '../server/src/analysis/anatomy';
import { inThoracicRegion } from '../server/src/analysis/lesions/region';
import { loadConfig } from '../server/src/config';
import { decodeImage } from '../server/src/imaging/decode';
import { createLogger } from '../server/src/logger';
import type { Finding } from '../server/src/contract';

const DATA = path.resolve(__dirname, '../../shared/data');
const LOW = Number(process.env.SITES_LOW ?? 0.3);

function csv(file: string): Record<string, string>[] {
  const [h, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const keys = h!.split(',');
  return rows.map((r) => {
    const v = r.split(',');
    return Object.fromEntries(keys.map((k, i) => [k, v[i] ?? '']));
  });
}

interface Item {
  set: string;
  id: string;
  split: string;
  file: string;
  media: 'image/png' | 'image/jpeg' | 'application/dicom';
  spacing: [number, number] | null;
  truth: { x: number; y: number; r: number; subtlety: number; lobe: string; dmm: number }[];
}

function items(sets: string[]): Item[] {
  const out: Item[] = [];
  const splits = JSON.parse(readFileSync(path.resolve(__dirname, '../models/cxr-lesion/splits.json'), 'utf8'));
  if (sets.includes('jsrt')) {
    const jd = path.join(DATA, 'jsrt-train');
    const nod = new Map(csv(path.join(jd, 'nodules.csv')).map((r) => [r.id!, r]));
    const val = new Set<string>(splits.jsrt_val);
    for (const f of readdirSync(path.join(jd, 'images')).sort()) {
      const id = f.replace('.png', '');
      const n = nod.get(id);
      out.push({
        set: 'jsrt',
        id,
        split: val.has(id) ? 'val' : 'train',
        file: path.join(jd, 'images', f),
        media: 'image/png',
        spacing: [0.35, 0.35],
        truth: n
          ? [
              {
                x: Number(n.x),
                y: Number(n.y),
                r: Number(n.diameter_px) / 2,
                subtlety: Number(n.subtlety),
                lobe: n.lobe!,
                dmm: Number(n.diameter_mm),
              },
            ]
          : [],
      });
    }
  }
  if (sets.includes('nih')) {
    const nd = path.join(DATA, 'nih-normals');
    const part = new Map<string, string>();
    for (const s of ['train', 'val', 'test']) for (const id of splits.nih[s]) part.set(id, s);
    for (const r of csv(path.join(nd, 'normals.csv'))) {
      out.push({
        set: `nih_${r.view}`,
        id: r.id!,
        split: part.get(r.id!) ?? '?',
        file: path.join(nd, 'images', `${r.id}.jpg`),
        media: 'image/jpeg',
        spacing: [Number(r.spacing_y_mm_at_1024), Number(r.spacing_x_mm_at_1024)],
        truth: [],
      });
    }
  }
  if (sets.includes('covid')) {
    const cd = path.join(DATA, 'covid-seg');
    for (const r of csv(path.join(cd, 'images.csv')))
      out.push({
        set: 'covid',
        id: r.id!,
        split: 'all',
        file: path.join(cd, 'images', `${r.id}.jpg`),
        media: 'image/jpeg',
        spacing: null,
        truth: [],
      });
  }
  if (sets.includes('samples')) {
    const sd = path.join(DATA, 'samples');
    for (const f of readdirSync(sd)
      .filter((f) => f.endsWith('.dcm'))
      .sort())
      out.push({
        set: 'samples',
        id: f,
        split: 'all',
        file: path.join(sd, f),
        media: 'application/dicom',
        spacing: null,
        truth: [],
      });
  }
  return out;
}

const slim = (f: Finding, region: Parameters<typeof inThoracicRegion>[0] | null) => ({
  type: f.type,
  score: f.score,
  cx: f.center[0],
  cy: f.center[1],
  dmm: f.diameterMm,
  dpx: f.diameterPx,
  lobe: f.location.lobe ?? null,
  inRegion: region ? inThoracicRegion(region, f.center) : null,
});

async function main(): Promise<void> {
  const outFile = process.argv[2] ?? 'sites.jsonl';
  const sets = (process.argv[3] ?? 'jsrt,nih,covid,samples').split(',');
  if (!existsSync(DATA)) {
    console.log('lesion-sites: ../shared/data is absent');
    return;
  }
  const config = loadConfig(
    { ...process.env, LOG_LEVEL: 'warn', LESION_THRESHOLD: String(LOW) },
    path.resolve(__dirname, '..'),
  );
  const rt = await buildAnalysers(config, createLogger('warn'));
  const { anatomy, lesion } = rt.analysers;
  if (!anatomy || !lesion) throw new Error('models missing');
  const out = createWriteStream(outFile);
  // SITES_SKIP_TRAIN=1: leave out the training splits (JSRT train, NIH train) to save time
  const list = items(sets).filter((it) => !process.env.SITES_SKIP_TRAIN || it.split !== 'train');
  let k = 0;
  for (const it of list) {
    k++;
    let dec;
    try {
      dec = await decodeImage(
        readFileSync(it.file),
        it.media,
        { pixelSpacingMm: it.spacing, viewPosition: it.media === 'application/dicom' ? null : 'PA' },
        config.limits,
      );
    } catch (e) {
      out.write(JSON.stringify({ ...it, error: (e as Error).message }) + '\n');
      continue;
    }
    const frame = { width: dec.width, height: dec.height, display: dec.display, info: dec.info };
    const t0 = performance.now();
    const a = await anatomy.run(frame, 'an_eval');
    const state = a.anatomy.available ? a.state : null;
    const region = state ? anatomy.region!(state) : null;
    const d = domainOf(
      state ? anatomy.domainFields!(state) : null,
      region,
      dec.info,
      dec.display,
      dec.width,
      dec.height,
      a.anatomy.available,
      isLateralView(dec.info.viewPosition),
    );
    const loc = (p: [number, number]) => anatomy.locate(state, p, dec.info);
    // opacity candidates from 0.5 (the report script sweeps the threshold above it)
    const ungated = await lesion.run(frame, loc, { opacityThreshold: 0.5 });
    const gated = await lesion.run(frame, loc, {
      region,
      suppressAll: d.notChest,
      minScore: d.domain.inDomain ? undefined : lesion.highConfidence,
      opacityThreshold: 0.5,
    });
    const ms = performance.now() - t0;
    const truth = it.truth.map((t) => ({ ...t, inRegion: region ? inThoracicRegion(region, [t.x, t.y]) : false }));
    out.write(
      JSON.stringify({
        set: it.set,
        id: it.id,
        split: it.split,
        width: dec.width,
        height: dec.height,
        spacing: dec.info.pixelSpacingMm,
        truth,
        ungated: ungated.findings.map((f) => slim(f, region)),
        gated: gated.findings.map((f) => slim(f, region)),
        domain: d.domain,
        notChest: d.notChest,
        features: d.features,
        regionFraction: region ? region.regionPixels / (region.gridWidth * region.gridHeight) : 0,
        ms: Math.round(ms),
      }) + '\n',
    );
    if (k % 25 === 0) console.log(`${k}/${list.length}`);
  }
  out.end();
  await rt.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
