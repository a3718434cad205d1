import assert from 'node:assert/strict';
import type { Anatomy, Landmark, LandmarkId, Point, Structure } from '../../../server/src/contract';
import { registerAnatomy, resampleClosed } from '../../../server/src/analysis/prior/registration';
import {
  applyAffine,
  fitAffine,
  fitSimilarity,
  invertAffine,
  scaleAndRotation,
  type Affine,
} from '../../../server/src/analysis/prior/transform';
import { mulberry32 } from '../../support/rng';

const similarity = (deg: number, s: number, tx: number, ty: number): Affine => {
  const a = (deg * Math.PI) / 180;
  return { a: s * Math.cos(a), b: -s * Math.sin(a), c: tx, d: s * Math.sin(a), e: s * Math.cos(a), f: ty };
};

function lungOutline(cx: number, cy: number, rx: number, ry: number, n = 90): Point[] {
  // an egg-shaped lung field: narrower at the apex
  return Array.from({ length: n }, (_, i) => {
    const t = (2 * Math.PI * i) / n;
    const k = 1 - 0.25 * Math.sin(t) * -1;
    return [cx + rx * Math.cos(t) * (Math.sin(t) < 0 ? k : 1), cy + ry * Math.sin(t)] as Point;
  });
}

const LANDMARKS: [LandmarkId, Point][] = [
  ['hilum_right', [390, 420]],
  ['hilum_left', [640, 400]],
  ['carina', [512, 330]],
  ['apex_right', [300, 150]],
  ['apex_left', [720, 150]],
  ['costophrenic_angle_right', [170, 800]],
  ['costophrenic_angle_left', [860, 810]],
  ['hemidiaphragm_right', [320, 740]],
  ['hemidiaphragm_left', [700, 760]],
];

function anatomy(t: Affine, noise = 0, seed = 1): Anatomy {
  const r = mulberry32(seed);
  const jitter = (p: Point): Point => {
    const q = applyAffine(t, p);
    return [q[0] + noise * (r() - 0.5) * 2, q[1] + noise * (r() - 0.5) * 2];
  };
  const landmarks = LANDMARKS.map(
    ([id, p]) => ({ id, point: jitter(p), confidence: 0.9, polyline: null, region: null }) as unknown as Landmark,
  );
  const lung = (id: 'lung_right' | 'lung_left', cx: number): Structure =>
    ({ id, contours: [lungOutline(cx, 480, 170, 330).map((p) => applyAffine(t, p))] }) as unknown as Structure;
  return {
    available: true,
    structures: [lung('lung_right', 300), lung('lung_left', 720)],
    landmarks,
  } as unknown as Anatomy;
}

describe('prior registration: transforms', () => {
  test('fitSimilarity recovers a known rotation, scale and translation exactly', () => {
    const t = similarity(4, 1.05, 12, -7);
    const src: Point[] = [
      [10, 20],
      [300, 40],
      [200, 500],
      [700, 650],
    ];
    const fit = fitSimilarity(
      src,
      src.map((p) => applyAffine(t, p)),
    )!;
    const sr = scaleAndRotation(fit);
    assert.ok(Math.abs(sr.scale - 1.05) < 1e-9);
    assert.ok(Math.abs(sr.rotationDeg - 4) < 1e-9);
    assert.ok(Math.abs(fit.c - 12) < 1e-6 && Math.abs(fit.f + 7) < 1e-6);
  });

  test('fitAffine recovers a shear; invertAffine undoes it', () => {
    const t: Affine = { a: 1.1, b: 0.05, c: 3, d: -0.02, e: 0.95, f: 8 };
    const src: Point[] = [
      [0, 0],
      [100, 0],
      [0, 100],
      [60, 70],
    ];
    const fit = fitAffine(
      src,
      src.map((p) => applyAffine(t, p)),
    )!;
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) assert.ok(Math.abs(fit[k] - t[k]) < 1e-6, k);
    const back = applyAffine(invertAffine(fit)!, applyAffine(fit, [33, 44]));
    assert.ok(Math.hypot(back[0] - 33, back[1] - 44) < 1e-9);
  });

  test('degenerate inputs give null, not NaN', () => {
    assert.equal(fitSimilarity([[1, 1]], [[2, 2]]), null);
    assert.equal(
      fitAffine(
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
      ),
      null,
    );
  });

  test('resampleClosed spaces points evenly along the perimeter', () => {
    const sq: Point[] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ];
    const pts = resampleClosed(sq, 8);
    assert.equal(pts.length, 8);
    assert.deepEqual(pts[1], [5, 0]);
    assert.deepEqual(pts[4], [10, 10]);
  });
});

describe('prior registration: anatomy maps', () => {
  const prior = anatomy({ a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 });

  test('recovers a ±5° / ±5 % / translated pose with landmark noise, residual in mm', () => {
    for (const [deg, s, tx, ty] of [
      [5, 1.05, 20, -10],
      [-5, 0.95, -15, 12],
      [2, 1, 0, 30],
    ] as const) {
      const t = similarity(deg, s, tx, ty);
      const reg = registerAnatomy(prior, anatomy(t, 4, deg + 10), 0.35);
      assert.equal(reg.ok, true, JSON.stringify(reg));
      // target registration error at a mid-lung point
      const p: Point = [350, 500];
      const err = Math.hypot(...(applyAffine(reg.transform!, p).map((v, i) => v - applyAffine(t, p)[i]!) as Point));
      assert.ok(err * 0.35 < 2, `TRE ${err * 0.35} mm`);
      assert.ok(reg.residualMm! < 3 && reg.residualMm! > 0, `${reg.residualMm}`);
    }
  });

  test('refuses when the landmarks do not agree (poor fit) or are too few', () => {
    const bad = anatomy(similarity(0, 1, 0, 0), 150, 7);
    const reg = registerAnatomy(prior, bad, 0.35);
    assert.equal(reg.ok, false);
    assert.equal(reg.failure, 'poor_fit');
    const few = { ...prior, landmarks: prior.landmarks.slice(0, 3) } as Anatomy;
    assert.equal(registerAnatomy(few, prior, 0.35).failure, 'too_few_landmarks');
  });

  test('refuses an implausible pose unless the pixel spacing explains the scale', () => {
    const half = similarity(0, 0.5, 0, 0);
    assert.equal(registerAnatomy(prior, anatomy(half), 0.35).failure, 'implausible_pose');
    assert.equal(registerAnatomy(prior, anatomy(half), 0.35, 0.5).ok, true);
  });
});
