-- 002: prior comparison (issue 17, api.md 8.4).
-- analyses.acquired_day: days since 1970-01-01 (UTC) of the image's AcquisitionDate/ContentDate/StudyDate,
--   NULL when unknown; kept only to compute intervals, never returned.
-- sessions.prior_*: the attached prior (mirrors Session.prior in meta_json) so that SQL can keep the
--   prior analysis alive while a session uses it (expiry sweeps) and find sessions that use it.
ALTER TABLE analyses ADD COLUMN acquired_day INTEGER;
ALTER TABLE sessions ADD COLUMN prior_analysis_id TEXT;
ALTER TABLE sessions ADD COLUMN prior_interval_days INTEGER;
CREATE INDEX sessions_prior_analysis ON sessions (prior_analysis_id);
