-- 001: sessions, their anchors, turns, annotations and refinement results, and analyses.
-- Portable SQL: the same file is applied by the SQLite store and the PostgreSQL store.
-- JSON is kept as TEXT (the server reads and writes whole objects; no SQL looks inside).
-- Times used for expiry are epoch milliseconds (BIGINT); contract times stay in the JSON.

CREATE TABLE analyses (
  id                TEXT PRIMARY KEY,
  analysis_json     TEXT NOT NULL,
  pixel_data_sha256 TEXT NOT NULL,
  models_key        TEXT NOT NULL,      -- "cxr-anatomy@1,cxr-lesion@2" ("" without models)
  cache_key         TEXT NOT NULL,      -- content address of the cached pixels (pixelCache.ts)
  created_at        BIGINT NOT NULL,
  last_access       BIGINT NOT NULL
);
CREATE INDEX analyses_last_access ON analyses (last_access);
CREATE INDEX analyses_cache_key ON analyses (cache_key);

CREATE TABLE sessions (
  id                 TEXT PRIMARY KEY,
  analysis_id        TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
  language           TEXT NOT NULL,
  focus_anchor_id    TEXT,
  anchor_counter     INTEGER NOT NULL,  -- ids are never reused: counters live with the session
  annotation_counter INTEGER NOT NULL,
  turn_counter       INTEGER NOT NULL,
  meta_json          TEXT NOT NULL,     -- the session object without its arrays, counters, lastListed, other state
  rev                BIGINT NOT NULL,   -- bumped by every save; lets a process trust its cached copy
  created_at         BIGINT NOT NULL,
  last_access        BIGINT NOT NULL
);
CREATE INDEX sessions_analysis ON sessions (analysis_id);
CREATE INDEX sessions_last_access ON sessions (last_access);

CREATE TABLE anchors (
  session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  id          TEXT NOT NULL,
  ord         INTEGER NOT NULL,         -- numeric part of "A12", for id order
  kind        TEXT NOT NULL,
  anchor_json TEXT NOT NULL,
  PRIMARY KEY (session_id, id)
);

CREATE TABLE turns (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL,          -- Turn.index (T3 → 3); turns are append-only
  id         TEXT NOT NULL,
  turn_json  TEXT NOT NULL,
  PRIMARY KEY (session_id, idx)
);

CREATE TABLE annotations (
  session_id      TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  id              TEXT NOT NULL,
  pos             INTEGER NOT NULL,     -- position in Session.annotations (draw order)
  annotation_json TEXT NOT NULL,
  PRIMARY KEY (session_id, id)
);

CREATE TABLE refinements (
  session_id      TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  anchor_id       TEXT NOT NULL,        -- the parent anchor of the refinement
  refinement_json TEXT NOT NULL,
  PRIMARY KEY (session_id, anchor_id)
);
