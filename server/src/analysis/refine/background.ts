/**
 * Rib-aware background under a lesion: rib bands run straight across a lesion, and a harmonic
 * in-painting (segment.ts) lets them fade towards the middle, which leaves band residue that reads
 * as calcium or cuts cavities. When the surroundings have one dominant edge direction (structure
 * tensor, coherence), the region is filled by linear interpolation along that direction instead,
 * which carries a straight band through the region unchanged.
 */
import type { Point } from '../../contract';
import { sample } from './raster';

/** Dominant edge direction (radians; the direction along the edges) and its coherence 0..1 in an annulus. */
export function edgeOrientation(
  img: Float32Array,
  w: number,
  h: number,
  c: Point,
  r0: number,
  r1: number,
): { theta: number; coherence: number } {
  let j11 = 0,
    j22 = 0,
    j12 = 0;
  const st = Math.max(1, Math.round(r1 / 40));
  const x0 = Math.max(1, Math.floor(c[0] - r1)),
    x1 = Math.min(w - 2, Math.ceil(c[0] + r1));
  const y0 = Math.max(1, Math.floor(c[1] - r1)),
    y1 = Math.min(h - 2, Math.ceil(c[1] + r1));
  for (let y = y0; y <= y1; y += st)
    for (let x = x0; x <= x1; x += st) {
      const d = Math.hypot(x - c[0], y - c[1]);
      if (d < r0 || d > r1) continue;
      const gx = img[y * w + x + 1]! - img[y * w + x - 1]!,
        gy = img[(y + 1) * w + x]! - img[(y - 1) * w + x]!;
      j11 += gx * gx;
      j22 += gy * gy;
      j12 += gx * gy;
    }
  const tr = j11 + j22;
  if (tr <= 0) return { theta: 0, coherence: 0 };
  const phi = 0.5 * Math.atan2(2 * j12, j11 - j22); // gradient direction
  return { theta: phi + Math.PI / 2, coherence: Math.sqrt((j11 - j22) ** 2 + 4 * j12 * j12) / tr };
}

/** Fills `mask` by linear interpolation along direction theta between the first unmasked samples either side. */
export function directionalInpaint(
  img: Float32Array,
  w: number,
  h: number,
  mask: Uint8Array,
  theta: number,
): Float32Array {
  const bg = img.slice();
  const dx = Math.cos(theta),
    dy = Math.sin(theta);
  const inside = (x: number, y: number) => {
    const xi = Math.round(x),
      yi = Math.round(y);
    return xi >= 0 && yi >= 0 && xi < w && yi < h && mask[yi * w + xi] === 1;
  };
  const inImg = (x: number, y: number) => x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      let ta = 1,
        tb = 1;
      while (inside(x + dx * ta, y + dy * ta)) ta++;
      while (inside(x - dx * tb, y - dy * tb)) tb++;
      const okA = inImg(x + dx * ta, y + dy * ta),
        okB = inImg(x - dx * tb, y - dy * tb);
      // average two samples just outside on each side, to damp noise
      const va = okA
        ? 0.5 *
          (sample(img, w, h, x + dx * ta, y + dy * ta) + sample(img, w, h, x + dx * (ta + 1.5), y + dy * (ta + 1.5)))
        : NaN;
      const vb = okB
        ? 0.5 *
          (sample(img, w, h, x - dx * tb, y - dy * tb) + sample(img, w, h, x - dx * (tb + 1.5), y - dy * (tb + 1.5)))
        : NaN;
      bg[y * w + x] = okA && okB ? (va * tb + vb * ta) / (ta + tb) : okA ? va : okB ? vb : img[y * w + x]!;
    }
  return bg;
}

/** Blend of the harmonic and the directional fill, weighted by the coherence of the surroundings. */
export function blendBackground(
  harmonic: Float32Array,
  img: Float32Array,
  w: number,
  h: number,
  mask: Uint8Array,
  o: { theta: number; coherence: number },
  lo: number,
  hi: number,
): Float32Array {
  const k = Math.min(1, Math.max(0, (o.coherence - lo) / Math.max(hi - lo, 1e-6)));
  if (k <= 0) return harmonic;
  const dir = directionalInpaint(img, w, h, mask, o.theta);
  const out = harmonic.slice();
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = (1 - k) * harmonic[i]! + k * dir[i]!;
  return out;
}
