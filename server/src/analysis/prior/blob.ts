/**
 * A paired size measure for change (issue 17): the same half-maximum blob measurement made at the
 * same anatomical place on both films, so that the ratio of the two sizes does not depend on how two
 * independent outlines happened to be traced. Background = median of a ring around the place; peak =
 * a high percentile near the centre; the blob = pixels above half-way between them, grown from the
 * centre inside a disk. Pure pixel arithmetic on the stored display frame.
 */
import type { Point } from '../../contract';
import type { AnalysisPixels } from '../../store/types';

export interface BlobMeasure {
  /** Equivalent diameter of the half-maximum region, image px. */
  diameterPx: number;
  /** Peak minus background, display units (0..1). */
  contrast: number;
}

function percentile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** Values of the display frame in the ring rIn..rOut (frame px) around c (frame px). */
function ring(px: AnalysisPixels, c: Point, rIn: number, rOut: number): number[] {
  const out: number[] = [];
  for (let y = Math.max(0, Math.floor(c[1] - rOut)); y <= Math.min(px.height - 1, Math.ceil(c[1] + rOut)); y++)
    for (let x = Math.max(0, Math.floor(c[0] - rOut)); x <= Math.min(px.width - 1, Math.ceil(c[0] + rOut)); x++) {
      const d = Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]);
      if (d >= rIn && d <= rOut) out.push(px.display[y * px.width + x]!);
    }
  return out;
}

/** Grows the region above `thr` from the brightest pixel within `seedR` of c, inside the disk of radius `maxR`. */
function growArea(px: AnalysisPixels, c: Point, thr: number, seedR: number, maxR: number): number {
  const w = px.width;
  let seed = -1,
    best = -Infinity;
  for (let y = Math.max(0, Math.floor(c[1] - seedR)); y <= Math.min(px.height - 1, Math.ceil(c[1] + seedR)); y++)
    for (let x = Math.max(0, Math.floor(c[0] - seedR)); x <= Math.min(w - 1, Math.ceil(c[0] + seedR)); x++) {
      const v = px.display[y * w + x]!;
      if (Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]) <= seedR && v > best) {
        best = v;
        seed = y * w + x;
      }
    }
  if (seed < 0 || best <= thr) return 0;
  const seen = new Set<number>([seed]);
  const stack = [seed];
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % w,
      y = (i - x) / w;
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ] as const) {
      const nx = x + dx,
        ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= px.height) continue;
      const j = ny * w + nx;
      if (seen.has(j) || px.display[j]! <= thr) continue;
      if (Math.hypot(nx + 0.5 - c[0], ny + 0.5 - c[1]) > maxR) continue;
      seen.add(j);
      stack.push(j);
    }
  }
  return seen.size;
}

/**
 * The half-maximum blob at `center` (image px) for a lesion of about `radiusPx` (image px): the
 * background ring spans 1.6–2.4 radii, the region may grow to 1.4 radii.
 */
export function measureBlob(px: AnalysisPixels, center: Point, radiusPx: number): BlobMeasure {
  const s = px.scale ?? 1;
  const c: Point = [center[0] / s, center[1] / s];
  const r = Math.max(2, radiusPx / s);
  const bg = percentile(ring(px, c, 1.6 * r, 2.4 * r), 0.5);
  const peak = percentile(ring(px, c, 0, 0.4 * r), 0.9);
  const contrast = peak - bg;
  if (!(contrast > 0)) return { diameterPx: 0, contrast: 0 };
  const area = growArea(px, c, bg + 0.5 * contrast, 0.4 * r, 1.4 * r);
  return { diameterPx: 2 * Math.sqrt(area / Math.PI) * s, contrast };
}
