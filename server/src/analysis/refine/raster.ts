/**
 * Raster helpers for the focused re-analysis: a crop of the display image (0..1, bright = dense),
 * separable Gaussian smoothing, bilinear sampling, robust statistics and connected components.
 * Work coordinates: sample (i, j) is the centre of work pixel i, j; full-image point
 * p = [x0 + (i + 0.5)·f, y0 + (j + 0.5)·f] (f = integer downsampling factor, 1 at full resolution).
 */
import type { Point } from '../../contract';

export interface Crop {
  data: Float32Array;
  w: number;
  h: number;
  x0: number; // full-image px of the crop's left edge
  y0: number;
  f: number; // full-image px per work px
}

/**
 * Crop [x0, x0 + w·f) × [y0, y0 + h·f) with f×f block averaging (f = 1: a plain copy).
 * `scale` > 1: `display` (width × height) is the image block-averaged scale × scale (a stored frame
 * of bounded size, pipeline.ts); x0, y0 and f (image px) must then be multiples of scale, and the
 * crop is exactly what the full-resolution image would give.
 */
export function cropImage(
  display: Float32Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  f: number,
  scale = 1,
): Crop {
  if (scale > 1) {
    const c = cropImage(display, width, height, x0 / scale, y0 / scale, x1 / scale, y1 / scale, f / scale);
    return { ...c, x0, y0, f };
  }
  const w = Math.max(1, Math.floor((x1 - x0) / f)),
    h = Math.max(1, Math.floor((y1 - y0) / f));
  const data = new Float32Array(w * h);
  const inv = 1 / (f * f);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let s = 0;
      for (let b = 0; b < f; b++) {
        const y = Math.min(height - 1, y0 + j * f + b);
        const row = y * width;
        for (let a = 0; a < f; a++) s += display[row + Math.min(width - 1, x0 + i * f + a)]!;
      }
      data[j * w + i] = s * inv;
    }
  }
  return { data, w, h, x0, y0, f };
}

export const toWork = (c: Crop, p: Point): Point => [(p[0] - c.x0) / c.f - 0.5, (p[1] - c.y0) / c.f - 0.5];
export const toFull = (c: Crop, q: Point): Point => [c.x0 + (q[0] + 0.5) * c.f, c.y0 + (q[1] + 0.5) * c.f];

/** Separable Gaussian blur (σ in samples), edges clamped. */
export function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0.05) return src.slice();
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * r + 1);
  let ks = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    ks += k[i + r]!;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= ks;
  const tmp = new Float32Array(w * h),
    out = new Float32Array(w * h);
  const line = new Float32Array(Math.max(w, h) + 2 * r);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = -r; x < w + r; x++) line[x + r] = src[row + (x < 0 ? 0 : x >= w ? w - 1 : x)]!;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = 0; t <= 2 * r; t++) s += line[x + t]! * k[t]!;
      tmp[row + x] = s;
    }
  }
  // vertical pass row by row (cache-friendly); each output sums its taps in the same order (t = 0..2r)
  // in double precision, so the result is bit-identical to the column-by-column form
  const acc = new Float64Array(w);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let t = 0; t <= 2 * r; t++) {
      const yy = y - r + t;
      const srow = (yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w;
      const kt = k[t]!;
      for (let x = 0; x < w; x++) acc[x] += tmp[srow + x]! * kt;
    }
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = acc[x]!;
  }
  return out;
}

/** Bilinear sample at work coordinates (integer = pixel centre), clamped to the crop. */
export function sample(img: Float32Array, w: number, h: number, x: number, y: number): number {
  const fx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const fy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.floor(fx),
    y0 = Math.floor(fy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0,
    y1 = y0 + 1 < h ? y0 + 1 : y0;
  const ax = fx - x0,
    ay = fy - y0;
  const a = img[y0 * w + x0]!,
    b = img[y0 * w + x1]!,
    c = img[y1 * w + x0]!,
    d = img[y1 * w + x1]!;
  return (a + (b - a) * ax) * (1 - ay) + (c + (d - c) * ax) * ay;
}

/** Bilinear sample of the display frame at image coordinates (pixel centres at +0.5; frame px = scale image px). */
export function sampleFull(display: Float32Array, width: number, height: number, p: Point, scale = 1): number {
  return sample(display, width, height, p[0] / scale - 0.5, p[1] / scale - 0.5);
}

export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const a = Float64Array.from(values as ArrayLike<number>).sort();
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const lo = Math.floor(pos),
    hi = Math.min(n - 1, lo + 1);
  return a[lo]! + (a[hi]! - a[lo]!) * (pos - lo);
}

export const median = (v: ArrayLike<number>): number => quantile(v, 0.5);

/** Noise σ of an image from the median absolute horizontal/vertical second difference (robust, ≈ white noise σ). */
export function noiseSigma(
  img: Float32Array,
  w: number,
  h: number,
  step = Math.max(2, Math.floor(Math.sqrt((w * h) / 3000))),
): number {
  const d: number[] = [];
  for (let y = 1; y < h - 1; y += step) {
    for (let x = 1; x < w - 1; x += step) {
      const c = img[y * w + x]!;
      d.push(Math.abs(2 * c - img[y * w + x - 1]! - img[y * w + x + 1]!));
      d.push(Math.abs(2 * c - img[(y - 1) * w + x]! - img[(y + 1) * w + x]!));
    }
  }
  // second difference of white noise has σ·√6; MAD → σ: /0.6745
  return median(d) / 0.6745 / Math.sqrt(6);
}

/**
 * Mode of a sample set from a smoothed histogram (bin `bin`), robust to minority tails (dense
 * calcium, lucent air) in either direction.
 */
export function histogramMode(values: ArrayLike<number>, bin: number): number {
  const n = values.length;
  if (n === 0) return 0;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const nb = Math.max(1, Math.min(512, Math.ceil((hi - lo) / bin) + 1));
  const hist = new Float64Array(nb);
  for (let i = 0; i < n; i++) hist[Math.min(nb - 1, Math.floor((values[i]! - lo) / bin))]! += 1;
  let best = 0,
    bi = 0;
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let t = -2; t <= 2; t++) {
      const bb = b + t;
      if (bb >= 0 && bb < nb) s += hist[bb]! * (3 - Math.abs(t));
    }
    if (s > best) {
      best = s;
      bi = b;
    }
  }
  // refine: mean of the samples within ±2 bins of the peak
  let s = 0,
    c = 0;
  const a = lo + (bi - 2) * bin,
    b = lo + (bi + 3) * bin;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v >= a && v < b) {
      s += v;
      c++;
    }
  }
  return c ? s / c : lo + (bi + 0.5) * bin;
}

export interface Component {
  pixels: number[];
  area: number;
  cx: number;
  cy: number;
  touchesBorder: boolean;
  borderCount: number;
}

/** 4-connected components of a binary mask; `border` marks pixels whose component counts as touching. */
export function components(mask: Uint8Array, w: number, h: number, border?: Uint8Array): Component[] {
  const label = new Int32Array(w * h).fill(-1);
  const out: Component[] = [];
  const stack: number[] = [];
  for (let s = 0; s < w * h; s++) {
    if (!mask[s] || label[s]! >= 0) continue;
    const id = out.length;
    const comp: Component = { pixels: [], area: 0, cx: 0, cy: 0, touchesBorder: false, borderCount: 0 };
    label[s] = id;
    stack.push(s);
    while (stack.length) {
      const p = stack.pop()!;
      comp.pixels.push(p);
      const x = p % w,
        y = (p - x) / w;
      comp.cx += x;
      comp.cy += y;
      if (border && border[p]) {
        comp.touchesBorder = true;
        comp.borderCount++;
      }
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) comp.touchesBorder = true;
      const nb = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of nb)
        if (q >= 0 && mask[q] && label[q]! < 0) {
          label[q] = id;
          stack.push(q);
        }
    }
    comp.area = comp.pixels.length;
    comp.cx /= comp.area;
    comp.cy /= comp.area;
    out.push(comp);
  }
  return out;
}

/** Rasterise a polygon (work coordinates) into a mask: pixel centre inside (even-odd, scanline). */
export function rasterisePolygon(poly: readonly Point[], w: number, h: number): Uint8Array {
  const mask = new Uint8Array(w * h);
  // rows outside the polygon's vertical extent have no crossings
  let minY = Infinity,
    maxY = -Infinity;
  for (const p of poly) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  const ya = Math.max(0, Math.floor(minY)),
    yb = Math.min(h - 1, Math.ceil(maxY));
  const xs: number[] = [];
  for (let y = ya; y <= yb; y++) {
    xs.length = 0;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!,
        [xj, yj] = poly[j]!;
      if (yi > y !== yj > y) xs.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const a = Math.max(0, Math.ceil(xs[k]!)),
        b = Math.min(w - 1, Math.floor(xs[k + 1]!));
      for (let x = a; x <= b; x++) mask[y * w + x] = 1;
    }
  }
  return mask;
}

/** Euclidean-ish (chamfer 3-4) distance to the nearest mask-off pixel, in px, for pixels inside the mask. */
export function insideDistance(mask: Uint8Array, w: number, h: number): Float32Array {
  const INF = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) d[i] = mask[i] ? INF : 0;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= w || y >= h ? 0 : d[y * w + x]!);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!d[i]) continue;
      d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (!d[i]) continue;
      d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
    }
  for (let i = 0; i < w * h; i++) d[i]! /= 3;
  return d;
}
