import type { CachedFrame } from './pixelCache';
import type { AnalysisEntry, AnalysisStore, SessionState, SessionStore } from './types';

/**
 * The store interfaces for a backend that cannot answer synchronously (PostgreSQL). Same methods
 * as types.ts, returning promises, plus `update`: a read-modify-write of one session under a lock
 * that holds across server processes (PostgreSQL: `SELECT … FOR UPDATE` on the session row inside
 * the transaction that writes the turn), so concurrent turns on one session from two replicas are
 * serialised, never interleaved.
 *
 * `asyncFromSync` wraps a synchronous store (memory or SQLite) in these interfaces, so the server
 * can use one code path whatever the configuration.
 */

export interface AsyncAnalysisStore {
  put(entry: AnalysisEntry): Promise<void>;
  /** The entry (its lifetime extended), or null when unknown or expired. */
  get(id: string): Promise<AnalysisEntry | null>;
  delete(id: string): Promise<boolean>;
  /** Live (unexpired) analyses, for the MAX_ANALYSES cap (absent: not enforced). */
  count?(): Promise<number>;
}

/** What an `update` callback returns: the state to write (null: write nothing) and its result. */
export interface SessionUpdate<T> {
  save: SessionState | null;
  result: T;
}

export interface AsyncSessionStore {
  count(): Promise<number>;
  get(id: string): Promise<SessionState | null>;
  /** Writes the whole state of one session in one transaction. */
  save(state: SessionState): Promise<void>;
  delete(id: string): Promise<boolean>;
  byAnalysis(analysisId: string): Promise<string[]>;
  /**
   * Runs `fn` with the session's current state (null when unknown or expired) while holding the
   * session's lock, and writes what it returns in the same transaction. If `fn` throws, nothing is
   * written and the error is rethrown. Calls for the same session run one after the other, in this
   * process and across processes sharing the database.
   */
  update<T>(id: string, fn: (state: SessionState | null) => SessionUpdate<T> | Promise<SessionUpdate<T>>): Promise<T>;
}

export interface StoreDescription {
  kind: 'memory' | 'sqlite' | 'postgres';
  durable: boolean;
  schemaVersion: number | null;
}

export interface AsyncStores {
  readonly kind: StoreDescription['kind'];
  readonly analysisStore: AsyncAnalysisStore;
  readonly sessionStore: AsyncSessionStore;
  describe(): StoreDescription;
  /** The cached display frame for re-running models after a restart (null without a cache). */
  loadFrame(pixelDataSha256: string, modelsKey: string, variant?: string): CachedFrame | null;
  close(): Promise<void>;
}

/** A synchronous store (MemoryStores, SqliteStores) seen through the async interfaces. */
export interface SyncStoresLike {
  analysisStore: AnalysisStore;
  sessionStore: SessionStore;
  kind?: 'memory' | 'sqlite';
  describe?(): StoreDescription;
  loadFrame?(pixelDataSha256: string, modelsKey: string, variant?: string): CachedFrame | null;
  /** Forget the in-memory copy of a session (after a failed update mutated it). */
  evictSession?(id: string): void;
  close?(): void;
}

/**
 * Wraps a synchronous store. `update` is serialised per session by a promise chain (one process
 * owns a SQLite file or a memory store, so an in-process lock is enough).
 */
export function asyncFromSync(s: SyncStoresLike): AsyncStores {
  const queues = new Map<string, Promise<unknown>>();
  const a = s.analysisStore,
    ss = s.sessionStore;
  const kind = s.kind ?? 'memory';
  return {
    kind,
    analysisStore: {
      put: async (e) => {
        if (a.putAsync) await a.putAsync(e);
        else a.put(e);
      },
      get: async (id) => a.get(id),
      delete: async (id) => a.delete(id),
      count: a.count ? async () => a.count!() : undefined,
    },
    sessionStore: {
      count: async () => ss.count(),
      get: async (id) => ss.get(id),
      save: async (st) => ss.save(st),
      delete: async (id) => ss.delete(id),
      byAnalysis: async (id) => ss.byAnalysis(id),
      update<T>(
        id: string,
        fn: (state: SessionState | null) => SessionUpdate<T> | Promise<SessionUpdate<T>>,
      ): Promise<T> {
        const prev = queues.get(id) ?? Promise.resolve();
        const next = prev
          .catch(() => undefined)
          .then(async () => {
            try {
              const r = await fn(ss.get(id));
              if (r.save) ss.save(r.save);
              return r.result;
            } catch (e) {
              s.evictSession?.(id);
              throw e;
            }
          });
        queues.set(id, next);
        void next
          .finally(() => {
            if (queues.get(id) === next) queues.delete(id);
          })
          .catch(() => undefined);
        return next;
      },
    },
    describe: () => s.describe?.() ?? { kind, durable: kind !== 'memory', schemaVersion: null },
    loadFrame: (sha, mk, v) => s.loadFrame?.(sha, mk, v) ?? null,
    close: async () => {
      s.close?.();
    },
  };
}
