/**
 * Synthetic lesion phantoms for the refinement tests and scripts/eval-refine.ts: lesions of known
 * class (smooth, lobulated, spiculated, ill-defined, calcified, cavitated) added to a display image
 * (0..1, bright = dense), with their ground truth. Seeded; no I/O.
 */
import type { Point } from '../../server/src/contract';
import { mulberry32 } from './rng';

export type LesionClass = 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined' | 'calcified' | 'cavitated';
export const LESION_CLASSES: LesionClass[] = [
  'smooth',
  'lobulated',
  'spiculated',
  'ill_defined',
  'calcified',
  'cavitated',
];
export type CalcPatternTruth = 'central' | 'laminated' | 'popcorn';

export interface LesionSpec {
  cls: LesionClass;
  center: Point;
  radius: number; // px (base radius)
  aspect: number; // ≥ 1, along `rotation`
  rotation: number; // rad
  contrast: number; // soft-tissue excess, display units
  blur: number; // edge blur σ, px
  lobes?: { k: number; a: number; phase: number };
  spicules?: { angle: number; length: number; width: number; contrast: number }[]; // length px beyond the edge
  calc?: { pattern: CalcPatternTruth; contrast: number; seed: number };
  cavity?: { radius: number; offset: Point; depth: number };
}

/** Seeded PRNG (shared with the fuzz runner). */
export const rng = mulberry32;
export const uniform = (r: () => number, a: number, b: number) => a + (b - a) * r();
export const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r());

/** Boundary radius of the lesion body in direction φ (image angle). */
export function boundaryRadius(s: LesionSpec, phi: number): number {
  let r = s.radius;
  if (s.lobes) r *= 1 + s.lobes.a * Math.cos(s.lobes.k * (phi - s.lobes.phase));
  if (s.aspect !== 1) {
    const t = phi - s.rotation;
    const a = s.radius * s.aspect,
      b = s.radius;
    r = ((r / s.radius) * (a * b)) / Math.hypot(b * Math.cos(t), a * Math.sin(t));
  }
  return r;
}

export function extentOf(s: LesionSpec): number {
  const lob = s.lobes ? 1 + s.lobes.a : 1;
  const sp = s.spicules?.reduce((m, x) => Math.max(m, x.length), 0) ?? 0;
  return s.radius * s.aspect * lob + sp + 4 * s.blur + 4;
}

function blur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k: number[] = [];
  let ks = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k.push(v);
    ks += v;
  }
  const tmp = new Float32Array(w * h),
    out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -r; t <= r; t++) s += src[y * w + Math.min(w - 1, Math.max(0, x + t))]! * k[t + r]!;
      tmp[y * w + x] = s / ks;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -r; t <= r; t++) s += tmp[Math.min(h - 1, Math.max(0, y + t)) * w + x]! * k[t + r]!;
      out[y * w + x] = s / ks;
    }
  return out;
}

/** Adds the lesion to `display` in place (density map × contrast, blurred, then added). */
export function renderLesion(display: Float32Array, W: number, H: number, s: LesionSpec): void {
  const ext = Math.ceil(extentOf(s));
  const x0 = Math.max(0, Math.floor(s.center[0] - ext)),
    y0 = Math.max(0, Math.floor(s.center[1] - ext));
  const x1 = Math.min(W, Math.ceil(s.center[0] + ext)),
    y1 = Math.min(H, Math.ceil(s.center[1] + ext));
  const w = x1 - x0,
    h = y1 - y0;
  if (w <= 0 || h <= 0) return;
  const dens = new Float32Array(w * h);
  const cr = s.calc ? rng(s.calc.seed) : null;
  const blobs: { c: Point; r: number }[] = [];
  if (s.calc?.pattern === 'popcorn' && cr) {
    const nB = 4 + Math.floor(cr() * 4);
    for (let i = 0; i < nB; i++) {
      const rr = Math.sqrt(cr()) * 0.6 * s.radius,
        a = 2 * Math.PI * cr();
      blobs.push({
        c: [s.center[0] + rr * Math.cos(a), s.center[1] + rr * Math.sin(a)],
        r: uniform(cr, 0.1, 0.16) * s.radius,
      });
    }
  }
  const SS = 3; // supersampling
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const px = x0 + x + (sx + 0.5) / SS,
            py = y0 + y + (sy + 0.5) / SS;
          const dx = px - s.center[0],
            dy = py - s.center[1];
          const rho = Math.hypot(dx, dy),
            phi = Math.atan2(dy, dx);
          const rb = boundaryRadius(s, phi);
          let d = 0;
          if (rho < rb) d = Math.min(1, 1.6 * Math.sqrt(1 - (rho / rb) ** 2));
          if (s.cavity && d > 0) {
            const cd = Math.hypot(px - s.center[0] - s.cavity.offset[0], py - s.center[1] - s.cavity.offset[1]);
            if (cd < s.cavity.radius)
              d *= 1 - s.cavity.depth * Math.min(1, 1.5 * Math.sqrt(1 - (cd / s.cavity.radius) ** 2));
          }
          if (s.calc && d > 0) {
            const rr = rho / s.radius;
            let c = 0;
            if (s.calc.pattern === 'central') c = rr < 0.32 ? 1 : 0;
            else if (s.calc.pattern === 'laminated') c = (Math.abs(rr - 0.55) < 0.08 ? 1 : 0) + (rr < 0.12 ? 1 : 0);
            else for (const b of blobs) if (Math.hypot(px - b.c[0], py - b.c[1]) < b.r) c = 1;
            d += c * s.calc.contrast;
          }
          if (s.spicules) {
            for (const sp of s.spicules) {
              const ux = Math.cos(sp.angle),
                uy = Math.sin(sp.angle);
              const rb0 = boundaryRadius(s, sp.angle) - 1.5;
              const t = dx * ux + dy * uy - rb0,
                n = -dx * uy + dy * ux;
              const L = sp.length + 1.5;
              if (t < 0 || t > L) continue;
              const sig = sp.width / 2.355;
              const taper = 1 - 0.5 * (t / L);
              const v = sp.contrast * taper * Math.exp(-(n * n) / (2 * sig * sig * taper * taper));
              if (v > d) d = v;
            }
          }
          acc += d;
        }
      dens[y * w + x] = acc / (SS * SS);
    }
  const b = blur(dens, w, h, Math.max(0.5, s.blur));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y0 + y) * W + x0 + x;
      display[i] = Math.min(1, display[i]! + s.contrast * b[y * w + x]!);
    }
}

/** A coarse detector-like outline: a circle around the lesion, dilated by `scale`, centre and radius jittered. */
export function coarseOutline(s: LesionSpec, r: () => number, scale: number, jitter = 0.08, n = 32): Point[] {
  const lob = s.lobes ? 1 + 0.6 * s.lobes.a : 1;
  const R = s.radius * Math.sqrt(s.aspect) * lob * scale;
  const c: Point = [s.center[0] + jitter * s.radius * gauss(r), s.center[1] + jitter * s.radius * gauss(r)];
  return Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n,
      rr = R * (1 + 0.04 * gauss(r));
    return [c[0] + rr * Math.cos(a), c[1] + rr * Math.sin(a)] as Point;
  });
}

/** Clock positions (api.md 12.3) of the valleys between lobes. */
export function notchClocksTruth(s: LesionSpec): number[] {
  if (!s.lobes) return [];
  const out: number[] = [];
  for (let j = 0; j < s.lobes.k; j++) {
    const phi = s.lobes.phase + ((2 * j + 1) * Math.PI) / s.lobes.k;
    out.push(clockOfAngle(phi));
  }
  return out;
}

export function clockOfAngle(phi: number): number {
  // image angle (atan2(dy, dx)) → clockwise from up
  let th = (phi * 180) / Math.PI + 90;
  th = ((th % 360) + 360) % 360;
  const c = Math.round(th / 30) % 12;
  return c === 0 ? 12 : c;
}

/** A plain synthetic chest-like background: smooth gradient, rib-like bands, noise. */
export function syntheticBackground(
  W: number,
  H: number,
  seed: number,
  opts: { ribs?: boolean; noise?: number } = {},
): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(W * H);
  const gx = uniform(r, -0.05, 0.05) / W,
    gy = uniform(r, -0.05, 0.05) / H;
  const ribPeriod = uniform(r, 70, 90),
    ribTilt = uniform(r, -0.25, 0.25),
    ribPhase = uniform(r, 0, 100);
  const noise = opts.noise ?? 0.004;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let v = 0.35 + gx * x + gy * y;
      if (opts.ribs) {
        const t = (((y + ribTilt * x + ribPhase) % ribPeriod) + ribPeriod) % ribPeriod;
        v += t < 0.35 * ribPeriod ? 0.03 * Math.sin((Math.PI * t) / (0.35 * ribPeriod)) : 0;
      }
      out[y * W + x] = v + noise * gauss(r);
    }
  return out;
}

export interface SampleTruth {
  spec: LesionSpec;
  marginClass: 'smooth' | 'lobulated' | 'spiculated' | 'ill_defined';
  calcified: boolean;
  calcPattern: CalcPatternTruth | 'none';
  cavitated: boolean;
  notchClocks: number[];
  spiculeCount: number;
  spiculeLengthsPx: number[];
}

/**
 * A random lesion of class `cls` with diameter in [dMinPx, dMaxPx] at `center`, contrast in
 * [cMin, cMax] (display units).
 */
export function randomLesion(
  cls: LesionClass,
  center: Point,
  r: () => number,
  o: { dMinPx: number; dMaxPx: number; cMin: number; cMax: number; pxPerMm: number },
): SampleTruth {
  const minD =
    cls === 'cavitated'
      ? Math.max(o.dMinPx, 15 * o.pxPerMm)
      : cls === 'calcified'
        ? Math.max(o.dMinPx, 10 * o.pxPerMm)
        : o.dMinPx;
  const D = uniform(r, minD, o.dMaxPx);
  const R = D / 2;
  const spec: LesionSpec = {
    cls,
    center,
    radius: R,
    aspect: 1,
    rotation: uniform(r, 0, Math.PI),
    contrast: uniform(r, o.cMin, o.cMax),
    blur: 0.7,
  };
  let spiculeLengthsPx: number[] = [];
  if (cls === 'smooth' || cls === 'calcified' || cls === 'cavitated') spec.aspect = uniform(r, 1, 1.25);
  if (cls === 'lobulated')
    spec.lobes = { k: 5 + Math.floor(r() * 4), a: uniform(r, 0.14, 0.22), phase: uniform(r, 0, 2 * Math.PI) };
  if (cls === 'ill_defined') {
    spec.blur = uniform(r, 0.25, 0.4) * R;
    spec.aspect = uniform(r, 1, 1.2);
  }
  if (cls === 'spiculated') {
    const n = 4 + Math.floor(r() * 6);
    const base = uniform(r, 0, 2 * Math.PI);
    const angles: number[] = [];
    for (let i = 0; i < n; i++)
      angles.push(base + (2 * Math.PI * i) / n + uniform(r, -0.25, 0.25) * ((2 * Math.PI) / n));
    spec.spicules = angles.map((angle) => ({
      angle,
      length: Math.min(uniform(r, 3, 15) * o.pxPerMm, Math.max(1.2 * R, 3 * o.pxPerMm)),
      width: uniform(r, 1.2, 2.5),
      contrast: uniform(r, 0.5, 0.9),
    }));
    spiculeLengthsPx = spec.spicules.map((s) => s.length);
  }
  if (cls === 'calcified') {
    const pats: CalcPatternTruth[] = ['central', 'laminated', 'popcorn'];
    spec.calc = { pattern: pats[Math.floor(r() * 3)]!, contrast: uniform(r, 1.0, 2.0), seed: Math.floor(r() * 1e9) };
  }
  if (cls === 'cavitated') {
    const rc = uniform(r, 0.45, 0.65) * R;
    const off = uniform(r, 0, 0.15) * R,
      a = uniform(r, 0, 2 * Math.PI);
    spec.cavity = { radius: rc, offset: [off * Math.cos(a), off * Math.sin(a)], depth: uniform(r, 0.85, 1.0) };
  }
  return {
    spec,
    marginClass:
      cls === 'lobulated'
        ? 'lobulated'
        : cls === 'spiculated'
          ? 'spiculated'
          : cls === 'ill_defined'
            ? 'ill_defined'
            : 'smooth',
    calcified: cls === 'calcified',
    calcPattern: spec.calc?.pattern ?? 'none',
    cavitated: cls === 'cavitated',
    notchClocks: notchClocksTruth(spec),
    spiculeCount: spiculeLengthsPx.length,
    spiculeLengthsPx,
  };
}
