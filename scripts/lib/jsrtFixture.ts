/** Ground-truth SCR masks of jsrt-train as anatomy "probabilities" (area-averaged to the model grid). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageInfo } from '../../server/src/contract';
import { ANATOMY_CLASSES, type AnatomyProbabilities } from '../../server/src/inference/types';
import { resizeGrey } from '../../server/src/inference/preprocess';

export const JSRT_DIR = process.env.CXR_JSRT_DIR ?? path.resolve(__dirname, '../../../shared/data/jsrt-train');
export const hasJsrt = (): boolean => existsSync(path.join(JSRT_DIR, 'nodules.csv'));
export const SKIP_JSRT = hasJsrt() ? false : 'skipped: ../shared/data/jsrt-train not present (CI has it)';

const MASK_OF: Record<string, string> = {
  lung_right: 'right_lung',
  lung_left: 'left_lung',
  heart: 'heart',
  clavicle_right: 'right_clavicle',
  clavicle_left: 'left_clavicle',
};

export async function readGrey(file: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** SCR masks of a case as a 7-channel field at `size`² (cardiomediastinum and trachea empty). */
export async function jsrtProbabilities(id: string, size = 256): Promise<AnatomyProbabilities> {
  const n = size * size;
  const data = new Float32Array(ANATOMY_CLASSES.length * n);
  for (let c = 0; c < ANATOMY_CLASSES.length; c++) {
    const m = MASK_OF[ANATOMY_CLASSES[c]!];
    if (!m) continue;
    const g = await readGrey(path.join(JSRT_DIR, 'masks', m, `${id}.png`));
    const f = new Float32Array(g.data.length);
    for (let i = 0; i < f.length; i++) f[i] = g.data[i]! > 127 ? 1 : 0;
    data.set(resizeGrey(f, g.width, g.height, size, size), c * n);
  }
  return { width: size, height: size, labels: [...ANATOMY_CLASSES], data };
}

export function jsrtIds(): string[] {
  const dir = path.join(JSRT_DIR, 'images');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export interface JsrtNodule {
  id: string;
  x: number;
  y: number;
  lobe: string;
  side: 'R' | 'L';
}
export function jsrtNodules(): JsrtNodule[] {
  const [head, ...lines] = readFileSync(path.join(JSRT_DIR, 'nodules.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => {
    const v = l.split(',');
    const g = (k: string) => v[cols.indexOf(k)]!;
    return { id: g('id'), x: Number(g('x')), y: Number(g('y')), lobe: g('lobe'), side: g('side') as 'R' | 'L' };
  });
}

/** A PA ImageInfo for tests. */
export function imageInfo(over: Partial<ImageInfo> = {}): ImageInfo {
  return {
    sourceFormat: 'png',
    rows: 1024,
    columns: 1024,
    bitsAllocated: 8,
    bitsStored: 8,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    numberOfFrames: 1,
    frame: 0,
    transferSyntaxUID: null,
    sopClassUID: null,
    modality: null,
    viewPosition: 'PA',
    patientOrientation: null,
    orientationAssumed: true,
    pixelSpacingMm: [0.35, 0.35],
    spacingSource: 'PixelSpacing',
    spacingDetail: {
      pixelSpacing: null,
      imagerPixelSpacing: null,
      ermf: null,
      calibrationType: null,
      origin: 'request',
    },
    rescale: { slope: 1, intercept: 0, type: null, modalityLutSequence: false },
    voi: { windowCenter: null, windowWidth: null, function: null, lutSequence: false, used: 'auto' },
    lossyCompressed: false,
    studyInstanceUID: null,
    seriesInstanceUID: null,
    sopInstanceUID: null,
    pixelDataSha256: '0'.repeat(64),
    ...over,
  };
}
