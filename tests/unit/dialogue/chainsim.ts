// Shared simulator for the conversation banks (chains, chains2): focus = lineage root of the
// subject; an overview sets the list ordinals count in; a drawn anchor becomes the focus.
import type { Anchor, Lobe, Understanding } from '../../../server/src/contract';
import { resolveAnchors, type FindingShape } from '../../../server/src/dialogue/resolve';
import { understand } from '../../../server/src/dialogue/understand';
import { detectLanguage } from '../../../server/src/dialogue/normalize';
import { lineageRoot } from '../../../server/src/sessions/anchors';
import { deps } from './harness';

export type Side = 'right' | 'left';
interface FindingSpec {
  side: Side;
  zone: 'upper' | 'middle' | 'lower';
  band?: 'inner' | 'middle' | 'outer';
  lobe: Lobe;
  shape: string;
  border?: string;
  type?: string;
  diameterPx: number;
  lobeP?: number;
}

function base(id: string, kind: Anchor['kind'], center: [number, number]): Anchor {
  return {
    id,
    kind,
    parentId: null,
    createdAt: '2025-06-01T00:00:00.000Z',
    createdByTurnId: null,
    label: { zh: id, en: id },
    findingId: null,
    landmarkId: null,
    clientRef: null,
    geometry: { type: 'point', point: center },
    center,
    location: null,
    measurements: [],
    signs: [],
    features: null,
    relation: null,
    refinedBy: null,
  };
}

export function finding(id: string, f: FindingSpec): Anchor {
  const a = base(id, 'finding', [f.side === 'right' ? 500 : 1500, 900]);
  a.findingId = `F${id.slice(1)}`;
  a.geometry = {
    type: 'polygon',
    points: [
      [a.center[0] - 30, 870],
      [a.center[0] + 30, 870],
      [a.center[0], 930],
    ],
  };
  const band = f.band ?? 'middle';
  a.location = {
    side: f.side,
    structureId: f.side === 'right' ? 'lung_right' : 'lung_left',
    inLung: true,
    zone: f.zone,
    zoneId: `zone_${f.side}_${f.zone}` as never,
    band,
    bandId: `band_${f.side}_${band}` as never,
    lobe: f.lobe,
    lobeConfidence: f.lobeP ?? 0.6,
    lobeProbabilities: { [f.lobe]: f.lobeP ?? 0.6 },
    lungFraction: { vertical: 0.5, horizontal: 0.5 },
    retrocardiac: false,
    text: { zh: `${f.side === 'right' ? '右' : '左'}肺${f.lobe}`, en: `${f.side} ${f.lobe}` },
  };
  a.measurements = [
    {
      name: 'diameter',
      label: { zh: '直径', en: 'Diameter' },
      value: f.diameterPx / 10,
      unit: 'mm',
      valuePx: f.diameterPx,
      valueMm: f.diameterPx / 10,
      estimate: true,
      spacingSource: 'ImagerPixelSpacing',
    } as never,
  ];
  shapes.set(id, {
    shape: f.shape,
    border: f.border ?? 'well_defined',
    type: f.type ?? 'nodule',
    diameter: f.diameterPx,
  });
  return a;
}

export function user(id: string, point: [number, number], side: Side = 'right'): Anchor {
  const a = base(id, 'user', point);
  a.location = {
    side,
    structureId: null,
    inLung: true,
    zone: 'middle',
    zoneId: null,
    band: 'middle',
    bandId: null,
    lobe: null,
    lobeConfidence: null,
    lobeProbabilities: null,
    lungFraction: null,
    retrocardiac: false,
    text: { zh: '点', en: 'point' },
  };
  return a;
}

export function child(id: string, kind: 'refinement' | 'measurement', parentId: string): Anchor {
  const a = base(id, kind, [0, 0]);
  a.parentId = parentId;
  return a;
}

const shapes = new Map<string, FindingShape>();
const shapeOf = (a: Anchor): FindingShape | null => shapes.get(a.id) ?? null;

/** Two findings as in api.md 15: A1 12 mm round RML nodule, A2 8 mm oval LUL nodule. */
export const worked = (): Anchor[] => [
  finding('A1', { side: 'right', zone: 'middle', lobe: 'RML', shape: 'round', diameterPx: 68.6, lobeP: 0.68 }),
  finding('A2', { side: 'left', zone: 'upper', lobe: 'LUL', shape: 'oval', border: 'ill_defined', diameterPx: 45.7 }),
];

export interface Step {
  text: string;
  /** Expected [anchorId, reason] per resolved anchor, in order. */
  expect: [string | null, string][];
  candidates?: string[];
  focus?: { anchorId: string; reason: 'focus_anchor' | 'clicked_point' };
  /** Anchors drawn before this turn (user anchors become the focus). */
  draw?: Anchor[];
  /** The focus expected after the turn. */
  focusAfter?: string | null;
  /** The intent expected (checked when given). */
  intent?: string;
}

export class Sim {
  focus: string | null = null;
  lastListed: string[] = [];
  constructor(public anchors: Anchor[]) {}
  lastIntent: string | null = null;
  /** The previous turn's understanding (elliptical follow-ups carry its question). */
  previous: Understanding | null = null;
  turn(s: Step): ReturnType<typeof resolveAnchors> {
    for (const a of s.draw ?? []) {
      this.anchors.push(a);
      this.focus = a.id;
    }
    const u = understand(s.text, deps, { focusAnchorId: s.focus?.anchorId ?? null, previous: this.previous });
    this.lastIntent = u.intent;
    this.previous = u;
    const resolved = resolveAnchors(
      {
        understanding: u,
        anchors: this.anchors,
        focusAnchorId: this.focus,
        requestFocus: s.focus ?? null,
        lastListed: this.lastListed,
        lang: detectLanguage(s.text, 'zh'),
        imageLevelChecklist: ['pneumothorax', 'pleural_effusion', 'cardiomegaly'].includes(u.checklistId ?? ''),
      },
      shapeOf,
    );
    if (u.intent === 'overview') {
      this.lastListed = resolved.filter((r) => r.anchorId).map((r) => r.anchorId!);
      if (this.lastListed.length) this.focus = this.lastListed[0]!;
    } else if (resolved[0]?.anchorId && resolved[0].reason !== 'ambiguous') {
      this.focus = lineageRoot(this.anchors, resolved[0].anchorId)?.id ?? resolved[0].anchorId;
    }
    return resolved;
  }
}

export const three = (): Anchor[] => [
  finding('A1', { side: 'right', zone: 'upper', lobe: 'RUL', shape: 'round', diameterPx: 90 }),
  finding('A2', { side: 'right', zone: 'lower', lobe: 'RLL', shape: 'round', diameterPx: 60 }),
  finding('A3', { side: 'left', zone: 'upper', lobe: 'LUL', shape: 'irregular', type: 'mass', diameterPx: 200 }),
];

// Shared by the conversation banks (chains2 = C10, chains3 = C11): the step shorthand, the common
// expectations and the per-turn scorer.
export const R = (
  text: string,
  intent: string,
  expect: [string | null, string][],
  extra: Partial<Step> = {},
): Step => ({
  text,
  intent,
  expect,
  ...extra,
});
export const ALL2: [string, string][] = [
  ['A1', 'all_findings'],
  ['A2', 'all_findings'],
];
export const ALL3: [string, string][] = [
  ['A1', 'all_findings'],
  ['A2', 'all_findings'],
  ['A3', 'all_findings'],
];
export const NONE: [string | null, string][] = [[null, 'none']];
export const BOTH: [string, string][] = [
  ['A1', 'explicit_id'],
  ['A2', 'explicit_id'],
];

export interface Conv {
  name: string;
  anchors: () => Anchor[];
  steps: Step[];
}
export function scoreConversations(convs: Conv[]): {
  turns: number;
  ok: number;
  convOk: number;
  misses: string[];
  perIntent: Map<string, { n: number; ok: number }>;
} {
  let turns = 0;
  let ok = 0;
  let convOk = 0;
  const misses: string[] = [];
  const perIntent = new Map<string, { n: number; ok: number }>();
  for (const c of convs) {
    const sim = new Sim(c.anchors());
    let allOk = true;
    c.steps.forEach((s, i) => {
      const r = sim.turn(s);
      const got = r.map((x) => [x.anchorId, x.reason]);
      const why: string[] = [];
      if (JSON.stringify(got) !== JSON.stringify(s.expect)) why.push(`anchors ${JSON.stringify(got)}`);
      if (s.intent && sim.lastIntent !== s.intent) why.push(`intent ${sim.lastIntent} ≠ ${s.intent}`);
      if (s.focusAfter !== undefined && sim.focus !== s.focusAfter) why.push(`focus ${sim.focus} ≠ ${s.focusAfter}`);
      turns++;
      const p = perIntent.get(s.intent ?? '?') ?? { n: 0, ok: 0 };
      p.n++;
      if (!why.length) {
        ok++;
        p.ok++;
      } else {
        allOk = false;
        misses.push(`${c.name} turn ${i + 1} "${s.text}": ${why.join('; ')}`);
      }
      perIntent.set(s.intent ?? '?', p);
    });
    if (allOk) convOk++;
  }
  return { turns, ok, convOk, misses, perIntent };
}
