import path from 'node:path';
import { Pool, type PoolClient } from 'pg';
import type { Analysis } from '../contract';
import type { AsyncAnalysisStore, AsyncSessionStore, AsyncStores, SessionUpdate, StoreDescription } from './asyncTypes';
import { listMigrations, MIGRATIONS_TABLE_SQL } from './migrations';
import { cacheKeyOf, modelsKeyOf, PixelCache } from './pixelCache';
import { planSave, stateFromRows, type SavedShape, type StoredRows } from './stateRows';
import type { SessionState } from './types';

/**
 * The shared store for several server replicas (api.md 1.9, `DATABASE_URL=postgres://…`): the
 * same tables and migration files as the SQLite store, through node-postgres.
 *
 * - Concurrent turns on one session are serialised across replicas by `update`: it takes the
 *   session row with `SELECT … FOR UPDATE` inside the transaction that writes the turn, so a second
 *   replica's turn waits for the first one's commit and then sees its result.
 * - One transaction per save; only changed rows are written (stateRows.ts); `rev` tells a replica
 *   whether its parsed copy is current.
 * - Multi-table reads run in one REPEATABLE READ transaction, so a read never sees half a turn.
 * - Migrations run under a PostgreSQL advisory lock, so replicas starting together apply them once.
 * - Pixels: the content-addressed cache in `DATA_DIR/cache`, which replicas must share (same host,
 *   or a shared volume); an analysis whose cache file this replica cannot see reads as absent.
 */

export interface PgStoreOptions {
  databaseUrl: string;
  dataDir: string;
  ttlMs: number;
  now?: () => number;
  cacheDir?: string;
  hotBytes?: number;
  /** Disk quota of the pixel cache (CACHE_MAX_BYTES); LRU eviction above it. */
  cacheMaxBytes?: number;
  poolSize?: number;
  /** Background expiry sweep period (default min(60 s, ttl/4), at least 1 s); 0 disables it. */
  sweepEveryMs?: number;
}

const MIGRATION_LOCK = 0x63787231; // "cxr1"

interface CachedSession {
  state: SessionState;
  shape: SavedShape;
}

export class PgStores implements AsyncStores {
  readonly kind = 'postgres' as const;
  readonly pixels: PixelCache;
  readonly pool: Pool;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly touchEveryMs: number;
  private sessionsHot = new Map<string, CachedSession>();
  private analysesHot = new Map<string, Analysis>();
  private timer: NodeJS.Timeout | null = null;
  private schemaVersion = 0;

  private constructor(opts: PgStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs;
    this.touchEveryMs = Math.max(0, Math.min(60_000, Math.floor(opts.ttlMs / 20)));
    this.pool = new Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    this.pool.on('error', () => {
      /* an idle client lost its connection; the pool replaces it */
    });
    this.pixels = new PixelCache(opts.cacheDir ?? path.join(opts.dataDir, 'cache'), {
      hotBytes: opts.hotBytes,
      maxBytes: opts.cacheMaxBytes,
    });
  }

  /** Connects, applies pending migrations and starts the expiry sweep. */
  static async open(opts: PgStoreOptions): Promise<PgStores> {
    const s = new PgStores(opts);
    try {
      await s.migrate();
    } catch (e) {
      await s.pool.end();
      throw e;
    }
    const every = opts.sweepEveryMs ?? Math.max(1000, Math.min(60_000, Math.floor(opts.ttlMs / 4)));
    if (every > 0) {
      s.timer = setInterval(() => {
        void s.sweep().catch(() => undefined);
      }, every);
      s.timer.unref();
    }
    return s;
  }

  private async migrate(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await c.query(MIGRATIONS_TABLE_SQL);
      const done = new Set(
        (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) =>
          Number(r.version),
        ),
      );
      for (const m of listMigrations()) {
        if (done.has(m.version)) continue;
        await c.query('BEGIN');
        try {
          await c.query(m.sql);
          await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            Date.now(),
          ]);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK');
          throw e;
        }
      }
      const v = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      this.schemaVersion = Number(v.rows[0]?.v ?? 0);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      c.release();
    }
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(begin);
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  // ---------------------------------------------------------------- analyses

  readonly analysisStore: AsyncAnalysisStore = {
    put: async (entry) => {
      const a = entry.analysis;
      const key = cacheKeyOf(a);
      if (!this.pixels.has(key)) await this.pixels.putAsync(key, entry.pixels);
      const now = this.now();
      await this.pool.query(
        `INSERT INTO analyses (id, analysis_json, pixel_data_sha256, models_key, cache_key, created_at, last_access,
          acquired_day) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
        ON CONFLICT (id) DO UPDATE SET analysis_json = excluded.analysis_json,
          pixel_data_sha256 = excluded.pixel_data_sha256,
          models_key = excluded.models_key, cache_key = excluded.cache_key, last_access = excluded.last_access,
          acquired_day = excluded.acquired_day`,
        [a.id, JSON.stringify(a), a.image.pixelDataSha256, modelsKeyOf(a.models), key, now, entry.acquiredDay ?? null],
      );
      this.rememberAnalysis(a);
    },
    get: async (id) => {
      const now = this.now();
      const r = await this.pool.query<{ json: string | null; key: string; last_access: string; day: number | null }>(
        `SELECT ${this.analysesHot.has(id) ? 'NULL' : 'analysis_json'} AS json, cache_key AS key, last_access,
        acquired_day AS day FROM analyses WHERE id = $1 AND last_access >= $2`,
        [id, now - this.ttlMs],
      );
      const row = r.rows[0];
      if (!row) {
        this.analysesHot.delete(id);
        return null;
      }
      if (now - Number(row.last_access) >= this.touchEveryMs)
        await this.pool.query('UPDATE analyses SET last_access = $1 WHERE id = $2', [now, id]);
      const analysis = this.analysesHot.get(id) ?? (row.json ? (JSON.parse(row.json) as Analysis) : null);
      if (!analysis) return null;
      this.rememberAnalysis(analysis);
      const pixels = this.pixels.load(row.key);
      return pixels ? { analysis, pixels, acquiredDay: row.day === null ? null : Number(row.day) } : null;
    },
    delete: async (id) => {
      const key = await this.tx(async (c) => {
        const r = await c.query<{ key: string }>('DELETE FROM analyses WHERE id = $1 RETURNING cache_key AS key', [id]);
        return r.rows[0]?.key ?? null; // sessions, anchors, turns … go with it (ON DELETE CASCADE)
      });
      this.analysesHot.delete(id);
      if (key === null) return false;
      await this.dropPixelsIfUnused(key);
      return true;
    },
    count: async () => {
      const r = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM analyses WHERE last_access >= $1', [
        this.now() - this.ttlMs,
      ]);
      return Number(r.rows[0]?.n ?? 0);
    },
  };

  private async dropPixelsIfUnused(key: string): Promise<void> {
    const used = await this.pool.query('SELECT 1 FROM analyses WHERE cache_key = $1 LIMIT 1', [key]);
    if (used.rowCount === 0) this.pixels.delete(key);
  }

  private rememberAnalysis(a: Analysis): void {
    this.analysesHot.delete(a.id);
    this.analysesHot.set(a.id, a);
    if (this.analysesHot.size > 128) this.analysesHot.delete(this.analysesHot.keys().next().value as string);
  }

  // ---------------------------------------------------------------- sessions

  private async loadRows(c: PoolClient, id: string): Promise<StoredRows | null> {
    const head = await c.query<{ rev: string; meta_json: string }>(
      'SELECT rev, meta_json FROM sessions WHERE id = $1',
      [id],
    );
    const h = head.rows[0];
    if (!h) return null;
    const [anchors, turns, annotations, refinements] = [
      await c.query<{ id: string; json: string }>(
        'SELECT id, anchor_json AS json FROM anchors WHERE session_id = $1 ORDER BY ord, id',
        [id],
      ),
      await c.query<{ idx: number; json: string }>(
        'SELECT idx, turn_json AS json FROM turns WHERE session_id = $1 ORDER BY idx',
        [id],
      ),
      await c.query<{ id: string; pos: number; json: string }>(
        'SELECT id, pos, annotation_json AS json FROM annotations WHERE session_id = $1 ORDER BY pos',
        [id],
      ),
      await c.query<{ anchorId: string; json: string }>(
        'SELECT anchor_id AS "anchorId", refinement_json AS json' +
          ' FROM refinements WHERE session_id = $1 ORDER BY anchor_id',
        [id],
      ),
    ];
    return {
      rev: Number(h.rev),
      metaJson: h.meta_json,
      anchors: anchors.rows,
      turns: turns.rows.map((r) => ({ idx: Number(r.idx), json: r.json })),
      annotations: annotations.rows.map((r) => ({ id: r.id, pos: Number(r.pos), json: r.json })),
      refinements: refinements.rows,
    };
  }

  /** The current state through `c` (inside a transaction), from the parsed copy when its rev is current. */
  private async current(c: PoolClient, id: string, rev: number): Promise<CachedSession | null> {
    const hot = this.sessionsHot.get(id);
    if (hot && hot.shape.rev === rev) return hot;
    const rows = await this.loadRows(c, id);
    return rows ? stateFromRows(rows) : null;
  }

  /** Writes `state` through `c` (inside a transaction holding the row), returns the new shape. */
  private async write(c: PoolClient, state: SessionState, saved: SavedShape | null): Promise<SavedShape> {
    const id = state.session.id;
    const plan = planSave(saved, state);
    const s = plan.session;
    const now = this.now();
    const prior = [s.priorAnalysisId, s.priorIntervalDays];
    const rest = [s.metaJson, now, ...prior];
    let rev: number;
    if (saved) {
      const r = await c.query<{ rev: string }>(
        `UPDATE sessions SET language = $2, focus_anchor_id = $3, anchor_counter = $4, annotation_counter = $5,
        turn_counter = $6, meta_json = $7, rev = rev + 1, last_access = $8, prior_analysis_id = $9,
        prior_interval_days = $10 WHERE id = $1 RETURNING rev`,
        [
          id,
          s.language,
          s.focusAnchorId,
          s.anchorCounter,
          s.annotationCounter,
          s.turnCounter,
          s.metaJson,
          now,
          ...prior,
        ],
      );
      rev = Number(r.rows[0]!.rev);
    } else {
      // Absent (new, or deleted meanwhile): start over from an empty set of rows.
      await c.query('DELETE FROM sessions WHERE id = $1', [id]);
      await c.query(
        `INSERT INTO sessions (id, analysis_id, language, focus_anchor_id, anchor_counter, annotation_counter,
          turn_counter, meta_json, rev, created_at, last_access, prior_analysis_id, prior_interval_days)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $10, $11)`,
        [id, s.analysisId, s.language, s.focusAnchorId, s.anchorCounter, s.annotationCounter, s.turnCounter, ...rest],
      );
      rev = 1;
    }
    for (const a of plan.deleteAnchors) await c.query('DELETE FROM anchors WHERE session_id = $1 AND id = $2', [id, a]);
    for (const a of plan.upsertAnchors) {
      await c.query(
        `INSERT INTO anchors (session_id, id, ord, kind, anchor_json) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (session_id, id) DO UPDATE SET ord = excluded.ord, kind = excluded.kind,
          anchor_json = excluded.anchor_json`,
        [id, a.id, a.ord, a.kind, a.json],
      );
    }
    for (const i of plan.deleteTurns) await c.query('DELETE FROM turns WHERE session_id = $1 AND idx = $2', [id, i]);
    for (const t of plan.insertTurns)
      await c.query('INSERT INTO turns (session_id, idx, id, turn_json) VALUES ($1, $2, $3, $4)', [
        id,
        t.idx,
        t.id,
        t.json,
      ]);
    for (const n of plan.deleteAnnotations)
      await c.query('DELETE FROM annotations WHERE session_id = $1 AND id = $2', [id, n]);
    for (const n of plan.upsertAnnotations) {
      await c.query(
        `INSERT INTO annotations (session_id, id, pos, annotation_json) VALUES ($1, $2, $3, $4)
        ON CONFLICT (session_id, id) DO UPDATE SET pos = excluded.pos, annotation_json = excluded.annotation_json`,
        [id, n.id, n.pos, n.json],
      );
    }
    for (const r of plan.deleteRefinements)
      await c.query('DELETE FROM refinements WHERE session_id = $1 AND anchor_id = $2', [id, r]);
    for (const r of plan.upsertRefinements) {
      await c.query(
        `INSERT INTO refinements (session_id, anchor_id, refinement_json) VALUES ($1, $2, $3)
        ON CONFLICT (session_id, anchor_id) DO UPDATE SET refinement_json = excluded.refinement_json`,
        [id, r.anchorId, r.json],
      );
    }
    return { ...plan.next, rev };
  }

  readonly sessionStore: AsyncSessionStore = {
    count: async () => {
      const r = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM sessions WHERE last_access >= $1', [
        this.now() - this.ttlMs,
      ]);
      return Number(r.rows[0]!.n);
    },
    get: async (id) => {
      const now = this.now();
      const head = await this.pool.query<{ rev: string; last_access: string; analysis_id: string }>(
        'SELECT rev, last_access, analysis_id FROM sessions WHERE id = $1 AND last_access >= $2',
        [id, now - this.ttlMs],
      );
      const h = head.rows[0];
      if (!h) {
        this.sessionsHot.delete(id);
        return null;
      }
      if (now - Number(h.last_access) >= this.touchEveryMs) {
        await this.pool.query('UPDATE sessions SET last_access = greatest(last_access, $1) WHERE id = $2', [now, id]);
        await this.pool.query('UPDATE analyses SET last_access = greatest(last_access, $1) WHERE id = $2', [
          now,
          h.analysis_id,
        ]);
      }
      const hot = this.sessionsHot.get(id);
      if (hot && hot.shape.rev === Number(h.rev)) {
        this.rememberSession(id, hot);
        return hot.state;
      }
      const rows = await this.tx((c) => this.loadRows(c, id), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (!rows) return null;
      const cs = stateFromRows(rows);
      this.rememberSession(id, cs);
      return cs.state;
    },
    save: async (state) => {
      const id = state.session.id;
      try {
        const shape = await this.tx(async (c) => {
          const head = await c.query<{ rev: string }>('SELECT rev FROM sessions WHERE id = $1 FOR UPDATE', [id]);
          const h = head.rows[0];
          const saved = h ? ((await this.current(c, id, Number(h.rev)))?.shape ?? null) : null;
          return this.write(c, state, saved);
        });
        this.rememberSession(id, { state, shape });
      } catch (e) {
        this.sessionsHot.delete(id);
        throw e;
      }
    },
    delete: async (id) => {
      this.sessionsHot.delete(id);
      const r = await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
      return (r.rowCount ?? 0) > 0;
    },
    byAnalysis: async (analysisId) => {
      const r = await this.pool.query<{ id: string }>(
        'SELECT id FROM sessions WHERE analysis_id = $1 ORDER BY created_at, id',
        [analysisId],
      );
      return r.rows.map((x) => x.id);
    },
    update: async <T>(
      id: string,
      fn: (state: SessionState | null) => SessionUpdate<T> | Promise<SessionUpdate<T>>,
    ): Promise<T> => {
      let saved: CachedSession | null = null;
      try {
        const out = await this.tx(async (c) => {
          // The row lock: a second update of this session (any replica) waits here until we commit.
          const head = await c.query<{ rev: string; last_access: string }>(
            'SELECT rev, last_access FROM sessions WHERE id = $1 FOR UPDATE',
            [id],
          );
          const h = head.rows[0];
          const live = h && Number(h.last_access) >= this.now() - this.ttlMs;
          const cur = live ? await this.current(c, id, Number(h.rev)) : null;
          const r = await fn(cur ? cur.state : null);
          if (r.save)
            saved = {
              state: r.save,
              shape: await this.write(
                c,
                r.save,
                h ? (cur?.shape ?? (await this.current(c, id, Number(h.rev)))?.shape ?? null) : null,
              ),
            };
          return r.result;
        });
        if (saved) this.rememberSession(id, saved);
        return out;
      } catch (e) {
        this.sessionsHot.delete(id);
        throw e;
      }
    },
  };

  private rememberSession(id: string, c: CachedSession): void {
    this.sessionsHot.delete(id);
    this.sessionsHot.set(id, c);
    if (this.sessionsHot.size > 64) this.sessionsHot.delete(this.sessionsHot.keys().next().value as string);
  }

  /** Drops expired sessions, then expired analyses no session uses, and their pixels. */
  async sweep(): Promise<void> {
    const cutoff = this.now() - this.ttlMs;
    const keys = await this.tx(async (c) => {
      const s = await c.query<{ id: string }>('DELETE FROM sessions WHERE last_access < $1 RETURNING id', [cutoff]);
      for (const r of s.rows) this.sessionsHot.delete(r.id);
      const a = await c.query<{ id: string; key: string }>(
        `DELETE FROM analyses a WHERE last_access < $1
        AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.analysis_id = a.id OR s.prior_analysis_id = a.id)
        RETURNING id, cache_key AS key`,
        [cutoff],
      );
      for (const r of a.rows) this.analysesHot.delete(r.id);
      return [...new Set(a.rows.map((r) => r.key))];
    });
    for (const k of keys) await this.dropPixelsIfUnused(k);
  }

  describe(): StoreDescription {
    return { kind: 'postgres', durable: true, schemaVersion: this.schemaVersion };
  }

  loadFrame(pixelDataSha256: string, modelsKey: string, variant?: string) {
    return this.pixels.loadFrame(pixelDataSha256, modelsKey, variant);
  }

  dropCaches(): void {
    this.sessionsHot.clear();
    this.analysesHot.clear();
    this.pixels.dropHot();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pool.end();
  }
}
