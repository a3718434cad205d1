/**
 * Comparison of the current film's lesions with a prior film of the same patient (issue 17,
 * api.md 8.4 / 10.7 `compare_prior`): register the prior onto the current image through the two
 * anatomy maps, refine the prior's findings to get their one size, match them to the current lesions
 * by registered centre distance relative to size, and for a current lesion with no match look at the
 * registered place in the prior (lesion probability, local contrast) to tell "new" from "probably
 * there before but not detected". No I/O: the caller passes both analyses.
 */
import type { Analysis, Bilingual, Point, Polygon } from '../../contract';
import type { AnalysisEntry } from '../../store/types';
import { refineRegion } from '../refine';
import { registerAnatomy, type Registration } from './registration';
import { applyAffine, invertAffine, type Affine } from './transform';
import { sizeChange, type LesionSize, type SizeChange } from './change';
import { PRIOR } from './thresholds';
import { measureBlob } from './blob';

/** A lesion of the current film to compare: a finding anchor (or its refinement), in current image px. */
export interface CurrentLesion {
  anchorId: string;
  center: Point;
  outline: Point[];
  size: LesionSize;
}

export interface PriorLesion {
  findingId: string;
  center: Point;
  outline: Point[];
  size: LesionSize;
}

export type LesionStatus = 'matched' | 'new' | 'probably_present_before';

export interface LesionComparison {
  anchorId: string;
  status: LesionStatus;
  /** The current lesion's size (its one size, api.md 6.1). */
  current: LesionSize;
  prior: PriorLesion | null;
  /**
   * How the prior size was obtained: `paired` = the current lesion's one size × the ratio of the same
   * half-maximum blob measure at the lesion on both films (blob.ts); `outlines` = the prior's own refined outline.
   */
  sizeMethod: 'paired' | 'outlines' | null;
  /** The prior outline (matched) registered onto the current image. */
  priorOutlineOnCurrent: Point[] | null;
  /** Registered prior centre to current centre, mm (px without spacing). */
  centerDistanceMm: number | null;
  change: SizeChange | null;
  /** For unmatched lesions: what the prior shows at the registered place. */
  priorEvidence: { probability: number | null; contrastRatio: number | null } | null;
}

/**
 * A prior finding with no current lesion: `stillVisible` when the current film shows a similar blob at
 * the registered place (relative contrast ≥ presentContrastFraction: below the detector's threshold
 * now), else it has resolved or is not seen.
 */
export interface PriorOnly {
  prior: PriorLesion;
  outlineOnCurrent: Point[];
  stillVisible: boolean;
  /** Blob contrast now relative to the prior's at the same place. */
  contrastRatio: number | null;
}

export interface PriorComparison {
  ok: boolean;
  /** Why the films were not compared (zh/en), when `ok` is false. */
  refusal: Bilingual | null;
  registration: Registration | null;
  intervalDays: number | null;
  lesions: LesionComparison[];
  /** Prior findings with no current counterpart (resolved or not detected now), registered onto the current image. */
  priorOnly: PriorOnly[];
}

const REFUSALS = {
  notFrontal: {
    zh: '无法对比:其中一张不是正位胸片(或未找到肺野),不能与另一张配准。',
    en:
      'Cannot compare: one of the two films is not a frontal chest radiograph (or its lung fields were not ' +
      'found), so they cannot be registered.',
  },
  too_few_landmarks: {
    zh: '无法对比:两张片子共同的解剖标志点太少,无法可靠配准。',
    en: 'Cannot compare: too few anatomical landmarks are found on both films to register them reliably.',
  },
  poor_fit: {
    zh: '无法对比:两张片子配准后解剖结构仍对不齐(残差过大),可能体位或吸气程度差别太大,或不是同一患者。',
    en:
      'Cannot compare: after registration the anatomy of the two films still does not line up (residual too ' +
      'large); positioning or inspiration may differ too much, or they may not be the same patient.',
  },
  implausible_pose: {
    zh: '无法对比:两张片子之间的旋转或放大倍数超出同一体位胸片的合理范围。',
    en:
      'Cannot compare: the rotation or magnification between the two films is outside what two frontal ' +
      'chest films of one patient show.',
  },
} satisfies Record<string, Bilingual>;

/** Is this a frontal chest radiograph we can register? (api.md 4.3 domain, 4.2 view position) */
export function isFrontalChest(a: Analysis): boolean {
  if (!a.anatomy.available) return false;
  if (a.warnings.some((w) => w.code === 'not_frontal_view')) return false;
  // domain score 0 = lateral view or no lung fields (analysis/domain.ts)
  return !(a.domain && a.domain.score === 0);
}

export const mmPerPxOf = (a: Analysis): number | null => {
  const s = a.image.pixelSpacingMm;
  return s ? Math.sqrt(s[0] * s[1]) : null;
};

export function sizeOf(measurements: { name: string; valueMm: number | null; valuePx: number | null }[]): LesionSize {
  const m = (n: string) => measurements.find((x) => x.name === n);
  const long = m('longAxis')?.valueMm ?? null,
    short = m('shortAxis')?.valueMm ?? null;
  return {
    longMm: long,
    shortMm: short,
    diameterMm: m('diameter')?.valueMm ?? (long !== null && short !== null ? (long + short) / 2 : null),
    diameterPx: m('diameter')?.valuePx ?? 0,
  };
}

/** The pleural surface on a side: that lung's contours (as dialogue/refinement.ts pleuraFor). */
export function pleuraOf(a: Analysis, side: 'right' | 'left' | null | undefined): Polygon[] | undefined {
  if (!side) return undefined;
  return a.anatomy.structures.find((s) => s.id === (side === 'right' ? 'lung_right' : 'lung_left'))?.contours;
}

/** Refines an outline on an analysis' image and returns its size (the same computation as a refinement anchor). */
export function refinedLesion(entry: AnalysisEntry, outline: Point[], pleura?: Polygon[]) {
  const px = entry.pixels;
  const info = entry.analysis.image;
  const r = refineRegion({
    display: px.display,
    width: px.width,
    height: px.height,
    scale: px.scale,
    contour: outline,
    spacing: { mm: info.pixelSpacingMm, source: info.spacingSource },
    pleuraPolygons: pleura,
  });
  return { outline: r.contour, center: r.center, size: sizeOf(r.measurements), quality: r.quality };
}

const PRIOR_LESIONS = new Map<string, PriorLesion[]>();

/** The prior's findings with their refined size (cached per prior analysis). */
export function priorLesions(prior: AnalysisEntry): PriorLesion[] {
  const hit = PRIOR_LESIONS.get(prior.analysis.id);
  if (hit) return hit;
  const out = prior.analysis.findings.map((f) => {
    const r = refinedLesion(prior, f.contour, pleuraOf(prior.analysis, f.location.side));
    const ok = r.outline.length >= 3 && r.size.diameterPx > 0;
    return {
      findingId: f.id,
      center: ok ? r.center : f.center,
      outline: ok ? r.outline : f.contour,
      size: ok ? r.size : { longMm: null, shortMm: null, diameterMm: f.diameterMm, diameterPx: f.diameterPx },
    };
  });
  PRIOR_LESIONS.set(prior.analysis.id, out);
  if (PRIOR_LESIONS.size > 32) PRIOR_LESIONS.delete(PRIOR_LESIONS.keys().next().value!);
  return out;
}

interface Candidate {
  cur: number;
  pri: number;
  d: number;
}

/** One-to-one greedy matching by registered centre distance, within the size-relative tolerance. */
export function matchLesions(
  current: readonly CurrentLesion[],
  prior: readonly PriorLesion[],
  t: Affine,
  mmPerPx: number | null,
): Map<number, { pri: number; d: number }> {
  const scale = Math.sqrt(Math.abs(t.a * t.e - t.b * t.d));
  const cands: Candidate[] = [];
  current.forEach((c, i) =>
    prior.forEach((p, j) => {
      const q = applyAffine(t, p.center);
      const d = Math.hypot(q[0] - c.center[0], q[1] - c.center[1]);
      const size = Math.max(c.size.diameterPx, p.size.diameterPx * scale);
      const tol = Math.max(mmPerPx ? PRIOR.matchMinMm / mmPerPx : 30, PRIOR.matchSizeFactor * size);
      if (d <= tol) cands.push({ cur: i, pri: j, d });
    }),
  );
  cands.sort((a, b) => a.d - b.d);
  const out = new Map<number, { pri: number; d: number }>();
  const used = new Set<number>();
  for (const c of cands) {
    if (out.has(c.cur) || used.has(c.pri)) continue;
    out.set(c.cur, { pri: c.pri, d: c.d });
    used.add(c.pri);
  }
  return out;
}

/** Highest lesion probability of an analysis within `rPx` of `p` (image px); null without the lesion model. */
export function probabilityNear(entry: AnalysisEntry, p: Point, rPx: number): number | null {
  const st = entry.pixels.lesionState as { nodule?: Float32Array; size?: number } | null;
  if (!st?.nodule || !st.size) return null;
  const { columns, rows } = entry.analysis.image;
  const n = st.size;
  const fx = n / columns,
    fy = n / rows;
  const mx = p[0] * fx,
    my = p[1] * fy,
    r = Math.max(1, rPx * Math.max(fx, fy));
  let best = 0;
  for (let y = Math.max(0, Math.floor(my - r)); y <= Math.min(n - 1, Math.ceil(my + r)); y++)
    for (let x = Math.max(0, Math.floor(mx - r)); x <= Math.min(n - 1, Math.ceil(mx + r)); x++)
      if (Math.hypot(x - mx, y - my) <= r) best = Math.max(best, st.nodule[y * n + x]!);
  return best;
}

const lin = (t: Affine) => Math.sqrt(Math.abs(t.a * t.e - t.b * t.d));

/**
 * The prior size from the paired blob measure (blob.ts): the change is the difference of the same
 * half-maximum diameter measured at the lesion's place on both films, and the prior size is the
 * current lesion's one size minus that change (so the quoted change never depends on two outlines
 * traced independently). Null when either blob is not found.
 */
function pairedPriorSize(
  cur: CurrentLesion,
  priorCenter: Point,
  priorRadiusPx: number,
  current: AnalysisEntry,
  prior: AnalysisEntry,
  t: Affine,
): LesionSize | null {
  const s = lin(t);
  const r = Math.max(cur.size.diameterPx / 2, priorRadiusPx * s);
  const mmC = mmPerPxOf(current.analysis),
    mmP = mmPerPxOf(prior.analysis);
  if (!(r > 0) || cur.size.diameterMm === null || !mmC || !mmP) return null;
  const now = measureBlob(current.pixels, cur.center, r);
  const then = measureBlob(prior.pixels, priorCenter, r / s);
  if (!(now.diameterPx > 0) || !(then.diameterPx > 0)) return null;
  const delta = now.diameterPx * mmC - then.diameterPx * mmP;
  const minus = (v: number | null) => (v === null ? null : Math.max(0.5, v - delta));
  return {
    longMm: minus(cur.size.longMm),
    shortMm: minus(cur.size.shortMm),
    diameterMm: minus(cur.size.diameterMm),
    diameterPx: Math.max(1, cur.size.diameterPx - delta / mmC) * (mmC / mmP),
  };
}

/** What the prior shows where an unmatched current lesion lies: new, or probably there before. */
function presenceBefore(
  cur: CurrentLesion,
  current: AnalysisEntry,
  prior: AnalysisEntry,
  toPrior: Affine,
): { status: LesionStatus; probability: number | null; contrastRatio: number | null; where: Point } {
  const where = applyAffine(toPrior, cur.center);
  const scale = Math.sqrt(Math.abs(toPrior.a * toPrior.e - toPrior.b * toPrior.d));
  const rCur = Math.max(3, cur.size.diameterPx / 2);
  const probability = probabilityNear(prior, where, PRIOR.presentSearchRadius * rCur * scale);
  const cNow = measureBlob(current.pixels, cur.center, rCur).contrast;
  const cThen = measureBlob(prior.pixels, where, rCur * scale).contrast;
  const contrastRatio = cNow > 0 ? Math.round((cThen / cNow) * 100) / 100 : null;
  // the detector's sub-threshold response counts only with some blob there too (a nearby vessel or
  // border can raise the probability); a clear blob counts alone
  const c = contrastRatio ?? 0;
  const present =
    (probability !== null && probability >= PRIOR.presentProbability && c >= PRIOR.presentMinContrastFraction) ||
    c >= PRIOR.presentContrastFraction;
  return {
    status: present ? 'probably_present_before' : 'new',
    probability: probability === null ? null : Math.round(probability * 100) / 100,
    contrastRatio,
    where,
  };
}

/** The symmetric check for a prior finding with no current lesion: is a similar blob still there now? */
function stillThere(p: PriorLesion, current: AnalysisEntry, prior: AnalysisEntry, t: Affine): PriorOnly {
  const r = Math.max(3, p.size.diameterPx / 2);
  const then = measureBlob(prior.pixels, p.center, r).contrast;
  const now = measureBlob(current.pixels, applyAffine(t, p.center), r * lin(t)).contrast;
  const contrastRatio = then > 0 ? Math.round((now / then) * 100) / 100 : null;
  return {
    prior: p,
    outlineOnCurrent: mapOutline(t, p.outline),
    stillVisible: contrastRatio !== null && contrastRatio >= PRIOR.presentContrastFraction,
    contrastRatio,
  };
}

const mapOutline = (t: Affine, pts: readonly Point[]): Point[] =>
  pts.map((p) => applyAffine(t, p).map((v) => Math.round(v * 100) / 100) as Point);

export interface CompareInput {
  current: AnalysisEntry;
  prior: AnalysisEntry;
  lesions: CurrentLesion[];
  intervalDays: number | null;
}

/** Registers, matches and measures; a refusal (not frontal, poor fit) comes back with `ok: false`. */
export function compareWithPrior(input: CompareInput): PriorComparison {
  const { current, prior, intervalDays } = input;
  const empty = { registration: null, intervalDays, lesions: [], priorOnly: [] };
  if (!isFrontalChest(current.analysis) || !isFrontalChest(prior.analysis))
    return { ok: false, refusal: REFUSALS.notFrontal, ...empty };
  const mmCur = mmPerPxOf(current.analysis),
    mmPri = mmPerPxOf(prior.analysis);
  const reg = registerAnatomy(
    prior.analysis.anatomy,
    current.analysis.anatomy,
    mmCur,
    mmCur && mmPri ? mmPri / mmCur : 1,
  );
  if (!reg.ok || !reg.transform) return { ok: false, refusal: REFUSALS[reg.failure ?? 'poor_fit'], ...empty };
  const toPrior = invertAffine(reg.transform);
  if (!toPrior) return { ok: false, refusal: REFUSALS.poor_fit, ...empty, registration: reg };
  const priors = priorLesions(prior);
  const matches = matchLesions(input.lesions, priors, reg.transform, mmCur);
  const lesions = input.lesions.map((cur, i): LesionComparison => {
    const m = matches.get(i);
    if (m) {
      const p = priors[m.pri]!;
      const paired = pairedPriorSize(cur, p.center, p.size.diameterPx / 2, current, prior, reg.transform!);
      return {
        anchorId: cur.anchorId,
        status: 'matched',
        current: cur.size,
        prior: { ...p, size: paired ?? p.size },
        sizeMethod: paired ? 'paired' : 'outlines',
        priorOutlineOnCurrent: mapOutline(reg.transform!, p.outline),
        centerDistanceMm: Math.round((mmCur ? m.d * mmCur : m.d) * 10) / 10,
        change: sizeChange(paired ?? p.size, cur.size, intervalDays),
        priorEvidence: null,
      };
    }
    const pres = presenceBefore(cur, current, prior, toPrior);
    // there before but not detected: the same paired measure gives its earlier size
    const paired =
      pres.status === 'probably_present_before'
        ? pairedPriorSize(
            cur,
            pres.where,
            cur.size.diameterPx / 2 / lin(reg.transform!),
            current,
            prior,
            reg.transform!,
          )
        : null;
    return {
      anchorId: cur.anchorId,
      status: pres.status,
      current: cur.size,
      prior: null,
      sizeMethod: paired ? 'paired' : null,
      priorOutlineOnCurrent: null,
      centerDistanceMm: null,
      change: paired ? sizeChange(paired, cur.size, intervalDays) : null,
      priorEvidence: { probability: pres.probability, contrastRatio: pres.contrastRatio },
    };
  });
  const usedPrior = new Set([...matches.values()].map((m) => m.pri));
  const priorOnly = priors
    .filter((_, j) => !usedPrior.has(j))
    .map((p) => stillThere(p, current, prior, reg.transform!));
  return { ok: true, refusal: null, registration: reg, intervalDays, lesions, priorOnly };
}
