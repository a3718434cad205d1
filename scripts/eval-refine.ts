/**
 * Accuracy of the focused re-analysis (server/src/analysis/refine) on a seeded synthetic insertion
 * set: lesions of known class (tests/unit/refine/synth.ts) added to real normal JSRT radiographs
 * (shared/data/jsrt-train, JPCNN*, 0.35 mm/px; inside the SCR lung masks) — or, when shared/ is
 * absent, to synthetic chest-like backgrounds (say so in the report).
 *
 *   node --import tsx scripts/eval-refine.ts --split test [--per-class 40] [--bg jsrt|synthetic] [--json out.json]
 *   CXR_SIGN_MODEL=none …  the hand thresholds only (no learned sign calls; signModel.ts)
 *
 * Splits: "tune" (seed 1, even-numbered normal images) is what the thresholds in
 * server/src/analysis/refine/thresholds.ts were tuned on; "test" (seed 2, odd-numbered images) is
 * the held-out split reported in docs/analysers.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Point } from '../server/src/contract';
import { leadMarginClass, refineRegionDetailed } from '../server/src/analysis/refine';
import {
  LESION_CLASSES,
  coarseOutline,
  extentOf,
  randomLesion,
  renderLesion,
  rng,
  syntheticBackground,
  uniform,
  type LesionClass,
  type SampleTruth,
} from './lib/synth';
import { wilson } from './lib/stats';
import { jsrtNormalIds, loadJsrtFilm, optionReader, refineFeatureTable, refineOnFilm } from './lib/films';

const args = process.argv.slice(2);
const opt = optionReader(args);
const split = opt('split', 'test');
const perClass = Number(opt('per-class', '40'));
const verbose = args.includes('--verbose');
const only = opt('only', '');
const SHARED = resolve(process.env.CXR_SHARED ?? join(__dirname, '..', '..', 'shared'));
const JSRT = join(SHARED, 'data', 'jsrt-train');
const bgKind = opt('bg', existsSync(join(JSRT, 'images')) ? 'jsrt' : 'synthetic');
const MM = 0.35,
  PX_PER_MM = 1 / MM;
const seed = split === 'tune' ? 1 : 2;

interface Bg {
  id: string;
  display: Float32Array;
  W: number;
  H: number;
  lung: Uint8Array | null;
}

async function backgrounds(): Promise<Bg[]> {
  if (bgKind !== 'jsrt') {
    return Array.from({ length: 6 }, (_, i) => ({
      id: `synthetic-${i}`,
      display: syntheticBackground(1024, 1024, seed * 100 + i, { ribs: true }),
      W: 1024,
      H: 1024,
      lung: null,
    }));
  }
  const ids = jsrtNormalIds(JSRT, (i) => (split === 'tune' ? i % 2 === 0 : i % 2 === 1));
  const out: Bg[] = [];
  for (const id of ids) out.push(await loadJsrtFilm(JSRT, id));
  return out;
}

function placeCenter(bg: Bg, radius: number, r: () => number): Point | null {
  for (let t = 0; t < 400; t++) {
    const c: Point = [uniform(r, radius + 10, bg.W - radius - 10), uniform(r, radius + 10, bg.H - radius - 10)];
    if (!bg.lung) return c;
    let ok = true;
    for (let k = 0; k < 16 && ok; k++) {
      for (const s of [0, 0.5, 1]) {
        const a = (2 * Math.PI * k) / 16;
        const x = Math.round(c[0] + s * radius * Math.cos(a)),
          y = Math.round(c[1] + s * radius * Math.sin(a));
        if (!bg.lung[y * bg.W + x]) {
          ok = false;
          break;
        }
      }
    }
    if (ok) return c;
  }
  return null;
}

const angDiff = (a: number, b: number) => {
  let d = Math.abs(a - b) % (2 * Math.PI);
  if (d > Math.PI) d = 2 * Math.PI - d;
  return d;
};
const clockDiff = (a: number, b: number) => {
  const d = Math.abs(a - b) % 12;
  return Math.min(d, 12 - d);
};

interface Row {
  cls: string;
  truth: SampleTruth;
  lead: string | null;
  statuses: Record<string, string>;
  calcPattern: string;
  spicules: { angle: number; lengthMm: number }[];
  notchClocks: number[];
  ms: number;
  cpuMs: number;
  bg: string;
  diameterMm: number;
  contrast: number;
  sharp: number;
  li: number;
  notches: number;
  cv: number;
  calcFrac: number;
  lucFrac: number;
  rough: number;
  tubular: number;
  lucencies: number;
  notchDepthRel: number;
  edgeSnr: number;
  leadConf: number | null;
  calcConf: number;
  features: Record<string, number>;
}

type Detail = ReturnType<typeof refineRegionDetailed>;

/** One random lesion of class `cls` placed in a random film, or null when it does not fit the lung. */
function sampleLesion(bgs: Bg[], cls: LesionClass, r: () => number) {
  const bg = bgs[Math.floor(r() * bgs.length)]!;
  const truth = randomLesion(cls, [0, 0], r, {
    dMinPx: 8 * PX_PER_MM,
    dMaxPx: 40 * PX_PER_MM,
    cMin: 0.035,
    cMax: 0.1,
    pxPerMm: PX_PER_MM,
  });
  const ext = extentOf(truth.spec);
  const c = placeCenter(bg, Math.max(truth.spec.radius * 1.3, 0.8 * ext), r);
  if (!c) return null;
  truth.spec.center = c;
  const display = bg.display.slice();
  renderLesion(display, bg.W, bg.H, truth.spec);
  const contour = coarseOutline(truth.spec, r, uniform(r, 1.05, 1.3));
  return { bg, truth, display, contour };
}

function analyse(bg: Bg, display: Float32Array, contour: Point[]) {
  const cpu0 = process.cpuUsage();
  const d = refineOnFilm(bg, display, contour, MM);
  const cpu = process.cpuUsage(cpu0);
  return { d, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const featureTable = (d: Detail): Record<string, number> => refineFeatureTable(d, MM);

function toRow(cls: string, truth: SampleTruth, bg: Bg, d: Detail, cpuMs: number): Row {
  const statuses: Record<string, string> = {};
  for (const sg of d.result.signs) statuses[sg.signId] = sg.status;
  const calc = d.result.signs.find((sg) => sg.signId === 'calcification')!;
  return {
    cls,
    truth,
    lead: leadMarginClass(d.result.signs),
    statuses,
    calcPattern: calc.evidence.find((e) => e.name === 'calcificationPattern')!.value as string,
    spicules: d.result.features.spicules.map((sp) => ({
      angle: Math.atan2(sp.tip[1] - sp.base[1], sp.tip[0] - sp.base[0]),
      lengthMm: sp.length.valueMm ?? 0,
    })),
    notchClocks: d.result.features.notches.map((n) => n.clock),
    ms: d.timingMs,
    cpuMs,
    bg: bg.id,
    diameterMm: 2 * truth.spec.radius * MM,
    contrast: truth.spec.contrast,
    sharp: d.margin.boundarySharpness,
    li: d.lobulation.lobulationIndex,
    notches: d.lobulation.notches.length,
    cv: d.density.densityCv,
    calcFrac: d.density.calcifiedFraction,
    lucFrac: d.density.lucentFraction,
    rough: d.margin.contourRoughness,
    features: featureTable(d),
    leadConf: d.result.signs
      .filter((sg) => sg.signId.startsWith('margin_') && sg.status === 'present')
      .reduce<number | null>((m, sg) => Math.max(m ?? 0, sg.confidence), null),
    calcConf: calc.confidence,
    tubular: d.density.tubularCount,
    lucencies: d.density.lucencies.length,
    edgeSnr: d.quality.edgeSnr,
    notchDepthRel:
      d.result.features.notches.reduce((m, nt) => Math.max(m, nt.depth.valuePx ?? 0), 0) /
      Math.max(d.quality.diameterPx, 1e-6),
  };
}

function verboseLine(row: Row, edgeSnr: number): string {
  const t = row.truth;
  return [
    `${row.cls.padEnd(11)} D=${row.diameterMm.toFixed(1).padStart(4)} c=${row.contrast.toFixed(3)}`,
    `lead=${String(row.lead).padEnd(10)} sharp=${row.sharp.toFixed(2)} li=${row.li.toFixed(3)}`,
    `rough=${row.rough.toFixed(3)} notch=${row.notches}/${t.notchClocks.length}`,
    `spic=${row.spicules.length}/${t.spiculeCount} cv=${row.cv.toFixed(2)}`,
    `calc=${row.statuses.calcification}(${row.calcFrac.toFixed(3)},${row.calcPattern}/${t.calcPattern})`,
    `cav=${row.statuses.cavitation}(${row.lucFrac.toFixed(2)}) q=${edgeSnr} ${row.ms.toFixed(0)}ms ${row.bg}`,
  ].join(' ');
}

async function main() {
  const bgs = await backgrounds();
  const r = rng(seed * 7919);
  const rows: Row[] = [];
  const classes = only ? LESION_CLASSES.filter((c) => only.split(',').includes(c)) : LESION_CLASSES;
  for (const cls of classes) {
    for (let i = 0; i < perClass; i++) {
      const s = sampleLesion(bgs, cls, r);
      if (!s) {
        i--;
        continue;
      }
      const { d, cpuMs } = analyse(s.bg, s.display, s.contour);
      if (process.env.TRACE_RATIO && d.quality.traceSizeRatio != null)
        console.error(
          `trace disagrees: ${cls} ratio ${d.quality.traceSizeRatio.toFixed(2)} ` +
            `d=${(2 * s.truth.spec.radius * MM).toFixed(1)} mm`,
        );
      const row = toRow(cls, s.truth, s.bg, d, cpuMs);
      rows.push(row);
      if (verbose) console.log(verboseLine(row, d.result.quality.edgeSnr));
    }
  }
  report(rows, bgs.length);
}

// ---- report ---------------------------------------------------------------------------------
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

/** Wilson 95 % interval of a proportion, as "95 % CI lo–hi %". */
function wilsonText(k: number, n: number): string {
  if (!n) return 'n/a';
  const [lo, hi] = wilson(k, n);
  return `95 % CI ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)} %`;
}

const MC = ['smooth', 'lobulated', 'spiculated', 'ill_defined'];

function reportMargin(rows: Row[], lines: string[]) {
  const conf: Record<string, Record<string, number>> = {};
  for (const t of MC) conf[t] = Object.fromEntries([...MC, 'none'].map((p) => [p, 0]));
  let ok = 0;
  for (const row of rows) {
    conf[row.truth.marginClass]![row.lead ?? 'none']!++;
    if (row.lead === row.truth.marginClass) ok++;
  }
  lines.push(
    `\nmargin class (lead = highest-confidence present margin sign): accuracy ${pct(ok, rows.length)} ` +
      `(${ok}/${rows.length}; ${wilsonText(ok, rows.length)})`,
  );
  lines.push(`| truth \\ predicted | ${[...MC, 'none'].join(' | ')} | recall |`);
  lines.push(`|---|${[...MC, 'none'].map(() => '---').join('|')}|---|`);
  for (const t of MC) {
    const tot = Object.values(conf[t]!).reduce((a, b) => a + b, 0);
    lines.push(`| ${t} | ${[...MC, 'none'].map((p) => conf[t]![p]).join(' | ')} | ${pct(conf[t]![t]!, tot)} |`);
  }
}

function reportDetection(rows: Row[], lines: string[], name: string, sign: string, truthOf: (r: Row) => boolean) {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0,
    ind = 0,
    indPos = 0;
  for (const row of rows) {
    const p = row.statuses[sign] === 'present',
      t = truthOf(row);
    if (row.statuses[sign] === 'indeterminate') {
      ind++;
      if (t) indPos++;
    }
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  lines.push(
    `\n${name}: accuracy ${pct(tp + tn, rows.length)} (${wilsonText(tp + tn, rows.length)}); ` +
      `sensitivity ${pct(tp, tp + fn)} (${tp}/${tp + fn}); specificity ${pct(tn, tn + fp)} (${tn}/${tn + fp}); ` +
      `indeterminate ${ind} (${indPos} of them positives)`,
  );
}

function reportCalcPatterns(rows: Row[], lines: string[]) {
  const calcRows = rows.filter((r) => r.truth.calcified && r.statuses.calcification === 'present');
  const right = calcRows.filter((r) => r.calcPattern === r.truth.calcPattern).length;
  lines.push(`calcification pattern among detected calcified lesions: ${pct(right, calcRows.length)}`);
  for (const p of ['central', 'laminated', 'popcorn']) {
    const counts: Record<string, number> = {};
    for (const r of calcRows.filter((x) => x.truth.calcPattern === p))
      counts[r.calcPattern] = (counts[r.calcPattern] ?? 0) + 1;
    const list = Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(`  ${p}: ${list || '—'}`);
  }
}

/** Detected spicules matched to true ones within 15°: count and length errors. */
function matchSpicules(sp: Row[]) {
  const m = { cntErr: 0, matched: 0, totalTrue: 0, lenErr: 0, lenSigned: 0, detTotal: 0 };
  for (const row of sp) {
    m.cntErr += Math.abs(row.spicules.length - row.truth.spiculeCount);
    m.totalTrue += row.truth.spiculeCount;
    m.detTotal += row.spicules.length;
    const used = new Set<number>();
    for (const t of row.truth.spec.spicules!) {
      let bi = -1,
        bd = 0.26; // 15°
      row.spicules.forEach((d, i) => {
        const dd = angDiff(d.angle, t.angle);
        if (!used.has(i) && dd < bd) {
          bd = dd;
          bi = i;
        }
      });
      if (bi < 0) continue;
      used.add(bi);
      m.matched++;
      const e = row.spicules[bi]!.lengthMm - t.length * MM;
      m.lenErr += Math.abs(e);
      m.lenSigned += e;
    }
  }
  return m;
}

function reportSpicules(rows: Row[], lines: string[]) {
  const sp = rows.filter((r) => r.truth.marginClass === 'spiculated');
  const m = matchSpicules(sp);
  const per = (a: number, b: number) => (a / Math.max(1, b)).toFixed(2);
  lines.push(
    `\nspicules (spiculated lesions, n=${sp.length}): mean |count error| ${per(m.cntErr, sp.length)} ` +
      `(true ${m.totalTrue}, detected ${m.detTotal}); recall ${pct(m.matched, m.totalTrue)} (matched within 15°); ` +
      `precision ${pct(m.matched, m.detTotal)}; length error mean |e| ${per(m.lenErr, m.matched)} mm, ` +
      `bias ${per(m.lenSigned, m.matched)} mm`,
  );
  const others = rows.filter((r) => r.truth.marginClass !== 'spiculated');
  const falseSp = others.reduce((s, r) => s + r.spicules.length, 0) / Math.max(1, others.length);
  lines.push(`false spicules on non-spiculated lesions: ${falseSp.toFixed(2)} per lesion`);
}

function reportNotches(rows: Row[], lines: string[]) {
  const lob = rows.filter((r) => r.truth.marginClass === 'lobulated');
  let exact = 0,
    within1 = 0,
    tn = 0,
    dn = 0,
    cntE = 0;
  for (const row of lob) {
    tn += row.truth.notchClocks.length;
    dn += row.notchClocks.length;
    cntE += Math.abs(row.notchClocks.length - row.truth.notchClocks.length);
    for (const t of row.truth.notchClocks) {
      const best = Math.min(...row.notchClocks.map((c) => clockDiff(c, t)), 99);
      if (best === 0) exact++;
      if (best <= 1) within1++;
    }
  }
  lines.push(
    `\nnotch clocks (lobulated lesions, n=${lob.length}): true valleys ${tn}, detected notches ${dn}, ` +
      `mean |count error| ${(cntE / Math.max(1, lob.length)).toFixed(2)}; true valleys with a detected notch ` +
      `at the same clock ${pct(exact, tn)}, within ±1 h ${pct(within1, tn)}`,
  );
}

function distribution(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return (
    `mean ${mean.toFixed(1)} ms, median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, ` +
    `p95 ${s[Math.floor(0.95 * (s.length - 1))]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`
  );
}

function writeJson(rows: Row[], lines: string[]) {
  const j = opt('json', '');
  if (!j) return;
  const out = rows.map(({ truth, ...rest }) => ({
    ...rest,
    truth: { marginClass: truth.marginClass, calcPattern: truth.calcPattern, cavitated: truth.cavitated },
  }));
  writeFileSync(j, JSON.stringify({ split, seed, background: bgKind, lines, rows: out }, null, 1));
}

function report(rows: Row[], nBg: number) {
  const lines: string[] = [];
  lines.push(
    `split=${split} seed=${seed} background=${bgKind} (${nBg} images) lesions=${rows.length} ` +
      `(${perClass}/class), spacing 0.35 mm/px, sign model ${process.env.CXR_SIGN_MODEL ?? 'shipped'}`,
  );
  reportMargin(rows, lines);
  reportDetection(rows, lines, 'calcification (present vs not)', 'calcification', (r) => r.truth.calcified);
  reportCalcPatterns(rows, lines);
  reportDetection(rows, lines, 'cavitation (present vs not)', 'cavitation', (r) => r.truth.cavitated);
  reportSpicules(rows, lines);
  reportNotches(rows, lines);
  lines.push(`\nCPU time per lesion (process.cpuUsage, single thread): ${distribution(rows.map((r) => r.cpuMs))}`);
  lines.push(`wall-clock per lesion (shared machine; load-dependent): ${distribution(rows.map((r) => r.ms))}`);
  const ind = rows.filter((r) => r.statuses.margin_smooth === 'indeterminate').length;
  lines.push(`margin signs indeterminate (weak evidence): ${ind}/${rows.length}`);
  console.log(lines.join('\n'));
  writeJson(rows, lines);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
