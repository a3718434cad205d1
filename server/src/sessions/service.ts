import type { Anchor, Geometry, Lang, Point, Session } from '../contract';
import type { Limits } from '../config';
import { ApiError, invalid, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import type { Analysers } from '../analysis/analysers';
import type { AnalysisEntry, AnalysisStore, SessionState, SessionStore } from '../store/types';
import { findingAnchor, geometryCenter, sizeMeasurements } from './anchors';

/** Sessions, their anchors and their lifetimes (api.md 8); no HTTP here. */
export class SessionService {
  constructor(
    private analyses: AnalysisStore,
    private sessions: SessionStore,
    private analysers: Analysers,
    private limits: Limits,
  ) {}

  private expiry = () => nowIso(Date.now() + this.limits.ttlSeconds * 1000);

  analysis(id: string): AnalysisEntry {
    const a = this.analyses.get(id);
    if (!a) throw notFound('analysis', id);
    return a;
  }

  create(analysisId: string, language: Lang = 'zh'): Session {
    const entry = this.analysis(analysisId);
    if (this.sessions.count() >= this.limits.maxSessions) {
      throw new ApiError('limit_exceeded', 'Too many live sessions.', { limit: 'maxSessions', actual: this.limits.maxSessions });
    }
    const now = nowIso();
    const anchors = entry.analysis.findings.map((f, i) => findingAnchor(`A${i + 1}`, f));
    const session: Session = {
      id: newId('ss_'), analysisId, language, createdAt: now, updatedAt: now, expiresAt: this.expiry(),
      focusAnchorId: null, anchors, turns: [], annotations: [],
    };
    this.sessions.save({ session, counters: { anchor: anchors.length, annotation: 0, turn: 0 }, refinements: {}, lastListed: [] });
    return session;
  }

  state(id: string): SessionState {
    const s = this.sessions.get(id);
    if (!s) throw notFound('session', id);
    // The session keeps its analysis alive; if the analysis is gone, so is the session.
    if (!this.analyses.get(s.session.analysisId)) { this.sessions.delete(id); throw notFound('session', id); }
    s.session.expiresAt = this.expiry();
    return s;
  }

  get(id: string): Session { return this.state(id).session; }

  delete(id: string): void {
    if (!this.sessions.get(id)) throw notFound('session', id);
    this.sessions.delete(id);
  }

  anchor(sessionId: string, anchorId: string): Anchor {
    const a = this.state(sessionId).session.anchors.find((x) => x.id === anchorId);
    if (!a) throw notFound('anchor', anchorId);
    return a;
  }

  /** Validates a drawn geometry against the image (api.md 8.3). */
  validateGeometry(g: Geometry, columns: number, rows: number): void {
    const inside = (p: Point) => p[0] >= 0 && p[0] <= columns && p[1] >= 0 && p[1] <= rows;
    const out = () => invalid('geometry', 'The geometry lies outside the image.', 'out_of_bounds');
    if (g.type === 'point') { if (!inside(g.point)) throw out(); return; }
    if (g.type === 'ellipse') {
      if (!(g.radii[0] > 0 && g.radii[1] > 0)) throw invalid('geometry.radii', 'Ellipse radii must be positive.', 'degenerate');
      if (!inside(g.center)) throw out();
      return;
    }
    if (g.type === 'polygon') {
      if (g.points.length < 3) throw invalid('geometry.points', 'A polygon needs at least 3 points.', 'degenerate');
      if (g.points.length > this.limits.maxPolygonPoints) {
        throw new ApiError('invalid_request', 'The polygon has too many points.', { field: 'geometry.points', limit: this.limits.maxPolygonPoints, actual: g.points.length });
      }
      if (!g.points.every(inside)) throw out();
      return;
    }
    throw invalid('geometry.type', 'Geometry type must be point, ellipse or polygon.');
  }

  /** A new anchor id, checking the per-session limit. */
  nextAnchorId(state: SessionState): string {
    if (state.session.anchors.length >= this.limits.maxAnchorsPerSession) {
      throw new ApiError('limit_exceeded', 'Too many anchors in this session.', { limit: 'maxAnchorsPerSession', actual: state.session.anchors.length });
    }
    state.counters.anchor += 1;
    return `A${state.counters.anchor}`;
  }

  /** Builds (without saving) a user anchor from a drawn geometry. */
  makeUserAnchor(state: SessionState, g: Geometry, opts: { label?: string; clientRef?: string; turnId?: string | null }): Anchor {
    const entry = this.analysis(state.session.analysisId);
    const info = entry.analysis.image;
    this.validateGeometry(g, info.columns, info.rows);
    const id = this.nextAnchorId(state);
    const center = geometryCenter(g);
    const location = entry.pixels.anatomyState && this.analysers.anatomy
      ? this.analysers.anatomy.locate(entry.pixels.anatomyState, center, info)
      : this.analysers.fallbackLocate(center, info);
    const kindName = g.type === 'point' ? { zh: '标记点', en: 'point' } : { zh: '区域', en: 'region' };
    const label = opts.label
      ? { zh: `${id} ${opts.label}`, en: `${id} ${opts.label}` }
      : { zh: `${id} 用户${kindName.zh}`, en: `${id} user ${kindName.en}` };
    return {
      id, kind: 'user', parentId: null, createdAt: nowIso(), createdByTurnId: opts.turnId ?? null, label,
      findingId: null, landmarkId: null, clientRef: opts.clientRef ?? null, geometry: g, center, location,
      measurements: sizeMeasurements(g, info), signs: [], features: null, relation: null, refinedBy: null,
    };
  }

  /** POST /sessions/:id/anchors: the new user anchor becomes the focus. */
  addUserAnchor(sessionId: string, g: Geometry, label?: string, clientRef?: string): Anchor {
    const state = this.state(sessionId);
    const anchor = this.makeUserAnchor(state, g, { label, clientRef });
    state.session.anchors.push(anchor);
    state.session.focusAnchorId = anchor.id;
    state.session.updatedAt = nowIso();
    this.sessions.save(state);
    return anchor;
  }

  /** DELETE of a user anchor removes its descendants and their annotations (api.md 8.3). */
  deleteAnchor(sessionId: string, anchorId: string): void {
    const state = this.state(sessionId);
    const s = state.session;
    const target = s.anchors.find((a) => a.id === anchorId);
    if (!target) throw notFound('anchor', anchorId);
    if (target.kind !== 'user') {
      throw new ApiError('anchor_not_deletable', `Anchor ${anchorId} is not a user anchor.`, { resource: 'anchor', id: anchorId });
    }
    const doomed = new Set([anchorId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of s.anchors) {
        const linked = (a.parentId && doomed.has(a.parentId)) || (a.relation && (doomed.has(a.relation.fromAnchorId) || (a.relation.toAnchorId !== null && doomed.has(a.relation.toAnchorId))));
        if (linked && !doomed.has(a.id)) { doomed.add(a.id); grew = true; }
      }
    }
    s.anchors = s.anchors.filter((a) => !doomed.has(a.id));
    s.annotations = s.annotations.filter((n) => !(n.anchorId && doomed.has(n.anchorId)));
    if (s.focusAnchorId && doomed.has(s.focusAnchorId)) s.focusAnchorId = null;
    for (const id of doomed) delete state.refinements[id];
    s.updatedAt = nowIso();
    this.sessions.save(state);
  }

  save(state: SessionState): void { state.session.updatedAt = nowIso(); this.sessions.save(state); }
}
