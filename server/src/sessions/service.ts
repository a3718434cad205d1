import type { Anchor, Geometry, Lang, Point, Session } from '../contract';
import type { Limits } from '../config';
import { ApiError, invalid, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { locatePoint, type Analysers } from '../analysis/analysers';
import type { AsyncAnalysisStore, AsyncSessionStore } from '../store/asyncTypes';
import type { AnalysisEntry, SessionState } from '../store/types';
import { findingAnchor, geometryCenter, makeAnchor, sizeMeasurements } from './anchors';
import { SessionLedger } from './ledger';
import { cleanLabel } from '../safeText';
import { checkPrior } from '../analysis/prior/attach';

/** The client a session is created for when the caller names none (tests, scripts). */
const ANONYMOUS_CLIENT = 'anonymous';

/** Sessions, their anchors and their lifetimes (api.md 8); no HTTP here. */
export class SessionService {
  constructor(
    private analyses: AsyncAnalysisStore,
    private sessions: AsyncSessionStore,
    private analysers: Analysers,
    private limits: Limits,
    now: () => number = Date.now,
  ) {
    this.ledger = new SessionLedger(now);
  }

  /** Per-client ownership and last use of live sessions (quotas, idle eviction). */
  readonly ledger: SessionLedger;

  private expiry = () => nowIso(Date.now() + this.limits.ttlSeconds * 1000);

  async analysis(id: string): Promise<AnalysisEntry> {
    const a = await this.analyses.get(id);
    if (!a) throw notFound('analysis', id);
    return a;
  }

  async create(analysisId: string, language: Lang = 'zh', client: string = ANONYMOUS_CLIENT): Promise<Session> {
    const entry = await this.analysis(analysisId);
    await this.makeRoomFor(client);
    const now = nowIso();
    const anchors = entry.analysis.findings.map((f, i) => findingAnchor(`A${i + 1}`, f));
    const session: Session = {
      id: newId('ss_'),
      analysisId,
      language,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiry(),
      focusAnchorId: null,
      anchors,
      turns: [],
      annotations: [],
    };
    await this.sessions.save({
      session,
      counters: { anchor: anchors.length, annotation: 0, turn: 0 },
      refinements: {},
      lastListed: [],
    });
    this.ledger.add(session.id, client);
    return session;
  }

  /**
   * Per-client quota, then the global one (issue 11.7). A client at `maxSessionsPerClient` loses its
   * own least recently used session if that one has been idle `sessionIdleSeconds`, else gets 429;
   * a full server evicts the idlest session of anyone, idle as long, else 429.
   */
  private async makeRoomFor(client: string): Promise<void> {
    const idleMs = this.limits.sessionIdleSeconds * 1000;
    this.ledger.prune(this.limits.ttlSeconds * 1000);
    const mine = this.ledger.ownedBy(client);
    if (mine.length >= this.limits.maxSessionsPerClient) {
      const oldest = mine[0]!;
      if (this.ledger.idleFor(oldest) < idleMs) {
        throw new ApiError('limit_exceeded', 'Too many live sessions for this client.', {
          limit: 'maxSessionsPerClient',
          actual: mine.length,
        });
      }
      await this.evict(oldest.id);
    }
    // Bounded: each pass removes one ledger entry or stops.
    for (let i = 0; i < this.limits.maxSessions + 1; i++) {
      if ((await this.sessions.count()) < this.limits.maxSessions) return;
      const victim = this.ledger.idlest(idleMs);
      if (!victim) break;
      await this.evict(victim.id);
    }
    throw new ApiError('limit_exceeded', 'Too many live sessions.', {
      limit: 'maxSessions',
      actual: this.limits.maxSessions,
    });
  }

  private async evict(id: string): Promise<void> {
    this.ledger.remove(id);
    await this.sessions.delete(id);
  }

  /** A live session with its analysis (a session keeps its analysis alive; without it the session is gone). */
  async open(id: string): Promise<{ state: SessionState; entry: AnalysisEntry }> {
    const state = await this.sessions.get(id);
    if (!state) {
      this.ledger.remove(id);
      throw notFound('session', id);
    }
    this.ledger.touch(id);
    return { state, entry: await this.entryFor(state) };
  }

  private async entryFor(state: SessionState): Promise<AnalysisEntry> {
    const entry = await this.analyses.get(state.session.analysisId);
    if (!entry) {
      await this.sessions.delete(state.session.id);
      throw notFound('session', state.session.id);
    }
    state.session.expiresAt = this.expiry();
    return entry;
  }

  async get(id: string): Promise<Session> {
    return (await this.open(id)).state.session;
  }

  async delete(id: string): Promise<void> {
    this.ledger.remove(id);
    if (!(await this.sessions.delete(id))) throw notFound('session', id);
  }

  async anchor(sessionId: string, anchorId: string): Promise<Anchor> {
    const a = (await this.open(sessionId)).state.session.anchors.find((x) => x.id === anchorId);
    if (!a) throw notFound('anchor', anchorId);
    return a;
  }

  /** Validates a drawn geometry against the image (api.md 8.3). */
  validateGeometry(g: Geometry, columns: number, rows: number): void {
    const inside = (p: Point) => p[0] >= 0 && p[0] <= columns && p[1] >= 0 && p[1] <= rows;
    const out = () => invalid('geometry', 'The geometry lies outside the image.', 'out_of_bounds');
    if (g.type === 'point') {
      if (!inside(g.point)) throw out();
      return;
    }
    if (g.type === 'ellipse') {
      if (!(g.radii[0] > 0 && g.radii[1] > 0))
        throw invalid('geometry.radii', 'Ellipse radii must be positive.', 'degenerate');
      if (Math.max(g.radii[0], g.radii[1]) > Math.max(columns, rows))
        throw invalid('geometry.radii', 'Ellipse radii must not exceed the image size.', 'out_of_bounds');
      if (!inside(g.center)) throw out();
      return;
    }
    if (g.type === 'polygon') {
      if (g.points.length < 3) throw invalid('geometry.points', 'A polygon needs at least 3 points.', 'degenerate');
      if (g.points.length > this.limits.maxPolygonPoints) {
        throw new ApiError('invalid_request', 'The polygon has too many points.', {
          field: 'geometry.points',
          limit: this.limits.maxPolygonPoints,
          actual: g.points.length,
        });
      }
      if (!g.points.every(inside)) throw out();
      return;
    }
    throw invalid('geometry.type', 'Geometry type must be point, ellipse or polygon.');
  }

  /** A new anchor id, checking the per-session limit. */
  nextAnchorId(state: SessionState): string {
    if (state.session.anchors.length >= this.limits.maxAnchorsPerSession) {
      throw new ApiError('limit_exceeded', 'Too many anchors in this session.', {
        limit: 'maxAnchorsPerSession',
        actual: state.session.anchors.length,
      });
    }
    state.counters.anchor += 1;
    return `A${state.counters.anchor}`;
  }

  /** Builds (without saving) a user anchor from a drawn geometry. */
  makeUserAnchor(
    state: SessionState,
    entry: AnalysisEntry,
    g: Geometry,
    opts: { label?: string; clientRef?: string; turnId?: string | null },
  ): Anchor {
    const info = entry.analysis.image;
    this.validateGeometry(g, info.columns, info.rows);
    const id = this.nextAnchorId(state);
    const center = geometryCenter(g);
    const location = locatePoint(this.analysers, entry.pixels.anatomyState, center, info);
    const kindName = g.type === 'point' ? { zh: '标记点', en: 'point' } : { zh: '区域', en: 'region' };
    const text = opts.label ? cleanLabel(opts.label) : '';
    const label = text
      ? { zh: `${id} ${text}`, en: `${id} ${text}` }
      : { zh: `${id} 用户${kindName.zh}`, en: `${id} user ${kindName.en}` };
    return makeAnchor({
      id,
      kind: 'user',
      createdByTurnId: opts.turnId ?? null,
      label,
      clientRef: opts.clientRef ?? null,
      geometry: g,
      center,
      location,
      measurements: sizeMeasurements(g, info),
    });
  }

  /** POST /sessions/:id/anchors: the new user anchor becomes the focus. */
  addUserAnchor(sessionId: string, g: Geometry, label?: string, clientRef?: string): Promise<Anchor> {
    return this.update(sessionId, (state, entry) => {
      const anchor = this.makeUserAnchor(state, entry, g, { label, clientRef });
      state.session.anchors.push(anchor);
      state.session.focusAnchorId = anchor.id;
      return anchor;
    });
  }

  /**
   * Read-modify-write of one session under its lock (serialised across replicas). `fn` works on a
   * copy; if it throws, nothing is written: a change is all there or not at all.
   */
  update<T>(sessionId: string, fn: (state: SessionState, entry: AnalysisEntry) => T | Promise<T>): Promise<T> {
    return this.sessions.update(sessionId, async (current) => {
      if (!current) {
        this.ledger.remove(sessionId);
        throw notFound('session', sessionId);
      }
      this.ledger.touch(sessionId);
      const entry = await this.entryFor(current);
      const work: SessionState = structuredClone(current);
      const result = await fn(work, entry);
      work.session.updatedAt = nowIso();
      return { save: work, result };
    });
  }

  /**
   * PUT /sessions/:id/prior (api.md 8.4): the prior must be another, earlier frontal chest film
   * (422 otherwise); only the interval is kept, never a date.
   */
  async setPrior(sessionId: string, priorAnalysisId: string): Promise<Session> {
    const prior = await this.analyses.get(priorAnalysisId);
    if (!prior) throw notFound('analysis', priorAnalysisId);
    return this.update(sessionId, (state, entry) => {
      state.session.prior = checkPrior(entry, prior);
      return state.session;
    });
  }

  /**
   * The attached prior's analysis, or null when none is attached or it has expired; reading it
   * touches it, so a session in use keeps its prior alive.
   */
  async priorEntry(state: SessionState): Promise<AnalysisEntry | null> {
    const id = state.session.prior?.analysisId;
    return id ? await this.analyses.get(id) : null;
  }

  /** DELETE /sessions/:id/prior: detaches the prior (no error when none is attached). */
  async clearPrior(sessionId: string): Promise<void> {
    await this.update(sessionId, (state) => {
      state.session.prior = null;
    });
  }

  /** DELETE of a user anchor removes its descendants and their annotations (api.md 8.3). */
  deleteAnchor(sessionId: string, anchorId: string): Promise<void> {
    return this.update(sessionId, (state) => {
      const s = state.session;
      const target = s.anchors.find((a) => a.id === anchorId);
      if (!target) throw notFound('anchor', anchorId);
      if (target.kind !== 'user') {
        throw new ApiError('anchor_not_deletable', `Anchor ${anchorId} is not a user anchor.`, {
          resource: 'anchor',
          id: anchorId,
        });
      }
      const doomed = new Set([anchorId]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const a of s.anchors) {
          const linked =
            (a.parentId && doomed.has(a.parentId)) ||
            (a.relation &&
              (doomed.has(a.relation.fromAnchorId) ||
                (a.relation.toAnchorId !== null && doomed.has(a.relation.toAnchorId))));
          if (linked && !doomed.has(a.id)) {
            doomed.add(a.id);
            grew = true;
          }
        }
      }
      s.anchors = s.anchors.filter((a) => !doomed.has(a.id));
      s.annotations = s.annotations.filter((n) => !(n.anchorId && doomed.has(n.anchorId)));
      if (s.focusAnchorId && doomed.has(s.focusAnchorId)) s.focusAnchorId = null;
      for (const id of doomed) delete state.refinements[id];
    });
  }
}
