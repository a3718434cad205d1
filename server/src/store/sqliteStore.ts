import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Analysis } from '../contract';
import { listMigrations, MIGRATIONS_TABLE_SQL } from './migrations';
import { cacheKeyOf, modelsKeyOf, PixelCache } from './pixelCache';
import { planSave, stateFromRows, type SavedShape, type StoredRows } from './stateRows';
import type { AnalysisEntry, AnalysisStore, SessionState, SessionStore } from './types';

/**
 * The embedded durable store (api.md 1.9): SQLite in DATA_DIR (`cxr.sqlite`), through
 * better-sqlite3, which is synchronous, so this implements the same synchronous AnalysisStore and
 * SessionStore interfaces as the in-memory store.
 *
 * - WAL journal, `synchronous=FULL` by default: a save returns only after its WAL frames are
 *   fsynced, so an acknowledged turn survives a power loss, not only a kill -9 (with NORMAL a
 *   commit survives a process crash but the last commits can be lost if the machine goes down;
 *   the cost of FULL is one fsync per turn, a few ms on an SSD).
 * - One transaction per `save`: the session row, its anchors, turns, annotations and refinements
 *   are written together, so after a crash a turn is wholly there or not at all. Only rows that
 *   changed are written (turns are append-only).
 * - Id counters are columns of the session row; session and analysis ids are random (ids.ts).
 * - Analyses: the Analysis JSON, pixelDataSha256, model versions, last access; the pixels live in
 *   the content-addressed PixelCache (`DATA_DIR/cache`). TTL expiry and DELETE remove the rows
 *   and, when no other analysis uses the same key, the cached pixels.
 * - Reads keep parsed copies in memory, checked against the row's `rev` on every read. As with
 *   the memory store, the state returned by `get` is the live cached object: callers mutate it
 *   and `save` it (SessionService, DialogueService).
 * - TTL: `last_access` is refreshed on reads at most every min(60 s, ttl/20).
 * One server process per SQLite file; replicas share PostgreSQL instead (pgStore.ts).
 */

export interface SqliteStoreOptions {
  dataDir: string;
  ttlMs: number;
  now?: () => number;
  /** Database file (default `<dataDir>/cxr.sqlite`). */
  file?: string;
  /** Pixel cache folder (default `<dataDir>/cache`). */
  cacheDir?: string;
  synchronous?: 'FULL' | 'NORMAL';
  /** In-memory budget of decoded pixels (default 384 MiB). */
  hotBytes?: number;
  /** Disk quota of the pixel cache (CACHE_MAX_BYTES); LRU eviction above it. */
  cacheMaxBytes?: number;
  /** Parsed sessions kept in memory (default 64). */
  hotSessions?: number;
}

interface CachedSession {
  state: SessionState;
  shape: SavedShape;
}

/**
 * Creates the database file readable by its owner only (issue 11.13), and tightens one created
 * before; SQLite gives the -wal and -shm files the main file's permissions.
 */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

export class SqliteStores {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  readonly pixels: PixelCache;
  readonly file: string;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly touchEveryMs: number;
  private readonly sweepEveryMs: number;
  private readonly hotSessions: number;
  private lastSweep = -Infinity;
  private sessionsHot = new Map<string, CachedSession>();
  private analysesHot = new Map<string, Analysis>();
  private st: ReturnType<SqliteStores['prepare']>;

  constructor(opts: SqliteStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs;
    this.touchEveryMs = Math.max(0, Math.min(60_000, Math.floor(opts.ttlMs / 20)));
    this.sweepEveryMs = Math.max(0, Math.min(1_000, Math.floor(opts.ttlMs / 4)));
    this.hotSessions = opts.hotSessions ?? 64;
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.file = opts.file ?? path.join(opts.dataDir, 'cxr.sqlite');
    ownerOnly(this.file);
    this.db = new Database(this.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.pixels = new PixelCache(opts.cacheDir ?? path.join(opts.dataDir, 'cache'), {
      hotBytes: opts.hotBytes,
      maxBytes: opts.cacheMaxBytes,
    });
    this.st = this.prepare();
  }

  /** Applies the versioned files of migrations/ not yet recorded, each in one transaction. */
  private migrate(): void {
    this.db.exec(MIGRATIONS_TABLE_SQL);
    const done = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      this.db
        .transaction(() => {
          this.db.exec(m.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, Date.now());
        })
        .immediate();
    }
  }

  /** Versions applied, for tests and status. */
  schemaVersions(): number[] {
    return (
      this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    ).map((r) => r.version);
  }

  private prepare() {
    const d = this.db;
    return {
      analysisInsert:
        d.prepare(`INSERT INTO analyses (id, analysis_json, pixel_data_sha256, models_key, cache_key, created_at,
          last_access, acquired_day)
        VALUES (@id, @json, @sha, @models, @key, @now, @now, @day)
        ON CONFLICT (id) DO UPDATE SET analysis_json = excluded.analysis_json,
          pixel_data_sha256 = excluded.pixel_data_sha256,
          models_key = excluded.models_key, cache_key = excluded.cache_key, last_access = excluded.last_access,
          acquired_day = excluded.acquired_day`),
      analysisGet: d.prepare(
        'SELECT analysis_json AS json, cache_key AS key, last_access AS lastAccess, acquired_day AS day' +
          ' FROM analyses WHERE id = ?',
      ),
      analysisKey: d.prepare('SELECT cache_key AS key FROM analyses WHERE id = ?'),
      analysisTouch: d.prepare('UPDATE analyses SET last_access = ? WHERE id = ?'),
      analysisDelete: d.prepare('DELETE FROM analyses WHERE id = ?'),
      keyUsed: d.prepare('SELECT 1 FROM analyses WHERE cache_key = ? LIMIT 1'),
      sessionHead: d.prepare(
        'SELECT rev, last_access AS lastAccess, analysis_id AS analysisId FROM sessions WHERE id = ?',
      ),
      sessionMeta: d.prepare('SELECT rev, meta_json AS metaJson FROM sessions WHERE id = ?'),
      sessionTouch: d.prepare('UPDATE sessions SET last_access = ? WHERE id = ?'),
      sessionInsert: d.prepare(`INSERT INTO sessions (id, analysis_id, language, focus_anchor_id, anchor_counter,
          annotation_counter, turn_counter, meta_json, rev, created_at, last_access, prior_analysis_id,
          prior_interval_days)
        VALUES (@id, @analysisId, @language, @focusAnchorId, @anchorCounter, @annotationCounter, @turnCounter,
          @metaJson, 1, @now, @now, @priorAnalysisId, @priorIntervalDays)`),
      sessionUpdate: d.prepare(`UPDATE sessions SET language = @language, focus_anchor_id = @focusAnchorId,
          anchor_counter = @anchorCounter,
        annotation_counter = @annotationCounter, turn_counter = @turnCounter, meta_json = @metaJson, rev = rev + 1,
          last_access = @now,
        prior_analysis_id = @priorAnalysisId, prior_interval_days = @priorIntervalDays WHERE id = @id`),
      sessionDelete: d.prepare('DELETE FROM sessions WHERE id = ?'),
      sessionCount: d.prepare('SELECT count(*) AS n FROM sessions'),
      sessionsByAnalysis: d.prepare('SELECT id FROM sessions WHERE analysis_id = ? ORDER BY created_at, id'),
      anchorsOf: d.prepare('SELECT id, anchor_json AS json FROM anchors WHERE session_id = ? ORDER BY ord, id'),
      turnsOf: d.prepare('SELECT idx, turn_json AS json FROM turns WHERE session_id = ? ORDER BY idx'),
      annotationsOf: d.prepare(
        'SELECT id, pos, annotation_json AS json FROM annotations WHERE session_id = ? ORDER BY pos',
      ),
      refinementsOf: d.prepare(
        'SELECT anchor_id AS anchorId, refinement_json AS json' +
          ' FROM refinements WHERE session_id = ? ORDER BY anchor_id',
      ),
      anchorUpsert: d.prepare(`INSERT INTO anchors (session_id, id, ord, kind, anchor_json) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (session_id, id) DO UPDATE SET ord = excluded.ord, kind = excluded.kind,
          anchor_json = excluded.anchor_json`),
      anchorDelete: d.prepare('DELETE FROM anchors WHERE session_id = ? AND id = ?'),
      turnInsert: d.prepare('INSERT INTO turns (session_id, idx, id, turn_json) VALUES (?, ?, ?, ?)'),
      turnDelete: d.prepare('DELETE FROM turns WHERE session_id = ? AND idx = ?'),
      annotationUpsert: d.prepare(`INSERT INTO annotations (session_id, id, pos, annotation_json) VALUES (?, ?, ?, ?)
        ON CONFLICT (session_id, id) DO UPDATE SET pos = excluded.pos, annotation_json = excluded.annotation_json`),
      annotationDelete: d.prepare('DELETE FROM annotations WHERE session_id = ? AND id = ?'),
      refinementUpsert: d.prepare(`INSERT INTO refinements (session_id, anchor_id, refinement_json) VALUES (?, ?, ?)
        ON CONFLICT (session_id, anchor_id) DO UPDATE SET refinement_json = excluded.refinement_json`),
      refinementDelete: d.prepare('DELETE FROM refinements WHERE session_id = ? AND anchor_id = ?'),
      expiredSessions: d.prepare('SELECT id FROM sessions WHERE last_access < ?'),
      expiredAnalyses: d.prepare(`SELECT id, cache_key AS key FROM analyses a WHERE last_access < ?
        AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.analysis_id = a.id OR s.prior_analysis_id = a.id)`),
    };
  }

  // ---------------------------------------------------------------- analyses

  readonly analysisStore: AnalysisStore = {
    put: (entry) => this.putAnalysis(entry),
    putAsync: (entry) => this.putAnalysisAsync(entry),
    get: (id) => this.getAnalysis(id),
    delete: (id) => this.deleteAnalysis(id),
    count: () => {
      this.sweepMaybe();
      return (this.db.prepare('SELECT count(*) AS n FROM analyses').get() as { n: number }).n;
    },
  };

  /** putAnalysis with the pixel file written asynchronously; the row still follows the file. */
  private async putAnalysisAsync(entry: AnalysisEntry): Promise<void> {
    const a = entry.analysis;
    const key = cacheKeyOf(a);
    if (!this.pixels.has(key)) await this.pixels.putAsync(key, entry.pixels);
    this.insertAnalysisRow(entry, key);
  }

  private putAnalysis(entry: AnalysisEntry): void {
    const a = entry.analysis;
    const key = cacheKeyOf(a);
    // Pixels first: a row never points at a missing file (a crash in between leaves an orphan file only).
    if (!this.pixels.has(key)) this.pixels.put(key, entry.pixels);
    this.insertAnalysisRow(entry, key);
  }

  /** The analysis row (after its pixel file) and the in-memory bookkeeping of it. */
  private insertAnalysisRow(entry: AnalysisEntry, key: string): void {
    const a = entry.analysis;
    this.st.analysisInsert.run({
      id: a.id,
      json: JSON.stringify(a),
      sha: a.image.pixelDataSha256,
      models: modelsKeyOf(a.models),
      key,
      now: this.now(),
      day: entry.acquiredDay ?? null,
    });
    this.rememberAnalysis(a);
  }

  private getAnalysis(id: string): AnalysisEntry | null {
    this.sweepMaybe();
    const row = this.st.analysisGet.get(id) as
      { json: string; key: string; lastAccess: number; day: number | null } | undefined;
    if (!row) {
      this.analysesHot.delete(id);
      return null;
    }
    const now = this.now();
    if (now - row.lastAccess >= this.touchEveryMs) this.st.analysisTouch.run(now, id);
    let analysis = this.analysesHot.get(id);
    if (!analysis) {
      analysis = JSON.parse(row.json) as Analysis;
    }
    this.rememberAnalysis(analysis);
    const pixels = this.pixels.load(row.key);
    if (!pixels) return null;
    return { analysis, pixels, acquiredDay: row.day ?? null };
  }

  private deleteAnalysis(id: string): boolean {
    const row = this.st.analysisKey.get(id) as { key: string } | undefined;
    if (!row) return false;
    const sessions = this.sessionIdsOf(id);
    this.db
      .transaction(() => {
        for (const s of sessions) this.st.sessionDelete.run(s);
        this.st.analysisDelete.run(id);
      })
      .immediate();
    for (const s of sessions) this.sessionsHot.delete(s);
    this.analysesHot.delete(id);
    if (!this.st.keyUsed.get(row.key)) this.pixels.delete(row.key);
    return true;
  }

  private rememberAnalysis(a: Analysis): void {
    this.analysesHot.delete(a.id);
    this.analysesHot.set(a.id, a);
    if (this.analysesHot.size > 128) this.analysesHot.delete(this.analysesHot.keys().next().value as string);
  }

  // ---------------------------------------------------------------- sessions

  readonly sessionStore: SessionStore = {
    count: () => {
      this.sweepMaybe();
      return (this.st.sessionCount.get() as { n: number }).n;
    },
    get: (id) => this.getSession(id),
    save: (state) => this.saveSession(state),
    delete: (id) => {
      this.sessionsHot.delete(id);
      return this.st.sessionDelete.run(id).changes > 0;
    },
    byAnalysis: (analysisId) => this.sessionIdsOf(analysisId),
  };

  private sessionIdsOf(analysisId: string): string[] {
    return (this.st.sessionsByAnalysis.all(analysisId) as { id: string }[]).map((r) => r.id);
  }

  private loadRows(id: string): StoredRows | null {
    const head = this.st.sessionMeta.get(id) as { rev: number; metaJson: string } | undefined;
    if (!head) return null;
    return {
      rev: head.rev,
      metaJson: head.metaJson,
      anchors: this.st.anchorsOf.all(id) as StoredRows['anchors'],
      turns: this.st.turnsOf.all(id) as StoredRows['turns'],
      annotations: this.st.annotationsOf.all(id) as StoredRows['annotations'],
      refinements: this.st.refinementsOf.all(id) as StoredRows['refinements'],
    };
  }

  private getSession(id: string): SessionState | null {
    this.sweepMaybe();
    const head = this.st.sessionHead.get(id) as { rev: number; lastAccess: number; analysisId: string } | undefined;
    if (!head) {
      this.sessionsHot.delete(id);
      return null;
    }
    const now = this.now();
    if (now - head.lastAccess >= this.touchEveryMs) {
      this.db.transaction(() => {
        this.st.sessionTouch.run(now, id);
        this.st.analysisTouch.run(now, head.analysisId);
      })();
    }
    const hot = this.sessionsHot.get(id);
    if (hot && hot.shape.rev === head.rev) {
      this.rememberSession(id, hot);
      return hot.state;
    }
    // Read the rows in one read transaction so that a concurrent writer (another process) cannot tear them.
    const loaded = this.db.transaction(() => this.loadRows(id))();
    if (!loaded) return null;
    const c = stateFromRows(loaded);
    this.rememberSession(id, c);
    return c.state;
  }

  private saveSession(state: SessionState): void {
    const id = state.session.id;
    const now = this.now();
    const st = this.st;
    const shape = this.db
      .transaction((): SavedShape => {
        const head = st.sessionHead.get(id) as { rev: number } | undefined;
        let saved: SavedShape | null = null;
        if (head) {
          const hot = this.sessionsHot.get(id);
          if (hot && hot.shape.rev === head.rev) saved = hot.shape;
          else {
            const rows = this.loadRows(id);
            saved = rows ? stateFromRows(rows).shape : null;
          }
        }
        const plan = planSave(saved, state);
        const s = plan.session;
        if (head) st.sessionUpdate.run({ ...s, now });
        else st.sessionInsert.run({ ...s, now });
        for (const a of plan.deleteAnchors) st.anchorDelete.run(id, a);
        for (const a of plan.upsertAnchors) st.anchorUpsert.run(id, a.id, a.ord, a.kind, a.json);
        for (const i of plan.deleteTurns) st.turnDelete.run(id, i);
        for (const t of plan.insertTurns) st.turnInsert.run(id, t.idx, t.id, t.json);
        for (const n of plan.deleteAnnotations) st.annotationDelete.run(id, n);
        for (const n of plan.upsertAnnotations) st.annotationUpsert.run(id, n.id, n.pos, n.json);
        for (const r of plan.deleteRefinements) st.refinementDelete.run(id, r);
        for (const r of plan.upsertRefinements) st.refinementUpsert.run(id, r.anchorId, r.json);
        return { ...plan.next, rev: (head?.rev ?? 0) + 1 };
      })
      .immediate();
    this.rememberSession(id, { state, shape });
  }

  private rememberSession(id: string, c: CachedSession): void {
    this.sessionsHot.delete(id);
    this.sessionsHot.set(id, c);
    if (this.sessionsHot.size > this.hotSessions)
      this.sessionsHot.delete(this.sessionsHot.keys().next().value as string);
  }

  // ---------------------------------------------------------------- expiry

  private sweepMaybe(): void {
    const now = this.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    this.sweep();
  }

  /** Drops sessions idle longer than the TTL, then analyses idle as long that no session uses, and their pixels. */
  sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    const { sessions, analyses } = this.db
      .transaction(() => {
        const sessions = (this.st.expiredSessions.all(cutoff) as { id: string }[]).map((r) => r.id);
        for (const s of sessions) this.st.sessionDelete.run(s);
        const analyses = this.st.expiredAnalyses.all(cutoff) as { id: string; key: string }[];
        for (const a of analyses) this.st.analysisDelete.run(a.id);
        return { sessions, analyses };
      })
      .immediate();
    for (const s of sessions) this.sessionsHot.delete(s);
    for (const a of analyses) {
      this.analysesHot.delete(a.id);
      if (!this.st.keyUsed.get(a.key)) this.pixels.delete(a.key);
    }
  }

  expiresAt(lastAccess: number): number {
    return lastAccess + this.ttlMs;
  }

  /** The cached display frame of an image for the given model versions (see PixelCache.loadFrame). */
  loadFrame(pixelDataSha256: string, modelsKey: string, variant?: string) {
    return this.pixels.loadFrame(pixelDataSha256, modelsKey, variant);
  }

  /** For GET /status: what kind of store runs (no paths). */
  describe(): { kind: 'sqlite'; durable: true; schemaVersion: number } {
    return { kind: 'sqlite', durable: true, schemaVersion: Math.max(0, ...this.schemaVersions()) };
  }

  /** Forgets the parsed copy of one session (its next read comes from the database). */
  evictSession(id: string): void {
    this.sessionsHot.delete(id);
  }

  /** Forgets the parsed copies (tests: proves reads come from disk). */
  dropCaches(): void {
    this.sessionsHot.clear();
    this.analysesHot.clear();
    this.pixels.dropHot();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
