import type { AnalysisEntry, AnalysisStore, SessionState, SessionStore } from './types';

interface Timed<T> {
  value: T;
  lastAccess: number;
}

/**
 * In-memory stores with TTL since last access (api.md 1.9). A session keeps its analysis
 * alive: reading a session touches its analysis too.
 */
export class MemoryStores {
  private analyses = new Map<string, Timed<AnalysisEntry>>();
  private sessions = new Map<string, Timed<SessionState>>();

  constructor(
    private ttlMs: number,
    private now: () => number = Date.now,
  ) {}

  readonly analysisStore: AnalysisStore = {
    put: (entry) => {
      this.analyses.set(entry.analysis.id, { value: entry, lastAccess: this.now() });
    },
    get: (id) => {
      this.sweep();
      const t = this.analyses.get(id);
      if (!t) return null;
      t.lastAccess = this.now();
      return t.value;
    },
    delete: (id) => {
      for (const sid of this.sessionStore.byAnalysis(id)) this.sessions.delete(sid);
      return this.analyses.delete(id);
    },
    count: () => {
      this.sweep();
      return this.analyses.size;
    },
  };

  readonly sessionStore: SessionStore = {
    count: () => {
      this.sweep();
      return this.sessions.size;
    },
    get: (id) => {
      this.sweep();
      const t = this.sessions.get(id);
      if (!t) return null;
      t.lastAccess = this.now();
      const a = this.analyses.get(t.value.session.analysisId);
      if (a) a.lastAccess = t.lastAccess;
      return t.value;
    },
    save: (state) => {
      this.sessions.set(state.session.id, { value: state, lastAccess: this.now() });
    },
    delete: (id) => this.sessions.delete(id),
    byAnalysis: (analysisId) =>
      [...this.sessions.entries()].filter(([, t]) => t.value.session.analysisId === analysisId).map(([id]) => id),
  };

  /** Drops entries idle longer than the TTL; an analysis stays while a live session uses it (or its prior). */
  sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, t] of this.sessions) if (t.lastAccess < cutoff) this.sessions.delete(id);
    // a live session keeps its analysis and its attached prior (api.md 8.4)
    const used = new Set(
      [...this.sessions.values()].flatMap((t) => [t.value.session.analysisId, t.value.session.prior?.analysisId ?? '']),
    );
    for (const [id, t] of this.analyses) if (t.lastAccess < cutoff && !used.has(id)) this.analyses.delete(id);
  }

  expiresAt(lastAccess: number): number {
    return lastAccess + this.ttlMs;
  }
}
