-- Each institution's compliance score, computed when what it publishes changes (in the same transaction), so the
-- national ranking is one indexed read. Derived data: recomputed from the published content whenever it is missing.
create table compliance_scores (
  institution_id  uuid primary key references institutions (id),
  score           double precision not null check (score between 0 and 100),
  criteria        jsonb not null,            -- [{"criterion": "2.1", "score": 50.0}, …]
  organs          integer not null,
  computed_at     timestamptz not null
);
create index compliance_scores_ranking on compliance_scores (score desc, institution_id);
