/**
 * Prior comparison evaluation (issue 17): synthetic prior/current pairs made from real JSRT normal
 * films (tests/support/priorPair.ts), run through the real server (HTTP API, real models): POST both
 * images, PUT the prior, ask "Is anything new?" (film-level compare_prior), read the answer's evidence.
 *
 *   nice -n 10 node --import tsx scripts/prior-eval.ts --split test   # the 40 held-out pairs
 *   nice -n 10 node --import tsx scripts/prior-eval.ts --split tune   # tuning pairs (other films)
 *
 * Films: the 62 JSRT normals sorted by id; `tune` uses films 1–20, `test` films 21–60 (disjoint). Kinds
 * cycle grow, stable, new, shrink, removed, subtle_prior, grow, stable, new, … (one pair per film).
 * Prints, with 95 % intervals (Wilson for shares, bootstrap for the median):
 * - size change within ±2 mm of truth, over pairs whose nodule exists in both films and was
 *   detected in the prior (grow, stable, shrink); an undetected or unmatched nodule counts as a miss;
 * - new-vs-existing correct, over pairs whose nodule exists now (new → "new"; grow/stable/shrink/
 *   subtle_prior → matched or "probably present before"); an undetected current nodule counts as wrong;
 * - registration: median landmark-fit residual and median target registration error at the nodule.
 */
import { applyAffine, median } from '../server/src/analysis/prior/transform';
import { registerAnatomy } from '../server/src/analysis/prior/registration';
import { call } from './lib/testServer';
import { startTestServer } from './lib/testServer';
import { mulberry32 } from './lib/rng';
import { wilson } from './lib/stats';
import {
  JSRT_DIR,
  jsrtLungMask,
  jsrtNormalIds,
  makePairImages,
  readGreyPng,
  runPairThroughApi,
  samplePairSpec,
  type PairKind,
  type PairOutcome,
  type RegisterFn,
} from '../tests/support/priorPair';

const KINDS: PairKind[] = ['grow', 'stable', 'new', 'shrink', 'removed', 'subtle_prior'];

/** Registration in-process on the two Analysis objects, as the server does it. */
export const registerAnalyses: RegisterFn = (prior, current) => {
  const mmOf = (a: { image: { pixelSpacingMm: [number, number] | null } }) =>
    a.image.pixelSpacingMm ? Math.sqrt(a.image.pixelSpacingMm[0] * a.image.pixelSpacingMm[1]) : null;
  const mc = mmOf(current),
    mp = mmOf(prior);
  const r = registerAnatomy(prior.anatomy, current.anatomy, mc, mc && mp ? mp / mc : 1);
  if (!r.transform) return null;
  return { map: (p) => applyAffine(r.transform!, p) as [number, number], residualMm: r.residualMm };
};

function bootstrapMedian(xs: number[], seed = 7): [number, number] {
  const r = mulberry32(seed);
  const ms = Array.from({ length: 2000 }, () => median(xs.map(() => xs[Math.floor(r() * xs.length)]!)));
  ms.sort((a, b) => a - b);
  return [ms[49]!, ms[1949]!];
}

const pct = (k: number, n: number) => {
  const [lo, hi] = wilson(k, n);
  return `${k}/${n} = ${((100 * k) / n).toFixed(1)} % (95 % CI ${(100 * lo).toFixed(1)}–${(100 * hi).toFixed(1)} %)`;
};

export interface Summary {
  sizeOk: number;
  sizeN: number;
  statusOk: number;
  statusN: number;
  removedOk: number;
  removedN: number;
  residuals: number[];
  tres: number[];
}

export function summarise(rows: PairOutcome[]): Summary {
  const sized = rows.filter((r) => r.kind === 'grow' || r.kind === 'stable' || r.kind === 'shrink');
  const sizeOk = sized.filter(
    (r) => r.measuredChangeMm !== null && Math.abs(r.measuredChangeMm - r.truthChangeMm!) <= 2,
  ).length;
  const now = rows.filter((r) => r.kind !== 'removed');
  const statusOk = now.filter((r) =>
    r.kind === 'new' ? r.status === 'new' : r.status === 'matched' || r.status === 'probably_present_before',
  ).length;
  const removed = rows.filter((r) => r.kind === 'removed');
  return {
    sizeOk,
    sizeN: sized.length,
    statusOk,
    statusN: now.length,
    removedOk: removed.filter((r) => r.removedReported).length,
    removedN: removed.length,
    residuals: rows.map((r) => r.residualMm).filter((x): x is number => x !== null),
    tres: rows.map((r) => r.treMm).filter((x): x is number => x !== null),
  };
}

function args(): { split: 'tune' | 'test'; n: number } {
  const a = process.argv.slice(2);
  const get = (k: string) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const split = get('--split') === 'tune' ? 'tune' : 'test';
  return { split, n: Number(get('--n') ?? (split === 'tune' ? 20 : 40)) };
}

const fmt = (v: number | null, d = 1) => (v === null ? '—' : v.toFixed(d));

async function main(): Promise<void> {
  const { split, n } = args();
  const ids = jsrtNormalIds();
  if (ids.length < 60) throw new Error(`JSRT normals not found in ${JSRT_DIR}`);
  const films = split === 'tune' ? ids.slice(0, 20) : ids.slice(20, 60);
  const server = await startTestServer({ LOG_LEVEL: 'error' });
  const api = (p: string, init?: RequestInit & { json?: unknown }) => call(`${server.url}${p}`, init);
  const rows: PairOutcome[] = [];
  try {
    for (let i = 0; i < Math.min(n, films.length); i++) {
      const id = films[i]!;
      const kind = KINDS[i % KINDS.length]!;
      const rnd = mulberry32((split === 'tune' ? 1000 : 2000) + i);
      const spec = samplePairSpec(kind, await jsrtLungMask(id), rnd);
      const pair = makePairImages(await readGreyPng(`${JSRT_DIR}/images/${id}.png`), spec);
      const interval = Math.round(300 + rnd() * 1200);
      const r = await runPairThroughApi(api, pair, kind, {
        intervalDays: interval,
        question: 'Is anything new?',
        register: registerAnalyses,
      });
      rows.push(r);
      console.log(
        [id, kind.padEnd(12), `truth ${fmt(r.truthChangeMm)}`, `meas ${fmt(r.measuredChangeMm)}`]
          .concat([
            `${fmt(r.priorMm)}→${fmt(r.currentMm)}`,
            r.status,
            `res ${fmt(r.residualMm)}`,
            `TRE ${fmt(r.treMm)}`,
          ])
          .concat(r.removedReported === null ? [] : [`removed reported ${r.removedReported}`])
          .concat(
            r.priorContrastRatio === null
              ? []
              : [`prior p ${fmt(r.priorProbability, 2)} c ${fmt(r.priorContrastRatio, 2)}`],
          )
          .join('  '),
      );
    }
  } finally {
    await server.close();
  }
  const s = summarise(rows);
  const [rlo, rhi] = bootstrapMedian(s.residuals);
  const [tlo, thi] = bootstrapMedian(s.tres);
  console.log(`\nsplit ${split}: ${rows.length} pairs`);
  console.log(`size change within ±2 mm of truth: ${pct(s.sizeOk, s.sizeN)}  (bar ≥ 90 %)`);
  console.log(`new vs existing correct:           ${pct(s.statusOk, s.statusN)}  (bar ≥ 90 %)`);
  console.log(`removed nodule reported:           ${pct(s.removedOk, s.removedN)}`);
  // the same shares among pairs whose current nodule the detector found (detector sensitivity set apart)
  const found = summarise(rows.filter((r) => r.status !== 'undetected'));
  console.log(
    `  among detected nodules: size ${pct(found.sizeOk, found.sizeN)}; status ${pct(found.statusOk, found.statusN)}`,
  );
  console.log(
    `  current nodule not detected: ${rows.filter((r) => r.status === 'undetected').length} of ${rows.length} pairs`,
  );
  console.log(
    `registration residual median:      ${median(s.residuals).toFixed(2)} mm ` +
      `(95 % CI ${rlo.toFixed(2)}–${rhi.toFixed(2)}) (bar ≤ 5 mm)`,
  );
  console.log(
    `target registration error median:  ${median(s.tres).toFixed(2)} mm (95 % CI ${tlo.toFixed(2)}–${thi.toFixed(2)})`,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
