import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Point, SignAssessment, SpacingSource } from '../../../server/src/contract';
import {
  leadMarginClass,
  refineRegion,
  refineRegionDetailed,
  relationBridge,
  SIGN_IDS,
} from '../../../server/src/analysis/refine';
import { coarseOutline, renderLesion, rng, syntheticBackground, notchClocksTruth, type LesionSpec } from './synth';

const W = 320,
  H = 320,
  C: Point = [160, 160];
const MM = 0.35;
const calibrated = { mm: [MM, MM] as [number, number], source: 'PixelSpacing' as SpacingSource };

function scene(spec: Partial<LesionSpec> & Pick<LesionSpec, 'cls'>, opts: { noise?: number; seed?: number } = {}) {
  const s: LesionSpec = { center: C, radius: 28, aspect: 1, rotation: 0, contrast: 0.08, blur: 0.7, ...spec };
  const display = syntheticBackground(W, H, opts.seed ?? 11, { noise: opts.noise ?? 0.003 });
  renderLesion(display, W, H, s);
  const contour = coarseOutline(s, rng(opts.seed ?? 3), 1.2, 0.05);
  return { display, contour, spec: s };
}

const status = (signs: SignAssessment[], id: string) => signs.find((x) => x.signId === id)!.status;

// api.md 9.3: fixed evidence names and their units
const UNITS: Record<string, string | null> = {
  boundarySharpness: 'fraction',
  edgeWidthMm: 'mm',
  contourRoughness: 'ratio',
  notchCount: 'count',
  notchClocks: null,
  lobulationIndex: 'ratio',
  maxNotchDepthMm: 'mm',
  spiculeCount: 'count',
  spiculeLengthMaxMm: 'mm',
  spiculeLengthMeanMm: 'mm',
  spiculeClocks: null,
  densityCv: 'ratio',
  calcifiedFraction: 'fraction',
  calcificationPattern: null,
  lucentFraction: 'fraction',
  lucencyCount: 'count',
  lucencyMaxDiameterMm: 'mm',
  wallThicknessMaxMm: 'mm',
  tubularLucencyCount: 'count',
  pleuralDistanceMm: 'mm',
  pleuralContact: null,
  tailPresent: null,
  tailLengthMm: 'mm',
};

test('every refinement assesses all 11 fixed signs with the fixed evidence names, units and methods', () => {
  const { display, contour } = scene({ cls: 'smooth' });
  const pleura: Point[][] = [
    [
      [20, 20],
      [300, 20],
      [300, 300],
      [20, 300],
    ],
  ];
  for (const spacing of [calibrated, { mm: null, source: 'none' as SpacingSource }]) {
    const r = refineRegion({ display, width: W, height: H, contour, spacing, pleuraPolygons: pleura });
    assert.deepEqual(
      r.signs.map((s) => s.signId),
      [...SIGN_IDS],
    );
    for (const s of r.signs) {
      assert.ok(['present', 'absent', 'indeterminate'].includes(s.status));
      assert.ok(s.confidence >= 0 && s.confidence <= 1);
      assert.match(s.method, /^(margin|lobulation|spiculation|density|pleura)@3( \(indeterminate: .+\))?$/);
      for (const e of s.evidence) {
        assert.ok(e.name in UNITS, `unexpected evidence ${e.name}`);
        assert.equal(e.unit, UNITS[e.name], e.name);
        if (e.unit === 'mm') {
          assert.equal(e.estimate, true);
          assert.equal(e.spacingSource, spacing.source);
        }
        if (spacing.source === 'none') assert.ok(!e.name.endsWith('Mm'), `${e.name} must be absent without spacing`);
      }
    }
    assert.deepEqual(
      r.measurements.map((m) => m.name),
      ['diameter', 'longAxis', 'shortAxis', 'area'],
    );
    if (spacing.source === 'none') {
      assert.deepEqual(
        r.measurements.map((m) => m.unit),
        ['px', 'px', 'px', 'px2'],
      );
      assert.equal(status(r.signs, 'vacuole_sign'), 'indeterminate');
      assert.equal(status(r.signs, 'pleural_indentation'), 'indeterminate');
    }
    assert.ok(r.contour.length >= 3 && r.contour.length <= 512);
    // crop context ≥ 2 × diameter
    const dPx = r.measurements[0]!.valuePx!;
    assert.ok(
      r.cropBox[2] - r.cropBox[0] >= 2 * dPx && r.cropBox[3] - r.cropBox[1] >= 2 * dPx,
      `crop ${r.cropBox} for d ${dPx}`,
    );
    assert.ok(r.quality.contrast > 0.05 && r.quality.edgeSnr > 5);
  }
});

test('refined size of a round lesion from a dilated, shifted outline', () => {
  const cases = [{ radius: 14 }, { radius: 28 }, { radius: 50 }];
  for (const c of cases) {
    const { display, contour } = scene({ cls: 'smooth', radius: c.radius });
    const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
    const d = r.measurements.find((m) => m.name === 'diameter')!;
    const trueMm = 2 * c.radius * MM;
    assert.ok(Math.abs(d.valueMm! - trueMm) <= 0.12 * trueMm + 0.7, `R=${c.radius}: ${d.valueMm} vs ${trueMm}`);
    assert.ok(Math.hypot(r.center[0] - C[0], r.center[1] - C[1]) < 0.15 * c.radius + 1);
  }
});

test('margin classes on synthetic phantoms (lead = highest-confidence present margin sign)', () => {
  const table: { name: string; spec: Partial<LesionSpec> & Pick<LesionSpec, 'cls'>; lead: string }[] = [
    { name: 'smooth', spec: { cls: 'smooth' }, lead: 'smooth' },
    {
      name: 'lobulated k=6',
      spec: { cls: 'lobulated', radius: 30, lobes: { k: 6, a: 0.2, phase: 0.3 } },
      lead: 'lobulated',
    },
    {
      name: 'spiculated',
      lead: 'spiculated',
      spec: {
        cls: 'spiculated',
        spicules: [0.3, 1.4, 2.5, 3.6, 4.6, 5.6].map((angle) => ({ angle, length: 25, width: 2, contrast: 0.8 })),
      },
    },
    { name: 'ill-defined', spec: { cls: 'ill_defined', blur: 10 }, lead: 'ill_defined' },
  ];
  for (const row of table) {
    const { display, contour } = scene(row.spec);
    const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
    assert.equal(
      leadMarginClass(r.signs),
      row.lead,
      `${row.name}: ${r.signs
        .filter((s) => s.signId.startsWith('margin'))
        .map((s) => `${s.signId}:${s.status}:${s.confidence}`)
        .join(' ')}`,
    );
  }
});

test('notches of a lobulated outline sit at the valleys (clock positions, api.md 12.3)', () => {
  const lobes = { k: 6, a: 0.2, phase: 0.3 };
  const { display, contour, spec } = scene({ cls: 'lobulated', radius: 30, lobes });
  const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
  const truth = notchClocksTruth(spec);
  assert.ok(r.features.notches.length >= 4, `notches ${r.features.notches.length}`);
  for (const n of r.features.notches) {
    const near = Math.min(...truth.map((t) => Math.min(Math.abs(t - n.clock), 12 - Math.abs(t - n.clock))));
    assert.ok(near <= 1, `notch at ${n.clock} not near ${truth}`);
    assert.equal(n.depth.name, 'notchDepth');
    assert.ok(n.depth.valueMm! > 0);
  }
  const lob = r.signs.find((s) => s.signId === 'margin_lobulated')!;
  assert.equal(lob.evidence.find((e) => e.name === 'notchCount')!.value, r.features.notches.length);
});

test('spicules: count, clock and length', () => {
  const angles = [0.3, 1.4, 2.5, 3.6, 4.6, 5.6];
  const { display, contour } = scene({
    cls: 'spiculated',
    spicules: angles.map((angle) => ({ angle, length: 25, width: 2, contrast: 0.8 })),
  });
  const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
  assert.ok(Math.abs(r.features.spicules.length - angles.length) <= 1, `spicules ${r.features.spicules.length}`);
  for (const s of r.features.spicules) {
    assert.equal(s.length.name, 'spiculeLength');
    assert.ok(s.length.valueMm! > 3 && s.length.valueMm! <= 25 * MM + 1.5, `length ${s.length.valueMm}`);
  }
  assert.equal(status(r.signs, 'margin_spiculated'), 'present');
});

test('density: calcification patterns and cavitation', () => {
  const table: {
    name: string;
    spec: Partial<LesionSpec> & Pick<LesionSpec, 'cls'>;
    calc: string;
    cav: string;
    pattern?: string;
  }[] = [
    {
      name: 'central calcification',
      spec: { cls: 'calcified', radius: 32, calc: { pattern: 'central', contrast: 1.6, seed: 1 } },
      calc: 'present',
      cav: 'absent',
      pattern: 'central',
    },
    {
      name: 'laminated calcification',
      spec: { cls: 'calcified', radius: 36, calc: { pattern: 'laminated', contrast: 1.6, seed: 1 } },
      calc: 'present',
      cav: 'absent',
      pattern: 'laminated',
    },
    {
      name: 'cavity',
      spec: { cls: 'cavitated', radius: 34, cavity: { radius: 19, offset: [2, -1], depth: 0.95 } },
      calc: 'not-present',
      cav: 'present',
    },
    { name: 'solid', spec: { cls: 'smooth', radius: 34 }, calc: 'not-present', cav: 'absent' },
  ];
  for (const row of table) {
    const { display, contour } = scene(row.spec);
    const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
    const calc = r.signs.find((s) => s.signId === 'calcification')!;
    if (row.calc === 'present') assert.equal(calc.status, 'present', row.name);
    else assert.notEqual(calc.status, 'present', row.name);
    assert.equal(status(r.signs, 'cavitation'), row.cav, row.name);
    if (row.pattern)
      assert.equal(calc.evidence.find((e) => e.name === 'calcificationPattern')!.value, row.pattern, row.name);
    if (row.cav === 'present') {
      const cav = r.signs.find((s) => s.signId === 'cavitation')!;
      assert.ok((cav.evidence.find((e) => e.name === 'wallThicknessMaxMm')!.value as number) > 1);
      assert.equal(status(r.signs, 'homogeneous_density'), 'absent');
    }
  }
});

test('weak evidence gives indeterminate with the reason in the method', () => {
  const table = [
    { name: 'low contrast', spec: { cls: 'smooth' as const, contrast: 0.004 }, noise: 0.006, reason: /low contrast/ },
    { name: 'tiny region', spec: { cls: 'smooth' as const, radius: 2 }, noise: 0.003, reason: /crop too small/ },
  ];
  for (const row of table) {
    const { display, contour } = scene(row.spec, { noise: row.noise });
    const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
    for (const id of ['margin_smooth', 'margin_lobulated', 'margin_spiculated', 'margin_ill_defined', 'cavitation']) {
      const s = r.signs.find((x) => x.signId === id)!;
      assert.equal(s.status, 'indeterminate', `${row.name} ${id}`);
      assert.match(s.method, row.reason);
    }
  }
  // overlap: the rim outside the visible lung
  const { display, contour } = scene({ cls: 'smooth' });
  const r = refineRegion({
    display,
    width: W,
    height: H,
    contour,
    spacing: calibrated,
    lungMask: (p) => p[0] < C[0] - 10,
  });
  assert.match(r.signs[0]!.method, /overlap/);
});

test('pleural indentation: a tail reaching the pleura', () => {
  // pleura = a vertical surface 22 px right of the lesion edge
  const R = 24,
    edgeX = C[0] + R,
    pleuraX = edgeX + 22;
  const pleura: Point[][] = [
    [
      [10, 10],
      [pleuraX, 10],
      [pleuraX, 310],
      [10, 310],
    ],
  ];
  const withTail = scene({
    cls: 'spiculated',
    radius: R,
    spicules: [{ angle: 0, length: 24, width: 2, contrast: 0.8 }],
  });
  const noTail = scene({ cls: 'smooth', radius: R });
  const cases = [
    { name: 'tail', s: withTail, expect: 'present' },
    { name: 'no tail', s: noTail, expect: 'absent' },
  ];
  for (const c of cases) {
    const r = refineRegionDetailed({
      display: c.s.display,
      width: W,
      height: H,
      contour: c.s.contour,
      spacing: calibrated,
      pleuraPolygons: pleura,
    });
    const pl = r.result.signs.find((s) => s.signId === 'pleural_indentation')!;
    assert.equal(pl.status, c.expect, `${c.name}: ${JSON.stringify(pl)}`);
    const d = pl.evidence.find((e) => e.name === 'pleuralDistanceMm')!.value as number;
    assert.ok(Math.abs(d - 22 * MM) < 2, `distance ${d}`);
  }
  const r = refineRegion({
    display: noTail.display,
    width: W,
    height: H,
    contour: noTail.contour,
    spacing: calibrated,
  });
  assert.equal(status(r.signs, 'pleural_indentation'), 'indeterminate');
});

test('relationBridge: soft-tissue corridor vs aerated lung; null at contact', () => {
  const mk = (band: boolean) => {
    const display = syntheticBackground(W, H, 5, { noise: 0.003 });
    const blob: LesionSpec = {
      cls: 'smooth',
      center: [100, 160],
      radius: 20,
      aspect: 1,
      rotation: 0,
      contrast: 0.08,
      blur: 0.7,
    };
    renderLesion(display, W, H, blob);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (x >= 250) display[y * W + x]! += 0.1; // the target (e.g. hilum) region
        if (band && x > 110 && x < 255 && Math.abs(y - 160) < 4) display[y * W + x]! += 0.05;
      }
    return display;
  };
  const from: Point[] = Array.from(
    { length: 32 },
    (_, i) => [100 + 20 * Math.cos((i * Math.PI) / 16), 160 + 20 * Math.sin((i * Math.PI) / 16)] as Point,
  );
  const to: Point[] = [
    [250, 0],
    [320, 0],
    [320, 320],
    [250, 320],
  ];
  const gapLine: [Point, Point] = [
    [120, 160],
    [250, 160],
  ];
  const yes = relationBridge({ display: mk(true), width: W, height: H, from, to, gapLine, spacing: calibrated });
  const no = relationBridge({ display: mk(false), width: W, height: H, from, to, gapLine, spacing: calibrated });
  assert.equal(yes.connected, true);
  assert.equal(no.connected, false);
  for (const r of [yes, no]) {
    assert.deepEqual(
      r.evidence.map((e) => e.name),
      ['bridgePresent', 'corridorOpacityRatio', 'corridorWidthMm'],
    );
    assert.ok(r.confidence >= 0.5 && r.confidence <= 1);
  }
  assert.ok((yes.evidence[1]!.value as number) > (no.evidence[1]!.value as number));
  const touch = relationBridge({
    display: mk(false),
    width: W,
    height: H,
    from,
    to,
    gapLine: [
      [120, 160],
      [120, 160],
    ],
    spacing: calibrated,
  });
  assert.equal(touch.connected, null);
});

const SHARED = resolve(process.env.CXR_SHARED ?? join(__dirname, '..', '..', '..', '..', 'shared'));
const JSRT_IMG = join(SHARED, 'data', 'jsrt-train', 'images', 'JPCNN001.png');
((existsSync(JSRT_IMG) ? false : `shared data absent (${JSRT_IMG}); synthetic-only tests above still run`)
  ? test.skip
  : test)('real radiograph: a nodule inserted into a normal JSRT image', async () => {
  const sharp = (await import('sharp')).default;
  const { data, info } = await sharp(JSRT_IMG).greyscale().raw().toBuffer({ resolveWithObject: true });
  const display = new Float32Array(info.width * info.height);
  for (let i = 0; i < display.length; i++) display[i] = data[i]! / 255;
  const spec: LesionSpec = {
    cls: 'smooth',
    center: [300, 420],
    radius: 30,
    aspect: 1,
    rotation: 0,
    contrast: 0.09,
    blur: 0.7,
  };
  renderLesion(display, info.width, info.height, spec);
  const contour = coarseOutline(spec, rng(7), 1.2, 0.05);
  const t0 = performance.now();
  const r = refineRegion({ display, width: info.width, height: info.height, contour, spacing: calibrated });
  const ms = performance.now() - t0;
  const d = r.measurements.find((m) => m.name === 'diameter')!.valueMm!;
  assert.ok(Math.abs(d - 2 * 30 * MM) < 0.2 * 2 * 30 * MM, `diameter ${d}`);
  assert.equal(r.signs.length, 11);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test(
  'three-way calls that cannot lie: radiograph-insensitive signs are never ' +
    '"absent"; notch depth is relative to size; notches and lobulation agree',
  () => {
    const table: { name: string; spec: Partial<LesionSpec> & Pick<LesionSpec, 'cls'>; notch?: 'present' | 'absent' }[] =
      [
        { name: 'smooth small', spec: { cls: 'smooth', radius: 14 }, notch: 'absent' },
        { name: 'smooth large', spec: { cls: 'smooth', radius: 40 }, notch: 'absent' },
        {
          name: 'faint ripple on a large nodule',
          spec: { cls: 'lobulated', radius: 40, lobes: { k: 9, a: 0.015, phase: 0 } },
          notch: 'absent',
        },
        {
          name: 'deeply lobulated',
          spec: { cls: 'lobulated', radius: 30, lobes: { k: 5, a: 0.25, phase: 0.3 } },
          notch: 'present',
        },
        {
          name: 'spiculated',
          spec: {
            cls: 'spiculated',
            spicules: [0.3, 1.4, 2.5, 3.6, 4.6].map((angle) => ({ angle, length: 22, width: 2, contrast: 0.8 })),
          },
        },
        { name: 'ill-defined', spec: { cls: 'ill_defined', blur: 10 } },
        {
          name: 'cavity',
          spec: { cls: 'cavitated', radius: 34, cavity: { radius: 19, offset: [2, -1], depth: 0.95 } },
        },
        {
          name: 'calcified',
          spec: { cls: 'calcified', radius: 32, calc: { pattern: 'central', contrast: 1.6, seed: 1 } },
        },
      ];
    for (const row of table) {
      const { display, contour } = scene(row.spec);
      const r = refineRegion({ display, width: W, height: H, contour, spacing: calibrated });
      for (const id of ['vacuole_sign', 'air_bronchogram', 'calcification'])
        assert.notEqual(status(r.signs, id), 'absent', `${row.name}: ${id} must be present or indeterminate`);
      const notch = r.signs.find((s) => s.signId === 'notch_sign')!;
      const d = r.measurements.find((m) => m.name === 'diameter')!.valueMm!;
      const deepest = Number(notch.evidence.find((e) => e.name === 'maxNotchDepthMm')?.value ?? 0);
      if (notch.status === 'present')
        assert.ok(
          deepest >= 0.08 * d - 0.1 && deepest >= 1.5,
          `${row.name}: notch ${deepest} mm on a ${d.toFixed(1)} mm lesion`,
        );
      if (row.notch)
        assert.equal(notch.status, row.notch, `${row.name}: deepest notch ${deepest} mm on ${d.toFixed(1)} mm`);
      if (notch.status === 'present')
        assert.notEqual(
          status(r.signs, 'margin_lobulated'),
          'absent',
          `${row.name}: a notch sign beside "no lobulation"`,
        );
      for (const s of r.signs) {
        if (s.status !== 'indeterminate')
          assert.ok(
            s.confidence <= 0.9,
            `${row.name} ${s.signId}: confidence ${s.confidence} above the radiograph cap`,
          );
      }
    }
  },
);
