/** Shared helpers for the imaging unit tests. */
import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS, type Limits } from '../../../server/src/config';
import { decodeImage, type DecodedImage, type DecodeOptions } from '../../../server/src/imaging/decode';
import { makeFixtures } from '../../support/dicomFixtures';

export const LIMITS: Limits = { ...DEFAULT_LIMITS };

export async function fixture(name: string): Promise<Buffer> {
  const f = await makeFixtures();
  const p = f.paths[name];
  if (!p) throw new Error(`no fixture ${name}`);
  return readFileSync(p);
}

export async function decodeFixture(
  name: string,
  opts: DecodeOptions = {},
  limits: Limits = LIMITS,
): Promise<DecodedImage> {
  const buf = await fixture(name);
  const type = name.startsWith('png') ? 'image/png' : 'application/dicom';
  return decodeImage(buf, type, opts, limits);
}

export function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error('length differs');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

export function mean(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

export const codes = (d: DecodedImage): string[] => d.warnings.map((w) => w.code);
