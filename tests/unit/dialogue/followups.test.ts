// The five follow-up intents of issue 14 (api.md 10.7: recommendation, differential, compare_side,
// compare_prior, explain), run through understand → resolve → handler on a synthetic film with
// lungs, hila and drawn opacities. Each test asserts what the answer and the drawing must contain.
import assert from 'node:assert/strict';
import type { Anchor, Analysis, Finding, Lang, Location, Point, Polygon } from '../../../server/src/contract';
import { HANDLERS } from '../../../server/src/dialogue/turn';
import { resolveAnchors } from '../../../server/src/dialogue/resolve';
import { understand } from '../../../server/src/dialogue/understand';
import { vesselCalibreMm } from '../../../server/src/dialogue/intents/differential';
import type { TurnContext } from '../../../server/src/dialogue/context';
import type { Analysers } from '../../../server/src/analysis/analysers';
import type { SessionState } from '../../../server/src/store/types';
import { deps, ontology } from './harness';

const W = 512,
  H = 512,
  MM = 0.5;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const LUNG_R = rect(60, 60, 230, 460); // patient's right on the image left (standard orientation)
const LUNG_L = rect(282, 60, 452, 460);
const HILUM_R: Point = [215, 230],
  HILUM_L: Point = [297, 230];

interface Blob {
  c: Point;
  r: number;
  v?: number;
  line?: { to: Point; w: number };
}

/** A film: lungs dark (0.15), the rest 0.7, blobs and lines painted bright. */
function film(blobs: Blob[]): Float32Array {
  const d = new Float32Array(W * H).fill(0.7);
  const inRect = (x: number, y: number, p: Polygon) => x >= p[0]![0] && x <= p[1]![0] && y >= p[0]![1] && y <= p[2]![1];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (inRect(x, y, LUNG_R) || inRect(x, y, LUNG_L)) d[y * W + x] = 0.15 + 0.01 * Math.sin(x * 0.7 + y * 1.3);
  for (const b of blobs) {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let on = (x - b.c[0]) ** 2 + (y - b.c[1]) ** 2 <= b.r * b.r;
        if (b.line) {
          const [ax, ay] = b.c,
            [bx, by] = b.line.to;
          const t = Math.max(
            0,
            Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
          );
          on ||= Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= b.line.w;
        }
        if (on) d[y * W + x] = b.v ?? 0.6;
      }
  }
  return d;
}

function location(p: Point): Location {
  const right = p[0] < W / 2;
  const lung = right ? LUNG_R : LUNG_L;
  const inLung = p[0] >= lung[0]![0] && p[0] <= lung[1]![0] && p[1] >= 60 && p[1] <= 460;
  const s = (p[1] - 60) / 400;
  const zone = s < 1 / 3 ? 'upper' : s < 2 / 3 ? 'middle' : 'lower';
  const side = right ? 'right' : 'left';
  return {
    side,
    structureId: inLung ? (right ? 'lung_right' : 'lung_left') : null,
    inLung,
    zone,
    zoneId: `zone_${side}_${zone}` as never,
    band: 'middle',
    bandId: `band_${side}_middle` as never,
    lobe: null,
    lobeConfidence: null,
    lobeProbabilities: null,
    lungFraction: { vertical: s, horizontal: 0.5 },
    retrocardiac: false,
    text: {
      zh: `${right ? '右' : '左'}肺${zone === 'upper' ? '上' : zone === 'middle' ? '中' : '下'}野`,
      en: `${side} ${zone} zone`,
    },
  };
}

const circle = (c: Point, r: number): Point[] =>
  Array.from(
    { length: 32 },
    (_, i) => [c[0] + r * Math.cos((i * Math.PI) / 16), c[1] + r * Math.sin((i * Math.PI) / 16)] as Point,
  );

interface Spec {
  c: Point;
  r: number;
  score?: number;
  contour?: Point[];
}

function setup(blobs: Blob[], specs: Spec[], opts: { lang?: Lang; anatomy?: boolean } = {}) {
  const findings: Finding[] = specs.map((s, i) => ({
    id: `F${i + 1}`,
    type: 'nodule',
    score: s.score ?? 0.85,
    priority: i + 1,
    center: s.c,
    bbox: [s.c[0] - s.r, s.c[1] - s.r, s.c[0] + s.r, s.c[1] + s.r],
    contour: s.contour ?? circle(s.c, s.r),
    diameterMm: 2 * s.r * MM,
    diameterPx: 2 * s.r,
    estimate: true,
    spacingSource: 'PixelSpacing',
    location: location(s.c),
    shape: 'round',
    border: 'well_defined',
    description: { zh: '结节', en: 'nodule' },
    signs: [],
  }));
  const anchors: Anchor[] = findings.map((f, i) => ({
    id: `A${i + 1}`,
    kind: 'finding',
    parentId: null,
    createdAt: '2026-12-07T00:00:00.000Z',
    createdByTurnId: null,
    label: { zh: `A${i + 1} 结节`, en: `A${i + 1} nodule` },
    findingId: f.id,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'polygon', points: f.contour },
    center: f.center,
    location: f.location,
    measurements: [
      {
        name: 'diameter',
        label: { zh: '直径', en: 'Diameter' },
        value: f.diameterMm!,
        unit: 'mm',
        valuePx: f.diameterPx,
        valueMm: f.diameterMm,
        estimate: true,
        spacingSource: 'PixelSpacing',
      },
    ],
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
  }));
  const structure = (id: 'lung_right' | 'lung_left', p: Polygon) => ({
    id,
    label: { zh: id, en: id },
    contours: [p],
    bbox: [p[0]![0], p[0]![1], p[2]![0], p[2]![1]] as never,
    areaPx: 0,
    areaMm2: null,
  });
  const landmark = (id: 'hilum_right' | 'hilum_left', point: Point) => ({
    id,
    label: { zh: id, en: id },
    point,
    polyline: null,
    region: null,
    confidence: 0.9,
    method: 'geometry' as const,
    methodNote: '',
  });
  const analysis = {
    id: 'an_test',
    image: {
      columns: W,
      rows: H,
      pixelSpacingMm: [MM, MM],
      spacingSource: 'PixelSpacing',
      patientOrientation: null,
      viewPosition: 'PA',
    },
    anatomy: {
      available: true,
      unavailableReason: null,
      modelRef: null,
      zoneConvention: 'thirds_of_lung_height',
      bandConvention: 'thirds_of_lung_width',
      structures: [structure('lung_right', LUNG_R), structure('lung_left', LUNG_L)],
      zones: [],
      bands: [],
      landmarks: [landmark('hilum_right', HILUM_R), landmark('hilum_left', HILUM_L)],
      lobes: null,
      cardiothoracicRatio: null,
    },
    findings,
    models: [],
    warnings: [],
  } as unknown as Analysis;
  if (opts.anatomy === false)
    Object.assign(analysis.anatomy, { available: false, unavailableReason: 'no_model', structures: [], landmarks: [] });
  const state: SessionState = {
    session: {
      id: 'ss_test',
      analysisId: 'an_test',
      language: opts.lang ?? 'en',
      createdAt: '',
      updatedAt: '',
      expiresAt: '',
      focusAnchorId: null,
      anchors,
      turns: [],
      annotations: [],
    },
    counters: { anchor: anchors.length, annotation: 0, turn: 0 },
    refinements: {},
    lastListed: anchors.map((a) => a.id),
  };
  const entry = {
    analysis,
    pixels: { width: W, height: H, display: film(blobs), anatomyState: null, lesionState: null },
  };
  const analysers = { anatomy: null, fallbackLocate: (p: Point) => location(p) } as unknown as Analysers;
  let n = 0;
  const ask = (text: string, lang: Lang = opts.lang ?? 'en') => {
    const u = understand(text, deps);
    const resolved = resolveAnchors(
      {
        understanding: u,
        anchors: state.session.anchors,
        focusAnchorId: state.session.focusAnchorId,
        requestFocus: null,
        lastListed: state.lastListed,
        lang,
        imageLevelChecklist: false,
      },
      (a) => (a.kind === 'finding' ? { shape: 'round', border: 'well_defined', type: 'nodule', diameter: 20 } : null),
    );
    const ctx: TurnContext = {
      state,
      entry,
      lang,
      understanding: u,
      resolved,
      analysers,
      ontology,
      turnId: `T${++n}`,
      newAnnotationId: () => `ann_${++state.counters.annotation}`,
      newAnchorId: () => `A${++state.counters.anchor}`,
      anchor: (id) => state.session.anchors.find((a) => a.id === id),
    };
    const result = HANDLERS[u.intent](ctx);
    for (const a of result.createdAnchors ?? []) if (!state.session.anchors.includes(a)) state.session.anchors.push(a);
    if (result.focusAnchorId) state.session.focusAnchorId = result.focusAnchorId;
    return { u, result, texts: result.sections.flatMap((s) => s.items) };
  };
  return { ask, state };
}

const NO_GUIDELINE = /fleischner|lung-?rads/i;

test(
  'recommendation: reasoned from size and signs, ends with ' + "the reader's responsibility, no guideline category",
  () => {
    const { ask } = setup([{ c: [140, 250], r: 16 }], [{ c: [140, 250], r: 16 }]);
    for (const [q, lang] of [
      ['What do you recommend for A1?', 'en'],
      ['A1下一步建议怎么做?', 'zh'],
    ] as const) {
      const { u, result } = ask(q, lang);
      assert.equal(u.intent, 'recommendation');
      const last = result.sections.at(-1)!.items.at(-1)!.text;
      assert.match(last, lang === 'zh' ? /阅片医师.*负责/ : /reading physician.*responsible/);
      const all = [result.headline, ...result.sections.flatMap((s) => s.items.map((i) => i.text))].join(' ');
      assert.doesNotMatch(all, NO_GUIDELINE);
      assert.match(all, /A1/);
      assert.match(all, lang === 'zh' ? /CT/ : /CT/);
      assert.ok(
        result.sections[0]!.items.some((i) => i.evidence.some((e) => e.name === 'diameterMm')),
        'size is part of the reasoning',
      );
    }
  },
);

test(
  'recommendation: an extrathoracic finding is said to be outside ' +
    'the lungs, not sent to CT; a weak one is indeterminate',
  () => {
    const { ask } = setup(
      [
        { c: [20, 250], r: 8 },
        { c: [380, 200], r: 10 },
      ],
      [
        { c: [20, 250], r: 8 },
        { c: [380, 200], r: 10, score: 0.3 },
      ],
    );
    const out = ask('should we get a CT for A1?');
    assert.equal(out.u.intent, 'recommendation');
    assert.match(out.result.headline, /outside the lung fields/);
    assert.match(out.result.headline, /does not justify a chest CT/);
    const weak = ask('A2需要进一步检查吗', 'zh');
    assert.equal(weak.u.intent, 'recommendation');
    assert.match(weak.result.headline, /证据较弱.*不确定/);
    assert.equal(weak.result.sections[0]!.items[0]!.status, 'indeterminate');
  },
);

test('recommendation for the film lists the findings; an empty film says no follow-up is suggested by it', () => {
  const { ask } = setup([{ c: [140, 250], r: 16 }], [{ c: [140, 250], r: 16 }]);
  const film1 = ask('what do you recommend?');
  assert.equal(film1.u.intent, 'recommendation');
  assert.match(film1.result.headline, /1 finding/);
  const empty = setup([], []).ask('下一步建议怎么做?', 'zh');
  assert.match(empty.result.headline, /未检出可疑病灶/);
  assert.match(empty.result.sections.at(-1)!.items.at(-1)!.text, /阅片医师/);
});

test(
  'differential, vessel: a small opacity drawn out into a line towards ' +
    'the hilum is supported, a large round one far out is excluded',
  () => {
    // A 3 mm (6 px) dot 40 mm from the hilum with a vessel-like line running to the hilum.
    const vessel = setup([{ c: [140, 200], r: 3, line: { to: HILUM_R, w: 2.5 } }], [{ c: [140, 200], r: 4 }]);
    const v = vessel.ask('is A1 just a vessel seen end-on?');
    assert.equal(v.u.intent, 'differential');
    const item = v.result.sections[0]!.items[0]!;
    assert.equal(item.status, 'present', item.text);
    assert.ok(item.evidence.some((e) => e.name === 'hilumDistanceMm'));
    assert.ok(
      v.result.annotations!.some((a) => a.kind === 'link' && /hilum/.test(a.label)),
      'the hilar course is drawn',
    );
    // A 24 mm round nodule in the lateral lung: far larger than any vessel there.
    const big = setup([{ c: [100, 200], r: 24 }], [{ c: [100, 200], r: 24 }], { lang: 'zh' });
    const b = big.ask('这个影会不会是血管断面?', 'zh');
    assert.equal(b.u.intent, 'differential');
    assert.equal(b.result.sections[0]!.items[0]!.status, 'absent', b.result.sections[0]!.items[0]!.text);
    assert.match(b.result.headline, /超过/);
    assert.ok(vesselCalibreMm(0) > vesselCalibreMm(60));
  },
);

test(
  'differential, nipple: lower zone with a symmetric counterpart ' +
    'is supported (mirror point drawn); upper zone is excluded',
  () => {
    const low = setup(
      [
        { c: [150, 380], r: 10 },
        { c: [362, 380], r: 10 },
      ],
      [{ c: [150, 380], r: 10 }],
    );
    const n = low.ask('could this be a nipple shadow?');
    assert.equal(n.u.intent, 'differential');
    const it = n.result.sections[0]!.items[0]!;
    assert.equal(it.status, 'present', it.text);
    const mirror = n.result.annotations!.find((a) => a.kind === 'points');
    assert.ok(
      mirror && mirror.kind === 'points' && mirror.markers[0]!.point[0] > W / 2,
      'the mirror point lies in the other lung',
    );
    const high = setup([{ c: [150, 110], r: 10 }], [{ c: [150, 110], r: 10 }]);
    assert.equal(high.ask('A1是不是乳头影', 'zh').result.sections[0]!.items[0]!.status, 'absent');
  },
);

test('differential, generic: every mimic tested, a hedged list by features, the reader decides', () => {
  const { ask } = setup([{ c: [140, 250], r: 14 }], [{ c: [140, 250], r: 14 }]);
  const d = ask('鉴别诊断有哪些', 'zh');
  assert.equal(d.u.intent, 'differential');
  assert.equal(d.result.sections[0]!.items.length, 5);
  assert.ok(d.result.sections.some((s) => s.id === 'findings' && s.items.length > 0));
  assert.ok(
    d.result.sections[0]!.items.some((i) => /无法检验/.test(i.text)),
    'what cannot be tested says so',
  );
  assert.match(d.result.sections.at(-1)!.items.at(-1)!.text, /阅片医师/);
});

test(
  'compare_side: the region mirrored into the other lung as a ' +
    'user anchor, densities compared, both drawn with a dashed link',
  () => {
    const { ask, state } = setup([{ c: [150, 250], r: 14 }], [{ c: [150, 250], r: 14 }]);
    const out = ask('compare A1 with the same area on the left');
    assert.equal(out.u.intent, 'compare_side');
    assert.equal(out.result.createdAnchors!.length, 1);
    const m = out.result.createdAnchors![0]!;
    assert.equal(m.kind, 'user');
    assert.ok(m.center[0] > 282 && m.center[0] < 452, `mirror centre ${m.center} lies in the left lung`);
    assert.ok(Math.abs(m.center[1] - 250) < 8, 'same height fraction');
    assert.match(out.result.headline, /denser/);
    assert.equal(out.result.annotations!.filter((a) => a.kind === 'outline').length, 2);
    assert.ok(out.result.annotations!.some((a) => a.kind === 'link' && a.style.lineDash === 'dashed'));
    assert.ok(out.texts.some((i) => i.evidence.some((e) => e.name === 'meanDensity')));
    assert.equal(state.session.focusAnchorId, 'A1', 'the mirror does not take the focus');
    state.session.annotations.push(...out.result.annotations!);
    const zh = ask('和对侧同一位置比较一下', 'zh');
    assert.equal(zh.u.intent, 'compare_side');
    assert.equal(zh.result.createdAnchors!.length, 0, 'asked again: the mirror anchor is reused');
    assert.deepEqual(
      zh.result.annotations!.map((a) => a.id).sort(),
      out.result.annotations!.map((a) => a.id).sort(),
      'and its drawing updated in place',
    );
  },
);

test('compare_prior: without a prior the answer says none is attached and how to attach one; never A1 vs A2', () => {
  const { ask } = setup(
    [
      { c: [140, 250], r: 14 },
      { c: [380, 250], r: 10 },
    ],
    [
      { c: [140, 250], r: 14 },
      { c: [380, 250], r: 10 },
    ],
  );
  for (const [q, lang, re] of [
    ['compared with the previous film, is A1 bigger?', 'en', /No prior/],
    ['和上次的片子比A2有没有变大?', 'zh', /没有附加前片/],
  ] as const) {
    const out = ask(q, lang);
    assert.equal(out.u.intent, 'compare_prior');
    assert.match(out.result.headline, re);
    assert.ok(
      out.texts.some((i) => /prior|前片/.test(i.text) && /Compare with prior|与既往片比较/.test(i.text)),
      'how to attach one',
    );
    assert.equal((out.result.annotations ?? []).length, 0);
  }
  assert.equal(ask('compare A1 with A2').u.intent, 'compare');
});

test(
  'explain: the ontology definition, appearance and significance ' +
    'in the session language; where this film shows it, drawn',
  () => {
    const { ask } = setup([{ c: [140, 250], r: 14 }], [{ c: [140, 250], r: 14 }]);
    const s = ontology.signById.get('margin_spiculated')!;
    const zh = ask('什么是毛刺征?', 'zh');
    assert.equal(zh.u.intent, 'explain');
    assert.deepEqual(zh.u.signsAsked, ['margin_spiculated']);
    assert.ok(zh.result.headline.includes(s.definition.zh));
    const teach = zh.result.sections[0]!.items.map((i) => i.text).join('');
    assert.ok(teach.includes(s.appearance.zh) && teach.includes(s.significance.zh));
    const en = ask('what is a notch sign?');
    assert.equal(en.u.intent, 'explain');
    assert.ok(en.result.headline.includes(ontology.signById.get('notch_sign')!.definition.en));
    // After a margin turn has refined A1, "does A1 have it" reads the refinement (no new analysis, no new anchor).
    ask('A1边缘规则吗', 'zh');
    const onA1 = ask('what is spiculation and does A1 have it?');
    assert.equal(onA1.u.intent, 'explain');
    assert.deepEqual(onA1.result.createdAnchors ?? [], []);
    const a1 = onA1.result.sections[1]!.items.find((i) => i.anchorIds.includes('A1'));
    assert.ok(a1 && a1.status !== null, 'A1 is assessed from its refinement');
    assert.ok(onA1.result.annotations!.length === 0 || onA1.result.annotations!.some((a) => a.kind === 'outline'));
  },
);

test(
  'without lung anatomy nothing is called extrathoracic, ' + 'and the side comparison says its mirror is approximate',
  () => {
    const { ask } = setup(
      [
        { c: [20, 250], r: 8 },
        { c: [150, 250], r: 12 },
      ],
      [
        { c: [20, 250], r: 8 },
        { c: [150, 250], r: 12 },
      ],
      { anatomy: false },
    );
    const rec = ask('A1需要CT吗', 'zh');
    assert.equal(rec.u.intent, 'recommendation');
    assert.doesNotMatch(rec.result.headline, /以外/);
    const side = ask('compare A2 with the other side');
    assert.equal(side.u.intent, 'compare_side');
    assert.ok(side.texts.some((i) => /No lung segmentation/.test(i.text)));
    assert.ok(Math.abs(side.result.createdAnchors![0]!.center[0] - (W - 150)) < 3, 'flipped about the image centre');
  },
);

test('recommendation for "all of them" covers each finding named', () => {
  const { ask } = setup(
    [
      { c: [140, 250], r: 14 },
      { c: [380, 250], r: 10 },
    ],
    [
      { c: [140, 250], r: 14 },
      { c: [380, 250], r: 10 },
    ],
  );
  const out = ask('do all the nodules need CT?');
  assert.equal(out.u.intent, 'recommendation');
  const ids = new Set(out.result.sections[0]!.items.flatMap((i) => i.anchorIds));
  assert.ok(ids.has('A1') && ids.has('A2'), [...ids].join(','));
  assert.match(out.result.headline, /2 finding/);
});

test('recommendation for a drawn region: not a detected lesion, never sent to CT on that basis', () => {
  const { ask, state } = setup([{ c: [140, 250], r: 14 }], []);
  state.session.anchors.push({
    id: 'A1',
    kind: 'user',
    parentId: null,
    createdAt: '',
    createdByTurnId: null,
    label: { zh: 'A1 用户区域', en: 'A1 user region' },
    findingId: null,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'polygon', points: circle([140, 250], 20) },
    center: [140, 250],
    location: location([140, 250]),
    measurements: [],
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
  });
  state.counters.anchor = 1;
  const out = ask('should A1 get a CT?');
  assert.equal(out.u.intent, 'recommendation');
  assert.match(out.result.headline, /region you drew/);
  assert.doesNotMatch(out.result.headline, /CT \(thin-section\)|contrast-enhanced/);
  assert.match(out.result.sections.at(-1)!.items.at(-1)!.text, /responsible/);
});

test('recommendation about an anchor that does not exist says so instead of answering for the film', () => {
  const { ask } = setup([{ c: [140, 250], r: 14 }], [{ c: [140, 250], r: 14 }]);
  const out = ask('A3需要CT吗', 'zh');
  assert.equal(out.u.intent, 'recommendation');
  assert.match(out.result.headline, /无法确定所指对象.*A3/);
});

test('relation to the hilum and the pleura: centre distance, nearest gap, the measurement anchor and its lines', () => {
  const { ask } = setup([{ c: [140, 250], r: 16 }], [{ c: [140, 250], r: 16 }]);
  for (const [q, lang] of [
    ['A1离右肺门多远', 'zh'],
    ['how far is A1 from the pleura', 'en'],
  ] as const) {
    const r = ask(q, lang);
    assert.equal(r.u.intent, 'relation_landmark', q);
    const made = r.result.createdAnchors ?? [];
    const m = made.find((a) => a.kind === 'measurement');
    assert.ok(m?.relation, 'a measurement anchor carries the relation');
    assert.equal(m!.relation!.fromAnchorId, 'A1');
    assert.ok(m!.measurements.some((x) => x.name === 'centerDistance'));
    assert.ok(r.result.annotations!.some((a) => a.kind === 'link' && a.anchorId === m!.id));
    assert.ok(r.texts.length >= 1);
  }
});

test('the suggestion chips follow the turn language and name the subject', () => {
  const { ask } = setup([{ c: [140, 250], r: 16 }], [{ c: [140, 250], r: 16 }]);
  const cjk = /[\u4e00-\u9fff]/;
  for (const [q, lang] of [
    ['A1需要做CT吗', 'zh'],
    ['A1会不会是血管断面', 'zh'],
    ['A1和对侧比一下', 'zh'],
    ['什么是毛刺征', 'zh'],
    ['A1边缘光滑吗', 'zh'],
    ['should A1 get a CT', 'en'],
    ['could A1 be a vessel', 'en'],
    ['compare A1 with the other side', 'en'],
    ['what is spiculation', 'en'],
    ['is the margin of A1 smooth', 'en'],
  ] as const) {
    const { result } = ask(q, lang);
    assert.ok(result.suggestions.length > 0, q);
    for (const s of result.suggestions) assert.equal(cjk.test(s), lang === 'zh', `${q} → ${s}`);
  }
});
