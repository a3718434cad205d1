import type { Anchor, Annotation, Session, Turn } from '../contract';
import type { SessionState } from './types';

/**
 * Shared by the SQLite and PostgreSQL stores: a SessionState as table rows, and the smallest set
 * of row writes that turns the stored rows into a new state. Turns are append-only (a stored turn
 * is never rewritten); anchors, annotations and refinements are compared by their JSON text.
 */

export interface SessionRow {
  id: string;
  analysisId: string;
  language: string;
  focusAnchorId: string | null;
  anchorCounter: number;
  annotationCounter: number;
  turnCounter: number;
  metaJson: string;
  /** The attached prior (api.md 8.4), mirrored from Session.prior; null when none. */
  priorAnalysisId: string | null;
  priorIntervalDays: number | null;
}

/** What a process last wrote (or read) for one session, at revision `rev`. */
export interface SavedShape {
  rev: number;
  meta: string;
  anchors: Map<string, string>;
  turns: Set<number>;
  annotations: Map<string, string>;
  refinements: Map<string, string>;
}

export interface RowPlan {
  session: SessionRow;
  metaChanged: boolean;
  upsertAnchors: { id: string; ord: number; kind: string; json: string }[];
  deleteAnchors: string[];
  insertTurns: { idx: number; id: string; json: string }[];
  deleteTurns: number[];
  upsertAnnotations: { id: string; pos: number; json: string }[];
  deleteAnnotations: string[];
  upsertRefinements: { anchorId: string; json: string }[];
  deleteRefinements: string[];
  /** The shape after the plan is applied (rev filled by the caller). */
  next: Omit<SavedShape, 'rev'>;
}

export const anchorOrd = (id: string): number => {
  const n = Number(id.replace(/^\D+/, ''));
  return Number.isFinite(n) ? n : 0;
};

/** Session without its arrays (nulls keep key order), plus the rest of the state without refinements. */
function metaOf(state: SessionState): string {
  const { session, refinements: _r, ...rest } = state;
  const s = { ...session, anchors: null, turns: null, annotations: null };
  return JSON.stringify({ ...rest, session: s });
}

export function sessionRow(state: SessionState): SessionRow {
  const s = state.session;
  return {
    id: s.id,
    analysisId: s.analysisId,
    language: s.language,
    focusAnchorId: s.focusAnchorId,
    anchorCounter: state.counters.anchor,
    annotationCounter: state.counters.annotation,
    turnCounter: state.counters.turn,
    metaJson: metaOf(state),
    priorAnalysisId: s.prior?.analysisId ?? null,
    priorIntervalDays: s.prior?.intervalDays ?? null,
  };
}

/** Plans the writes from `saved` (null: nothing stored yet) to `state`. */
export function planSave(saved: SavedShape | null, state: SessionState): RowPlan {
  const session = sessionRow(state);
  const anchors = new Map<string, string>();
  const upsertAnchors: RowPlan['upsertAnchors'] = [];
  for (const a of state.session.anchors) {
    const json = JSON.stringify(a);
    anchors.set(a.id, json);
    if (saved?.anchors.get(a.id) !== json) upsertAnchors.push({ id: a.id, ord: anchorOrd(a.id), kind: a.kind, json });
  }
  const deleteAnchors = saved ? [...saved.anchors.keys()].filter((id) => !anchors.has(id)) : [];

  const turns = new Set<number>();
  const insertTurns: RowPlan['insertTurns'] = [];
  for (const t of state.session.turns) {
    turns.add(t.index);
    if (!saved?.turns.has(t.index)) insertTurns.push({ idx: t.index, id: t.id, json: JSON.stringify(t) });
  }
  const deleteTurns = saved ? [...saved.turns].filter((i) => !turns.has(i)) : [];

  const annotations = new Map<string, string>();
  const upsertAnnotations: RowPlan['upsertAnnotations'] = [];
  state.session.annotations.forEach((n, pos) => {
    const json = JSON.stringify(n);
    const key = `${pos}\u0000${json}`;
    annotations.set(n.id, key);
    if (saved?.annotations.get(n.id) !== key) upsertAnnotations.push({ id: n.id, pos, json });
  });
  const deleteAnnotations = saved ? [...saved.annotations.keys()].filter((id) => !annotations.has(id)) : [];

  const refinements = new Map<string, string>();
  const upsertRefinements: RowPlan['upsertRefinements'] = [];
  for (const [anchorId, r] of Object.entries(state.refinements)) {
    const json = JSON.stringify(r ?? null);
    refinements.set(anchorId, json);
    if (saved?.refinements.get(anchorId) !== json) upsertRefinements.push({ anchorId, json });
  }
  const deleteRefinements = saved ? [...saved.refinements.keys()].filter((id) => !refinements.has(id)) : [];

  return {
    session,
    metaChanged: saved?.meta !== session.metaJson,
    upsertAnchors,
    deleteAnchors,
    insertTurns,
    deleteTurns,
    upsertAnnotations,
    deleteAnnotations,
    upsertRefinements,
    deleteRefinements,
    next: { meta: session.metaJson, anchors, turns, annotations, refinements },
  };
}

export interface StoredRows {
  rev: number;
  metaJson: string;
  anchors: { id: string; json: string }[]; // in ord order
  turns: { idx: number; json: string }[]; // in idx order
  annotations: { id: string; pos: number; json: string }[]; // in pos order
  refinements: { anchorId: string; json: string }[];
}

/** Rebuilds the state from its rows, and the shape those rows represent. */
export function stateFromRows(rows: StoredRows): { state: SessionState; shape: SavedShape } {
  const meta = JSON.parse(rows.metaJson) as Omit<SessionState, 'refinements'> & { session: Session };
  const anchors: Anchor[] = rows.anchors.map((r) => JSON.parse(r.json) as Anchor);
  const turns: Turn[] = rows.turns.map((r) => JSON.parse(r.json) as Turn);
  const annotations: Annotation[] = rows.annotations.map((r) => JSON.parse(r.json) as Annotation);
  const refinements: Record<string, unknown> = {};
  for (const r of rows.refinements) refinements[r.anchorId] = JSON.parse(r.json);
  const session: Session = { ...meta.session, anchors, turns, annotations };
  const state = { ...meta, session, refinements } as SessionState;
  const shape: SavedShape = {
    rev: rows.rev,
    meta: rows.metaJson,
    anchors: new Map(rows.anchors.map((r) => [r.id, r.json])),
    turns: new Set(rows.turns.map((r) => r.idx)),
    annotations: new Map(rows.annotations.map((r) => [r.id, `${r.pos}\u0000${r.json}`])),
    refinements: new Map(rows.refinements.map((r) => [r.anchorId, r.json])),
  };
  return { state, shape };
}
