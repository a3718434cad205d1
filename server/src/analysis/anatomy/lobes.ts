/** Lobe projection P(lobe | side, s, t) (api.md 5.4), fitted by models/train/fit_lobe_projection.py. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lobe } from '../../contract';

export interface LobeSideParams {
  classes: Lobe[];
  coef: number[][];
}
export interface LobeParams {
  method: string;
  fittedOn: string;
  features: string[];
  sides: { right: LobeSideParams; left: LobeSideParams };
  validation?: Record<string, unknown>;
}

export const DEFAULT_LOBE_PARAMS_PATH = path.resolve(__dirname, '../../../../models/lobe-projection/params.json');
let cached: LobeParams | null = null;

/** The fitted parameters (models/lobe-projection/params.json), read once. */
export function loadLobeParams(file = DEFAULT_LOBE_PARAMS_PATH): LobeParams {
  if (file === DEFAULT_LOBE_PARAMS_PATH && cached) return cached;
  const p = JSON.parse(readFileSync(file, 'utf8')) as LobeParams;
  if (file === DEFAULT_LOBE_PARAMS_PATH) cached = p;
  return p;
}

const feature = (name: string, s: number, t: number): number => {
  switch (name) {
    case '1':
      return 1;
    case 's':
      return s;
    case 't':
      return t;
    case 's2':
      return s * s;
    case 't2':
      return t * t;
    case 'st':
      return s * t;
    default:
      throw new Error(`unknown lobe feature ${name}`);
  }
};

/** Width (in s) of the logistic split that separates the lingula from the rest of the LUL. */
export const LINGULA_SPLIT_WIDTH = 0.03;
export const LINGULA_METHOD =
  'lingula = the part of the fitted LUL probability below the left hilar level ' +
  '(logistic split in s, width 0.03; no training label)';

/**
 * Ipsilateral lobe probabilities at lung fractions (s, t), summing to 1. On the left, the fitted
 * LUL probability is split into LUL and lingula at `lingulaS` (the left hilar level) when given.
 */
export function lobeProbabilities(
  params: LobeParams,
  side: 'right' | 'left',
  s: number,
  t: number,
  lingulaS: number | null,
): Partial<Record<Lobe, number>> {
  const sp = params.sides[side];
  const z = sp.coef.map((w) => w.reduce((acc, c, i) => acc + c * feature(params.features[i]!, s, t), 0));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  const out: Partial<Record<Lobe, number>> = {};
  sp.classes.forEach((c, i) => {
    out[c] = e[i]! / sum;
  });
  if (side === 'left' && lingulaS !== null && out.LUL !== undefined) {
    const w = 1 / (1 + Math.exp(-(s - lingulaS) / LINGULA_SPLIT_WIDTH));
    out.lingula = out.LUL * w;
    out.LUL = out.LUL * (1 - w);
  }
  return out;
}

/** The most probable lobe and the runner-up. */
export function rankLobes(p: Partial<Record<Lobe, number>>): [Lobe, number][] {
  return (Object.entries(p) as [Lobe, number][]).sort((a, b) => b[1] - a[1]);
}
