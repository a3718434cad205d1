import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { ImageInfo, Location, Point, SpacingSource } from '../../../server/src/contract';
import { formatLength } from '../../../server/src/geometry';
import {
  extractFindings,
  renderHeatmapPng,
  CONTOUR_LEVEL,
  classifyShape,
  shapeMetrics,
  compareFindings,
  scoreBand,
  placeText,
} from '../../../server/src/analysis/lesions';

// Synthetic detector maps: S×S, value = peak·(1 − 0.5·d/h) inside a shape (0.5·peak on its boundary,
// as the model is trained), 0 outside. Shapes: ellipses and "capsules" (thick polylines).
const S = 128,
  W = 512,
  H = 512; // 4 full-image px per map px

type Seg = [Point, Point];
type Spec =
  | { kind: 'ellipse'; c: Point; r: [number, number]; peak: number }
  | { kind: 'capsules'; segs: Seg[]; hw: number; peak: number };

function segDist(p: Point, [a, b]: Seg): number {
  const dx = b[0] - a[0],
    dy = b[1] - a[1],
    l2 = dx * dx + dy * dy;
  const t = l2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function paint(map: Float32Array, spec: Spec): Float32Array {
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const p: Point = [x + 0.5, y + 0.5];
      let q: number; // normalised distance: 0 on the ridge/centre, 1 on the boundary
      if (spec.kind === 'ellipse') q = Math.hypot((p[0] - spec.c[0]) / spec.r[0], (p[1] - spec.c[1]) / spec.r[1]);
      else q = Math.min(...spec.segs.map((s) => segDist(p, s))) / spec.hw;
      if (q <= 1) map[y * S + x] = Math.max(map[y * S + x]!, spec.peak * (1 - 0.5 * q));
    }
  return map;
}
const mapOf = (...specs: Spec[]): Float32Array => {
  const m = new Float32Array(S * S);
  for (const s of specs) paint(m, s);
  return m;
};

function info(spacing: [number, number] | null, source: SpacingSource = spacing ? 'PixelSpacing' : 'none'): ImageInfo {
  return {
    sourceFormat: 'dicom',
    rows: H,
    columns: W,
    bitsAllocated: 16,
    bitsStored: 12,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    numberOfFrames: 1,
    frame: 0,
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    sopClassUID: null,
    modality: 'CR',
    viewPosition: 'PA',
    patientOrientation: null,
    orientationAssumed: true,
    pixelSpacingMm: spacing,
    spacingSource: source,
    spacingDetail: {
      pixelSpacing: spacing,
      imagerPixelSpacing: null,
      ermf: null,
      calibrationType: null,
      origin: 'dicom',
    },
    rescale: { slope: 1, intercept: 0, type: null, modalityLutSequence: false },
    voi: { windowCenter: null, windowWidth: null, function: null, lutSequence: false, used: 'auto' },
    lossyCompressed: false,
    studyInstanceUID: null,
    seriesInstanceUID: null,
    sopInstanceUID: null,
    pixelDataSha256: '0'.repeat(64),
  };
}

function loc(over: Partial<Location> = {}): Location {
  return {
    side: 'right',
    structureId: 'lung_right',
    inLung: true,
    zone: 'middle',
    zoneId: 'zone_right_middle',
    band: 'outer',
    bandId: 'band_right_outer',
    lobe: 'RML',
    lobeConfidence: 0.7,
    lobeProbabilities: { RML: 0.7, RLL: 0.2, RUL: 0.1 },
    lungFraction: { vertical: 0.5, horizontal: 0.8 },
    retrocardiac: false,
    text: {
      zh: '右肺中野外带(投影于右肺中叶)',
      en: 'right mid zone, outer band (projects over the right middle lobe)',
    },
    ...over,
  } as Location;
}
const locate = () => loc();
/** The maps below follow the training-target convention (boundary at 0.5 × peak): outline at 0.5. */
const L05 = { contourLevel: 0.5 };
const zeros = () => new Float32Array(S * S);

/** A display image (W×H, 0..1) with a bright disc; `blur` in px softens its edge. */
function discDisplay(c: Point, r: number, blur: number): Float32Array {
  const d = new Float32Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const t = Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]) - r;
      d[y * W + x] = 0.3 + 0.3 / (1 + Math.exp(blur > 0 ? t / (blur / 1.7) : t * 20));
    }
  return d;
}

const shapeCases: { name: string; spec: Spec; shape: string }[] = [
  { name: 'circle → round', spec: { kind: 'ellipse', c: [64, 64], r: [6, 6], peak: 0.9 }, shape: 'round' },
  { name: 'ellipse 2:1 → oval', spec: { kind: 'ellipse', c: [64, 64], r: [8, 4], peak: 0.9 }, shape: 'oval' },
  {
    name: 'thin band 10:1 → linear',
    spec: {
      kind: 'capsules',
      segs: [
        [
          [44, 64],
          [84, 64],
        ],
      ],
      hw: 1.5,
      peak: 0.9,
    },
    shape: 'linear',
  },
  {
    name: 'L-shaped blob → irregular',
    spec: {
      kind: 'capsules',
      segs: [
        [
          [56, 56],
          [56, 72],
        ],
        [
          [56, 72],
          [72, 72],
        ],
      ],
      hw: 4,
      peak: 0.9,
    },
    shape: 'irregular',
  },
  {
    name: 'fan of thin strands → streaky',
    spec: {
      kind: 'capsules',
      segs: [
        [
          [64, 40],
          [64, 80],
        ],
        [
          [64, 60],
          [54, 84],
        ],
        [
          [64, 60],
          [74, 84],
        ],
      ],
      hw: 1.2,
      peak: 0.9,
    },
    shape: 'streaky',
  },
];

for (const c of shapeCases) {
  test(`shape: ${c.name}`, () => {
    const f = extractFindings(
      { nodule: mapOf(c.spec), opacity: zeros(), size: S },
      { width: W, height: H, info: info([0.2, 0.2]) },
      0.3,
      locate,
      L05,
    );
    assert.equal(f.length, 1, JSON.stringify(f.map((x) => [x.shape, x.score])));
    assert.equal(f[0]!.shape, c.shape, JSON.stringify(shapeMetrics(f[0]!.contour, [0.2, 0.2])));
  });
}

test('shape classifier thresholds (table)', () => {
  const rows: [number, number, number, string][] = [
    // aspect, solidity, thickness → shape
    [1.1, 0.95, 0.4, 'round'],
    [1.3, 0.9, 0.4, 'round'],
    [1.31, 0.95, 0.4, 'oval'],
    [1.2, 0.87, 0.4, 'oval'],
    [3.9, 0.9, 0.2, 'oval'],
    [4.5, 0.9, 0.1, 'linear'],
    [2.5, 0.5, 0.1, 'streaky'],
    [1.5, 0.7, 0.3, 'irregular'],
    [1.5, 0.5, 0.3, 'irregular'],
  ];
  for (const [aspect, solidity, thickness, want] of rows) {
    assert.equal(
      classifyShape({ aspect, solidity, thickness, longAxis: 10, shortAxis: 10 / aspect }),
      want,
      `${aspect},${solidity},${thickness}`,
    );
  }
});

test('geometry: contour, centroid, bbox and diameter in full-image px and mm', () => {
  const f = extractFindings(
    { nodule: mapOf({ kind: 'ellipse', c: [40.5, 30.5], r: [5, 5], peak: 0.8 }), opacity: zeros(), size: S },
    { width: W, height: H, info: info([0.5, 0.5]) },
    0.3,
    locate,
    L05,
  )[0]!;
  // centre (40.5, 30.5) map px → (162, 122) image px; radius 5 map px → 20 image px
  assert.ok(
    Math.abs(f.center[0] - 162) < 1 && Math.abs(f.center[1] - 122) < 1,
    String(f.center) + ' ' + String(f.bbox),
  );
  assert.ok(Math.abs(f.diameterPx - 40) < 3, String(f.diameterPx));
  assert.ok(Math.abs(f.diameterMm! - 20) < 1.5, String(f.diameterMm));
  assert.ok(f.bbox[0] < 144 && f.bbox[2] > 180 && f.bbox[1] < 104 && f.bbox[3] > 140, String(f.bbox));
  assert.equal(f.estimate, true);
  assert.equal(f.spacingSource, 'PixelSpacing');
  assert.equal(f.score, 0.8);
  assert.ok(f.contour.length >= 8 && f.contour.length <= 512);
  for (const [x, y] of f.contour) assert.ok(x >= 0 && x <= W && y >= 0 && y <= H && Math.round(x * 100) === x * 100);
  assert.deepEqual(f.signs, []);
});

const sizeCases: {
  name: string;
  spacing: [number, number] | null;
  source?: SpacingSource;
  r: number;
  type: string;
  mm: number | null;
}[] = [
  { name: 'isotropic 0.5 mm → 20 mm nodule', spacing: [0.5, 0.5], r: 5, type: 'nodule', mm: 20 },
  { name: 'anisotropic rows 0.5 / cols 1.0 → axes 48 and 24 mm', spacing: [0.5, 1.0], r: 6, type: 'mass', mm: 36 },
  { name: '0.5 mm, radius 10 → 40 mm mass', spacing: [0.5, 0.5], r: 10, type: 'mass', mm: 40 },
  {
    name: 'detector plane spacing keeps its source',
    spacing: [0.3, 0.3],
    source: 'ImagerPixelSpacing',
    r: 5,
    type: 'nodule',
    mm: 12,
  },
  { name: 'no spacing → px only, detector class kept', spacing: null, r: 10, type: 'nodule', mm: null },
];
for (const c of sizeCases) {
  test(`size: ${c.name}`, () => {
    const f = extractFindings(
      { nodule: mapOf({ kind: 'ellipse', c: [64, 64], r: [c.r, c.r], peak: 0.9 }), opacity: zeros(), size: S },
      { width: W, height: H, info: info(c.spacing, c.source) },
      0.3,
      locate,
      L05,
    )[0]!;
    assert.equal(f.type, c.type);
    assert.equal(f.spacingSource, c.source ?? (c.spacing ? 'PixelSpacing' : 'none'));
    if (c.mm === null) assert.equal(f.diameterMm, null);
    else assert.ok(Math.abs(f.diameterMm! - c.mm) < 0.08 * c.mm, `${f.diameterMm} vs ${c.mm}`);
    assert.ok(Math.abs(f.diameterPx - 8 * c.r) < 0.08 * 8 * c.r, String(f.diameterPx));
  });
}

test('threshold: peaks below the operating point are not reported; one finding per peak region', () => {
  const m = mapOf(
    { kind: 'ellipse', c: [30, 30], r: [5, 5], peak: 0.9 },
    { kind: 'ellipse', c: [90, 90], r: [5, 5], peak: 0.2 },
  );
  const g = { width: W, height: H, info: info([0.5, 0.5]) };
  assert.equal(extractFindings({ nodule: m, opacity: zeros(), size: S }, g, 0.3, locate, L05).length, 1);
  assert.equal(extractFindings({ nodule: m, opacity: zeros(), size: S }, g, 0.1, locate, L05).length, 2);
  assert.equal(extractFindings({ nodule: m, opacity: zeros(), size: S }, g, 0.95, locate, L05).length, 0);
});

test('priority: score band, then mass > nodule > opacity, then score, then diameter', () => {
  const nod = mapOf(
    { kind: 'ellipse', c: [20.5, 20.5], r: [4, 4], peak: 0.9 }, // nodule 16 mm, band 0
    { kind: 'ellipse', c: [60.5, 20.5], r: [10, 10], peak: 0.6 }, // mass 40 mm, band 1
    { kind: 'ellipse', c: [100.5, 20.5], r: [3, 3], peak: 0.7 }, // nodule, band 1
    { kind: 'ellipse', c: [20.5, 100.5], r: [9, 9], peak: 0.55 }, // mass 36 mm, band 1, lower score
  );
  const opa = mapOf({ kind: 'ellipse', c: [90.5, 90.5], r: [14, 10], peak: 0.95 }); // opacity, band 0
  const f = extractFindings(
    { nodule: nod, opacity: opa, size: S },
    { width: W, height: H, info: info([0.5, 0.5]) },
    0.3,
    locate,
    { ...L05, opacityThreshold: 0.5 },
  );
  assert.deepEqual(
    f.map((x) => [x.type, x.score]),
    [
      ['nodule', 0.9],
      ['opacity', 0.95],
      ['mass', 0.6],
      ['mass', 0.55],
      ['nodule', 0.7],
    ],
  );
  assert.deepEqual(
    f.map((x) => x.id),
    ['F1', 'F2', 'F3', 'F4', 'F5'],
  );
  assert.deepEqual(
    f.map((x) => x.priority),
    [1, 2, 3, 4, 5],
  );
  const rows: [number, string, number, number, string, number, number][] = [
    [0.8, 'nodule', 10, 0.6, 'mass', 40, -1],
    [0.6, 'nodule', 10, 0.6, 'mass', 40, 1],
    [0.6, 'nodule', 10, 0.7, 'nodule', 10, 1],
    [0.6, 'nodule', 20, 0.6, 'nodule', 10, -1],
    [0.6, 'opacity', 90, 0.6, 'nodule', 5, 1],
  ];
  for (const [sa, ta, da, sb, tb, db, sign] of rows) {
    const c = compareFindings(
      { score: sa, type: ta as 'nodule', diameterPx: da },
      { score: sb, type: tb as 'nodule', diameterPx: db },
    );
    assert.equal(Math.sign(c), sign, JSON.stringify([sa, ta, da, sb, tb, db]));
  }
  assert.deepEqual([0.99, 0.75, 0.74, 0.5, 0.3, 0.1].map(scoreBand), [0, 0, 1, 1, 2, 3]);
});

test('opacity inside a nodule region is not reported twice', () => {
  const nod = mapOf({ kind: 'ellipse', c: [64, 64], r: [6, 6], peak: 0.9 });
  const opa = mapOf({ kind: 'ellipse', c: [64, 64], r: [5, 5], peak: 0.9 });
  const f = extractFindings(
    { nodule: nod, opacity: opa, size: S },
    { width: W, height: H, info: info([0.5, 0.5]) },
    0.3,
    locate,
    L05,
  );
  assert.deepEqual(
    f.map((x) => x.type),
    ['nodule'],
  );
});

const descCases: {
  name: string;
  loc: Location;
  blur: number;
  spacing: [number, number] | null;
  zh: RegExp | string;
  en: RegExp | string;
}[] = [
  {
    name: 'lobe + band, well defined (api.md example)',
    loc: loc(),
    blur: 0,
    spacing: [0.5, 0.5],
    zh: '右肺中叶外带可见一约1.2 cm圆形高密度影,边界较清',
    en: 'A 1.2 cm round opacity in the outer band of the right middle lobe, well defined',
  },
  {
    name: 'ill-defined edge',
    loc: loc(),
    blur: 8,
    spacing: [0.5, 0.5],
    zh: '右肺中叶外带可见一约1.2 cm圆形高密度影,边界欠清',
    en: 'A 1.2 cm round opacity in the outer band of the right middle lobe, ill defined',
  },
  {
    name: 'low lobe confidence → zone and band',
    loc: loc({ side: 'left', lobe: 'LLL', lobeConfidence: 0.4, zone: 'lower', band: 'inner' }),
    blur: 0,
    spacing: [0.5, 0.5],
    zh: '左肺下野内带可见一约1.2 cm圆形高密度影,边界较清',
    en: 'A 1.2 cm round opacity in the inner band of the left lower zone, well defined',
  },
  {
    name: 'small nodule in mm, "an 8"',
    loc: loc({ lobe: 'RUL', band: null }),
    blur: 0,
    spacing: [0.337, 0.337],
    zh: '右肺上叶可见一约8.0 mm圆形高密度影,边界较清',
    en: 'An 8.0 mm round opacity in the right upper lobe, well defined',
  },
  {
    name: 'no spacing → px',
    loc: loc({ lobe: 'LUL', side: 'left', band: 'middle' }),
    blur: 0,
    spacing: null,
    zh: '左肺上叶中带可见一约24 px圆形高密度影,边界较清',
    en: 'A 24 px round opacity in the middle band of the left upper lobe, well defined',
  },
  {
    name: 'outside the lungs → location text',
    loc: loc({
      lobe: null,
      zone: null,
      band: null,
      inLung: false,
      retrocardiac: true,
      text: { zh: '心影后', en: 'behind the heart' },
    }),
    blur: 0,
    spacing: [0.5, 0.5],
    zh: '心影后可见一约1.2 cm圆形高密度影,边界较清',
    en: 'A 1.2 cm round opacity (behind the heart), well defined',
  },
];
for (const c of descCases) {
  test(`description: ${c.name}`, () => {
    // radius 3 map px = 12 image px → diameter 24 px (12 mm at 0.5 mm/px, 8 mm at 0.337)
    const nod = mapOf({ kind: 'ellipse', c: [64, 64], r: [3, 3], peak: 0.9 });
    const f = extractFindings(
      { nodule: nod, opacity: zeros(), size: S },
      { width: W, height: H, info: info(c.spacing), display: discDisplay([256, 256], 12, c.blur) },
      0.3,
      () => c.loc,
      L05,
    )[0]!;
    assert.equal(f.description.zh, c.zh);
    assert.equal(f.description.en, c.en);
    if (f.diameterMm !== null) assert.ok(f.description.zh.includes(formatLength(f.diameterMm, f.spacingSource, 'zh')));
  });
}

test('placeText: lingula and lobe without band', () => {
  assert.deepEqual(placeText(loc({ side: 'left', lobe: 'lingula', band: null, lobeConfidence: 0.9 })), {
    zh: '左肺舌段',
    en: 'in the lingula',
  });
});

test('opacity finding: type, words, Chinese and English', () => {
  const opa = mapOf({ kind: 'ellipse', c: [40, 90], r: [14, 10], peak: 0.8 });
  const f = extractFindings(
    { nodule: zeros(), opacity: opa, size: S },
    { width: W, height: H, info: info([0.5, 0.5]) },
    0.3,
    () => loc({ side: 'left', lobe: 'LLL', band: 'outer', lobeConfidence: 0.9 }),
    L05,
  )[0]!;
  assert.equal(f.type, 'opacity');
  assert.match(f.description.zh, /^左肺下叶外带可见一约\d\.\d cm(椭圆形|圆形|不规则)片状模糊影,边界(较清|欠清)$/);
  assert.match(
    f.description.en,
    /^A \d\.\d cm (oval|round|irregular) airspace opacity in the outer band of the left lower lobe, (well|ill) defined$/,
  );
});

test('renderHeatmapPng: full size, 8-bit grey, value = round(255·p) of the bilinear upsampling', async () => {
  const m = new Float32Array(4 * 4).fill(0.5);
  m[0] = 1;
  m[15] = 0;
  const png = await renderHeatmapPng(m, 4, 10, 6);
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.equal(meta.width, 10);
  assert.equal(meta.height, 6);
  assert.equal(meta.channels, 1);
  assert.equal(png[25], 0); // IHDR colour type 0 (grey)
  const raw = await sharp(png).extractChannel(0).raw().toBuffer();
  assert.equal(raw.length, 60);
  assert.equal(raw[0], 255); // corner = map[0]
  assert.equal(raw[59], 0); // opposite corner = map[15]
  assert.equal(raw[3 * 10 + 5], 128); // interior of the 0.5 plateau: round(127.5)
  await assert.rejects(renderHeatmapPng(m, 5, 10, 6));
});

test('default contour level: outline at CONTOUR_LEVEL × peak inside the claimed region', () => {
  const nod = mapOf({ kind: 'ellipse', c: [64.5, 64.5], r: [10, 10], peak: 1 });
  const g = { width: W, height: H, info: info([0.5, 0.5]) };
  const f = extractFindings({ nodule: nod, opacity: zeros(), size: S }, g, 0.3, locate)[0]!;
  // value 1 − 0.5·q: the level L·peak lies at q = 2(1 − L), i.e. radius 10·2(1 − L) map px = 80(1 − L) image px
  const want = 2 * 80 * (1 - Math.max(0.5, CONTOUR_LEVEL));
  assert.ok(Math.abs(f.diameterPx - want) < 0.1 * want + 4, `${f.diameterPx} vs ${want}`);
  const g9 = extractFindings({ nodule: nod, opacity: zeros(), size: S }, g, 0.3, locate, { contourLevel: 0.9 })[0]!;
  assert.ok(Math.abs(g9.diameterPx - 16) < 5, String(g9.diameterPx));
});
