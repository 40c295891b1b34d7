-- Editorial API: API keys, the audit log, scheduled publications, archiving.

create table api_keys (
  id              uuid primary key,
  prefix          text not null unique,          -- public, shown in lists: identifies a key without revealing it
  secret_hash     bytea not null,                -- SHA-256 of the whole key; the key itself is never stored
  name            text not null,
  role            text not null check (role in ('editor', 'publisher', 'admin')),
  institution_id  uuid references institutions (id), -- null: every institution
  created_at      timestamptz not null default now(),
  created_by      text not null,
  expires_at      timestamptz,
  revoked_at      timestamptz,
  last_used_at    timestamptz
);

alter table resources add column archived_reason text;

create table scheduled_publications (
  id               bigint generated always as identity primary key,
  resource_id      uuid not null references resources (id),
  revision_number  integer not null,
  due_at           timestamptz not null,
  author           text not null,
  created_at       timestamptz not null default now(),
  done_at          timestamptz,
  cancelled_at     timestamptz,
  foreign key (resource_id, revision_number) references revisions (resource_id, number)
);
create index scheduled_publications_due on scheduled_publications (due_at) where done_at is null and cancelled_at is null;

-- Who did what, when, with which key. Append-only, like revisions.
create table audit_log (
  id              bigint generated always as identity primary key,
  institution_id  uuid references institutions (id),
  at              timestamptz not null default now(),
  key_id          uuid,
  actor           text not null,
  action          text not null,
  resource_type   text,
  resource_id     uuid,
  revision        integer,
  detail          jsonb
);
create index audit_log_by_institution on audit_log (institution_id, id desc);

create function paco_audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'P0001';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function paco_audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function paco_audit_log_is_append_only();

-- The change feed reads publications in order per institution.
create index publications_by_id on publications (id) include (resource_id);
