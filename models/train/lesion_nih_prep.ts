/**
 * Prepares the NIH-normal training material for lesion_finetune.py with the shipped models through
 * the server's own code: per NIH *train*-split image (models/cxr-lesion/splits.json), the display
 * image at 512² (the model input, before z-score), the anatomy model's lung mask and thoracic region
 * at 512², and the current detector's candidate peaks inside the region (hard negatives: these are
 * normal films, so every candidate is false). Writes models/.work/lesion/nih_prep.bin + .json.
 *   node --import tsx models/train/lesion_nih_prep.ts [split=train]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildAnalysers } from '../../server/src/analysis/buildAnalysers';
import { loadConfig } from '../../server/src/config';
import { decodeImage } from '../../server/src/imaging/decode';
import { createLogger } from '../../server/src/logger';
import { resizeGrey } from '../../server/src/models/preprocess';

const DATA = path.resolve(__dirname, '../../../shared/data/nih-normals');
const WORK = path.resolve(__dirname, '../.work/lesion');
const S = 512;

async function main(): Promise<void> {
  const split = process.argv[2] ?? 'train';
  const ids: string[] = JSON.parse(readFileSync(path.resolve(__dirname, '../cxr-lesion/splits.json'), 'utf8')).nih[split];
  const rows = readFileSync(path.join(DATA, 'normals.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', LESION_THRESHOLD: '0.4' }, path.resolve(__dirname, '../..'));
  const rt = await buildAnalysers(config, createLogger('warn'));
  const { anatomy, lesion } = rt.analysers;
  mkdirSync(WORK, { recursive: true });
  const img = new Uint8Array(ids.length * S * S), reg = new Uint8Array(ids.length * S * S);
  const meta: { id: string; peaks: [number, number, number][] }[] = [];
  for (const [k, id] of ids.entries()) {
    const r = rows.find((x) => x[0] === id)!;
    const dec = await decodeImage(readFileSync(path.join(DATA, 'images', `${id}.jpg`)), 'image/jpeg', { pixelSpacingMm: [Number(r[6]), Number(r[5])], viewPosition: r[4]! }, config.limits);
    const frame = { width: dec.width, height: dec.height, display: dec.display, info: dec.info };
    // the model input before its z-score (the server's own area resize)
    const small = resizeGrey(dec.display, dec.width, dec.height, S, S);
    for (let i = 0; i < S * S; i++) img[k * S * S + i] = Math.round(255 * Math.min(1, Math.max(0, small[i]!)));
    const a = await anatomy!.run(frame, 'prep');
    const region = a.anatomy.available ? anatomy!.region!(a.state) : null;
    if (region) for (let yy = 0; yy < S; yy++) for (let xx = 0; xx < S; xx++) {
      const gx = Math.floor(((xx + 0.5) / S) * region.gridWidth), gy = Math.floor(((yy + 0.5) / S) * region.gridHeight);
      reg[k * S * S + yy * S + xx] = region.mask[gy * region.gridWidth + gx]!;
    }
    const f = await lesion!.run(frame, (p) => anatomy!.locate(a.state, p, dec.info), { region });
    meta.push({ id, peaks: f.findings.filter((q) => q.type !== 'opacity').map((q) => [q.center[0] * S / dec.width, q.center[1] * S / dec.height, q.score]) });
    if ((k + 1) % 20 === 0) console.log(`${k + 1}/${ids.length}`);
  }
  writeFileSync(path.join(WORK, `nih_${split}_img.bin`), img);
  writeFileSync(path.join(WORK, `nih_${split}_region.bin`), reg);
  writeFileSync(path.join(WORK, `nih_${split}.json`), JSON.stringify({ size: S, ids, meta }));
  console.log('peaks', meta.reduce((s, m) => s + m.peaks.length, 0), 'images', ids.length);
  await rt.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
