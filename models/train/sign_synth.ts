/**
 * Training generators for the learned sign models (issue 13), deliberately NOT the evaluation's
 * generator (tests/unit/refine/synth.ts randomLesion), so that a model is not fitted to one phantom:
 *   family A: the evaluation's renderer with much wider parameter ranges (contrast, size, aspect,
 *             lobe count/depth, spicule count/width/length, blur, calcium and cavity shapes);
 *   family B: another renderer — lobulation as a union of overlapping discs, ill-defined margins as
 *             a Gaussian or linear fall-off, curved tapering spicules, eccentric / diffuse calcium,
 *             irregular thick-walled cavities, optional extra film noise.
 */
import type { Point } from '../../server/src/contract';
import {
  gauss,
  notchClocksTruth,
  renderLesion,
  uniform,
  type LesionClass,
  type LesionSpec,
  type SampleTruth,
} from '../../scripts/lib/synth';

export interface VariedLesion {
  family: 'A' | 'B';
  truth: SampleTruth;
  render: (display: Float32Array, W: number, H: number, c: Point) => void;
}

const marginOf = (cls: LesionClass): SampleTruth['marginClass'] =>
  cls === 'lobulated' || cls === 'spiculated' || cls === 'ill_defined' ? cls : 'smooth';

function truthOf(cls: LesionClass, spec: LesionSpec): SampleTruth {
  return {
    spec,
    marginClass: marginOf(cls),
    calcified: cls === 'calcified',
    calcPattern: spec.calc?.pattern ?? 'none',
    cavitated: cls === 'cavitated',
    notchClocks: notchClocksTruth(spec),
    spiculeCount: spec.spicules?.length ?? 0,
    spiculeLengthsPx: spec.spicules?.map((s) => s.length) ?? [],
  };
}

function minDiameterMm(cls: LesionClass): number {
  if (cls === 'cavitated') return 12;
  if (cls === 'calcified') return 7;
  return 6;
}

function familyA(cls: LesionClass, r: () => number, pxPerMm: number): VariedLesion {
  const D = uniform(r, minDiameterMm(cls), 42) * pxPerMm;
  const R = D / 2;
  const spec: LesionSpec = {
    cls,
    center: [0, 0],
    radius: R,
    aspect: uniform(r, 1, 1.45),
    rotation: uniform(r, 0, Math.PI),
    contrast: uniform(r, 0.022, 0.13),
    blur: uniform(r, 0.5, 1.6),
  };
  if (cls === 'lobulated')
    spec.lobes = { k: 2 + Math.floor(r() * 8), a: uniform(r, 0.09, 0.3), phase: uniform(r, 0, 2 * Math.PI) };
  if (cls === 'ill_defined') spec.blur = uniform(r, 0.16, 0.55) * R;
  if (cls === 'spiculated') {
    const n = 2 + Math.floor(r() * 13);
    spec.spicules = Array.from({ length: n }, () => ({
      angle: uniform(r, 0, 2 * Math.PI),
      length: Math.min(uniform(r, 2, 22) * pxPerMm, Math.max(1.6 * R, 3 * pxPerMm)),
      width: uniform(r, 0.8, 3.5),
      contrast: uniform(r, 0.3, 1.0),
    }));
    if (r() < 0.3) spec.blur = uniform(r, 1.5, 3);
  }
  if (cls === 'calcified') {
    const pats = ['central', 'laminated', 'popcorn'] as const;
    spec.calc = { pattern: pats[Math.floor(r() * 3)]!, contrast: uniform(r, 0.5, 2.6), seed: Math.floor(r() * 1e9) };
  }
  if (cls === 'cavitated') {
    const off = uniform(r, 0, 0.3) * R,
      a = uniform(r, 0, 2 * Math.PI);
    spec.cavity = {
      radius: uniform(r, 0.3, 0.72) * R,
      offset: [off * Math.cos(a), off * Math.sin(a)],
      depth: uniform(r, 0.55, 1.0),
    };
  }
  return {
    family: 'A',
    truth: truthOf(cls, spec),
    render: (d, W, H, c) => renderLesion(d, W, H, { ...spec, center: c }),
  };
}

// ---- family B: a second renderer ------------------------------------------------------------

interface BodyB {
  discs: { c: Point; r: number }[]; // union of discs (lobulated) or one disc
  profile: 'dome' | 'flat' | 'gauss' | 'linear';
  softness: number; // fall-off width for gauss / linear, in units of R
  spicules: { pts: Point[]; width: number; contrast: number }[];
  calc: { c: Point; r: number; contrast: number }[];
  cavity: { c: Point; r: number; depth: number; wobble: number[] } | null;
  contrast: number;
  noise: number;
}

/** Density of a disc at normalised radius q = ρ/r for each profile. */
function discDensity(q: number, b: BodyB): number {
  if (b.profile === 'gauss') return Math.exp(-(q * q) / (2 * b.softness * b.softness * 4));
  if (b.profile === 'linear') return Math.max(0, Math.min(1, (1 + b.softness - q) / (2 * b.softness)));
  if (q >= 1) return 0;
  return b.profile === 'flat' ? Math.min(1, 3 * Math.sqrt(1 - q * q)) : Math.min(1, 1.6 * Math.sqrt(1 - q * q));
}

function spiculeDensity(p: Point, sp: BodyB['spicules'][number]): number {
  let best = 0;
  const L = sp.pts.length - 1;
  for (let i = 0; i < L; i++) {
    const a = sp.pts[i]!,
      b = sp.pts[i + 1]!;
    const vx = b[0] - a[0],
      vy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / (vx * vx + vy * vy || 1)));
    const dx = p[0] - a[0] - t * vx,
      dy = p[1] - a[1] - t * vy;
    const along = (i + t) / L;
    const w = (sp.width / 2.355) * (1 - 0.6 * along);
    best = Math.max(best, sp.contrast * (1 - 0.5 * along) * Math.exp(-(dx * dx + dy * dy) / (2 * w * w)));
  }
  return best;
}

function densityB(p: Point, b: BodyB): number {
  let d = 0;
  for (const disc of b.discs) d = Math.max(d, discDensity(Math.hypot(p[0] - disc.c[0], p[1] - disc.c[1]) / disc.r, b));
  if (b.cavity && d > 0) {
    const th = Math.atan2(p[1] - b.cavity.c[1], p[0] - b.cavity.c[0]);
    const rr = b.cavity.r * (1 + b.cavity.wobble.reduce((s, a, k) => s + a * Math.cos((k + 2) * th), 0));
    const q = Math.hypot(p[0] - b.cavity.c[0], p[1] - b.cavity.c[1]) / rr;
    if (q < 1) d *= 1 - b.cavity.depth * Math.min(1, 2 * Math.sqrt(1 - q * q));
  }
  for (const c of b.calc) if (Math.hypot(p[0] - c.c[0], p[1] - c.c[1]) < c.r) d += c.contrast;
  for (const sp of b.spicules) d = Math.max(d, spiculeDensity(p, sp));
  return d;
}

function renderB(display: Float32Array, W: number, H: number, b: BodyB, ext: number, r: () => number) {
  const cx = b.discs[0]!.c[0],
    cy = b.discs[0]!.c[1];
  const x0 = Math.max(0, Math.floor(cx - ext)),
    x1 = Math.min(W, Math.ceil(cx + ext));
  const y0 = Math.max(0, Math.floor(cy - ext)),
    y1 = Math.min(H, Math.ceil(cy + ext));
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      let acc = 0;
      for (const [sx, sy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const)
        acc += densityB([x + sx, y + sy], b);
      const i = y * W + x;
      display[i] = Math.min(1, Math.max(0, display[i]! + (b.contrast * acc) / 4 + b.noise * gauss(r)));
    }
}

function discsFor(cls: LesionClass, R: number, r: () => number): Point[] {
  if (cls !== 'lobulated') return [[0, 0]];
  const n = 2 + Math.floor(r() * 5);
  const a0 = uniform(r, 0, 2 * Math.PI);
  const lobes = Array.from({ length: n }, (_, i) => {
    const a = a0 + (2 * Math.PI * i) / n + uniform(r, -0.3, 0.3);
    const off = uniform(r, 0.35, 0.6) * R;
    return [off * Math.cos(a), off * Math.sin(a)] as Point;
  });
  return [[0, 0], ...lobes]; // a central disc keeps the union solid
}

function curvedSpicule(R: number, pxPerMm: number, r: () => number): BodyB['spicules'][number] {
  const a = uniform(r, 0, 2 * Math.PI);
  const len = uniform(r, 2.5, 20) * pxPerMm;
  const bend = uniform(r, -0.5, 0.5);
  const pts: Point[] = [];
  for (let t = 0; t <= 4; t++) {
    const s = 0.9 * R + (len * t) / 4;
    const ang = a + (bend * t) / 4 / Math.max(1, s / R);
    pts.push([s * Math.cos(ang), s * Math.sin(ang)]);
  }
  return { pts, width: uniform(r, 1, 3.2), contrast: uniform(r, 0.35, 0.95) };
}

function familyB(cls: LesionClass, r: () => number, pxPerMm: number): VariedLesion {
  const D = uniform(r, minDiameterMm(cls), 40) * pxPerMm;
  const R = cls === 'lobulated' ? 0.62 * (D / 2) : D / 2;
  const offs = discsFor(cls, D / 2, r);
  const radii = offs.map(() => (cls === 'lobulated' ? uniform(r, 0.8, 1.15) * R : R));
  const ill = cls === 'ill_defined';
  const b: BodyB = {
    discs: offs.map((o, i) => ({ c: o, r: radii[i]! })),
    profile: ill ? (r() < 0.5 ? 'gauss' : 'linear') : r() < 0.5 ? 'dome' : 'flat',
    softness: ill ? uniform(r, 0.2, 0.5) : 0,
    spicules: [],
    calc: [],
    cavity: null,
    contrast: uniform(r, 0.025, 0.12),
    noise: r() < 0.4 ? uniform(r, 0.002, 0.008) : 0,
  };
  if (cls === 'spiculated')
    b.spicules = Array.from({ length: 3 + Math.floor(r() * 10) }, () => curvedSpicule(R, pxPerMm, r));
  if (cls === 'calcified') {
    const n = r() < 0.4 ? 1 : 2 + Math.floor(r() * 6);
    const spread = n === 1 ? uniform(r, 0, 0.5) : 0.6;
    b.calc = Array.from({ length: n }, () => {
      const rr = Math.sqrt(r()) * spread * R,
        a = uniform(r, 0, 2 * Math.PI);
      return {
        c: [rr * Math.cos(a), rr * Math.sin(a)] as Point,
        r: (n === 1 ? uniform(r, 0.2, 0.6) : uniform(r, 0.08, 0.18)) * R,
        contrast: uniform(r, 0.5, 2.5),
      };
    });
  }
  if (cls === 'cavitated') {
    const off = uniform(r, 0, 0.3) * R,
      a = uniform(r, 0, 2 * Math.PI);
    b.cavity = {
      c: [off * Math.cos(a), off * Math.sin(a)],
      r: uniform(r, 0.3, 0.7) * R,
      depth: uniform(r, 0.55, 1),
      wobble: [uniform(r, -0.15, 0.15), uniform(r, -0.1, 0.1), uniform(r, -0.08, 0.08)],
    };
  }
  const maxSp = b.spicules.reduce((m, s) => Math.max(m, Math.hypot(...s.pts[s.pts.length - 1]!)), 0);
  const ext = Math.max(D / 2 + (ill ? b.softness * 2.5 * R : 0), maxSp) + 4;
  // the spec only describes the outline for the coarse detector-like circle and the placement
  const spec: LesionSpec = {
    cls,
    center: [0, 0],
    radius: D / 2,
    aspect: 1,
    rotation: 0,
    contrast: b.contrast,
    blur: ill ? b.softness * R : 0.7,
    spicules: b.spicules.map((s) => ({ angle: 0, length: maxSp - D / 2, width: s.width, contrast: s.contrast })),
  };
  if (!b.spicules.length) delete spec.spicules;
  const shift = (c: Point): BodyB => ({
    ...b,
    discs: b.discs.map((d) => ({ ...d, c: [d.c[0] + c[0], d.c[1] + c[1]] as Point })),
    spicules: b.spicules.map((s) => ({ ...s, pts: s.pts.map((p) => [p[0] + c[0], p[1] + c[1]] as Point) })),
    calc: b.calc.map((k) => ({ ...k, c: [k.c[0] + c[0], k.c[1] + c[1]] as Point })),
    cavity: b.cavity ? { ...b.cavity, c: [b.cavity.c[0] + c[0], b.cavity.c[1] + c[1]] as Point } : null,
  });
  return {
    family: 'B',
    truth: truthOf(cls, spec),
    render: (d, W, H, c) => renderB(d, W, H, shift(c), ext, r),
  };
}

/** A lesion of class `cls` from one of the two training families (chosen at random). */
export function variedLesion(cls: LesionClass, r: () => number, pxPerMm: number): VariedLesion {
  return r() < 0.5 ? familyA(cls, r, pxPerMm) : familyB(cls, r, pxPerMm);
}
