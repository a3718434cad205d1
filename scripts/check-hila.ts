/**
 * Issue-3 check (api.md 5.2): on the ground-truth SCR masks of all jsrt-train cases, the left hilar
 * point should lie level with or above the right (y_left ≤ y_right) in ≥ 90 % of cases.
 * Usage: node --import tsx scripts/check-hila.ts [--model]
 *   default: ground-truth SCR masks as probabilities; --model: the installed models/cxr-anatomy
 *   run on the images (note: the model may have been trained on these cases).
 */
import path from 'node:path';
import sharp from 'sharp';
import { buildAnatomy } from '../server/src/analysis/anatomy';
import { createLogger } from '../server/src/logger';
import { loadModels, type AnatomyProbabilities } from '../server/src/inference';
import { JSRT_DIR, hasJsrt, imageInfo, jsrtIds, jsrtProbabilities } from './lib/jsrtFixture';

async function main(): Promise<void> {
  if (!hasJsrt()) {
    console.log('check-hila: ../shared/data/jsrt-train not present, nothing to check');
    return;
  }
  const ids = jsrtIds();
  const useModel = process.argv.includes('--model');
  const reg = useModel
    ? await loadModels(
        { modelsDir: path.resolve(__dirname, '../models'), executionProvider: 'cpu', lesionThreshold: null },
        createLogger('error'),
      )
    : null;
  if (reg && !reg.hasAnatomy()) throw new Error('no anatomy model installed');
  const probsOf = async (id: string): Promise<AnatomyProbabilities> => {
    if (!reg) return jsrtProbabilities(id);
    const { data, info } = await sharp(path.join(JSRT_DIR, 'images', `${id}.png`))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const disp = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) disp[i] = data[i]! / 255;
    return reg.runAnatomy(disp, info.width, info.height);
  };
  console.log(`source: ${reg ? 'models/cxr-anatomy (' + reg.ref('anatomy')!.version + ')' : 'ground-truth SCR masks'}`);
  let ok = 0,
    n = 0;
  const diffsMm: number[] = [];
  const bad: string[] = [];
  let situs = 0,
    knobs = 0;
  for (const id of ids) {
    const probs = await probsOf(id);
    const { anatomy, warnings } = buildAnatomy(probs, imageInfo(), { analysisId: 'an_check', modelRef: null });
    if (warnings.includes('situs_or_flip_suspected')) situs++;
    if (anatomy.landmarks.some((l) => l.id === 'aortic_knob')) knobs++;
    const r = anatomy.landmarks.find((l) => l.id === 'hilum_right');
    const l = anatomy.landmarks.find((l) => l.id === 'hilum_left');
    if (!r || !l) {
      bad.push(`${id} (missing)`);
      continue;
    }
    n++;
    diffsMm.push((r.point[1] - l.point[1]) * 0.35);
    if (l.point[1] <= r.point[1]) ok++;
    else bad.push(id);
  }
  diffsMm.sort((a, b) => a - b);
  const pct = (100 * ok) / ids.length;
  console.log(`hilum_left.y <= hilum_right.y in ${ok}/${ids.length} cases = ${pct.toFixed(1)}% (threshold 90%)`);
  const at = (q: number) => diffsMm[Math.floor(q * n)]!.toFixed(1);
  const median = diffsMm[diffsMm.length >> 1]!.toFixed(1);
  console.log(`right minus left hilar height, mm: median ${median}, 10th pct ${at(0.1)}, 90th pct ${at(0.9)}`);
  if (bad.length) console.log(`left below right: ${bad.join(' ')}`);
  console.log(
    `aortic knob found in ${knobs}/${ids.length}; ` +
      `situs_or_flip_suspected raised in ${situs}/${ids.length} (expected 0)`,
  );
  process.exitCode = pct >= 90 ? 0 : 1;
}

void main();
