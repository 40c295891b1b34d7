-- Paço content store: institutions, versioned resources (organs, legal bases) with immutable revisions,
-- and projections of the published revision used by lists, filters and citation look-ups.

create extension if not exists unaccent;

-- An immutable, accent-insensitive wrapper so it can be used in indexes (unaccent() itself is only STABLE).
create or replace function paco_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Portuguese full-text search that ignores accents ("saude" finds "Saúde").
create text search configuration paco_portuguese (copy = pg_catalog.portuguese);
alter text search configuration paco_portuguese
  alter mapping for hword, hword_part, word with public.unaccent, portuguese_stem;

create table institutions (
  id            uuid primary key,
  slug          text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name          text not null,
  kind          text not null,
  ibge_code     char(7) check (ibge_code ~ '^[0-9]{7}$'),
  uf            char(2) check (uf ~ '^[A-Z]{2}$'),
  municipality  text,
  website       text,
  document      jsonb not null,            -- statements, values, source: the institution's full public document
  version       integer not null default 1,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- One row per versioned resource. The pointers say which revision is published and which is the newest.
create table resources (
  id                  uuid primary key,
  institution_id      uuid not null references institutions (id),
  type                text not null check (type in ('organ', 'legal_basis')),
  slug                text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  latest_revision     integer not null default 0,
  published_revision  integer,
  published_at        timestamptz,
  -- The public representation of the published revision, stored as the exact bytes served,
  -- with its strong ETag, so a read is one indexed lookup and no re-assembly.
  published_json      text,
  published_etag      text,
  rendered_at         timestamptz,
  archived_at         timestamptz,
  created_at          timestamptz not null default now(),
  unique (institution_id, type, slug),
  check (published_revision is null or published_revision between 1 and latest_revision),
  check ((published_revision is null) = (published_json is null))
);

create table revisions (
  resource_id   uuid not null references resources (id),
  number        integer not null check (number >= 1),
  document      jsonb not null,
  content_hash  text not null,
  created_at    timestamptz not null default now(),
  author        text not null,
  note          text,
  primary key (resource_id, number)
);

-- Revisions are history: never changed, never removed, and numbered 1, 2, 3… without gaps.
create function paco_revisions_are_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'revisions are immutable: % on revision % of resource % refused',
    tg_op, old.number, old.resource_id
    using errcode = 'P0001';
end $$;

create trigger revisions_no_update before update on revisions
  for each row execute function paco_revisions_are_immutable();
create trigger revisions_no_delete before delete on revisions
  for each row execute function paco_revisions_are_immutable();

create function paco_revisions_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'revisions are immutable: TRUNCATE refused' using errcode = 'P0001';
end $$;
create trigger revisions_no_truncate before truncate on revisions
  for each statement execute function paco_revisions_no_truncate();

create function paco_revisions_gapless() returns trigger language plpgsql as $$
declare expected integer;
begin
  select coalesce(max(number), 0) + 1 into expected from revisions where resource_id = new.resource_id;
  if new.number <> expected then
    raise exception 'revision % of resource % would leave a gap: the next number is %',
      new.number, new.resource_id, expected
      using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger revisions_gapless before insert on revisions
  for each row execute function paco_revisions_gapless();

-- Every change of what the public sees, in order: the basis of history, point-in-time reads and the change feed.
create table publications (
  id               bigint generated always as identity primary key,
  resource_id      uuid not null references resources (id),
  revision_number  integer,
  action           text not null check (action in ('publish', 'unpublish', 'archive')),
  at               timestamptz not null default now(),
  author           text not null,
  foreign key (resource_id, revision_number) references revisions (resource_id, number)
);
create index publications_by_resource on publications (resource_id, at);

-- Projections of the published revision, kept in step by the content store (same transaction as publish).
create table organs (
  resource_id     uuid primary key references resources (id),
  institution_id  uuid not null references institutions (id),
  slug            text not null,
  name            text not null,
  acronym         text,
  kind            text not null,
  parent_id       uuid references organs (resource_id) deferrable initially deferred,
  display_order   integer not null default 0,
  search          tsvector generated always as
                    (to_tsvector('paco_portuguese', name || ' ' || coalesce(acronym, ''))) stored,
  unique (institution_id, slug)
);
create index organs_by_parent on organs (institution_id, parent_id, display_order, name);
create index organs_by_kind on organs (institution_id, kind, display_order, name);
create index organs_search on organs using gin (search);

create table legal_bases (
  resource_id     uuid primary key references resources (id),
  institution_id  uuid not null references institutions (id),
  slug            text not null,
  kind            text not null,
  number          text,
  year            integer,
  title           text not null,
  status          text not null,
  unique (institution_id, slug)
);
create index legal_bases_by_kind on legal_bases (institution_id, kind, year desc, number);

-- Who cites which legal basis: the organ itself (competence_id null) or one of its competences.
create table citations (
  id              bigint generated always as identity primary key,
  organ_id        uuid not null references organs (resource_id) on delete cascade deferrable initially deferred,
  legal_basis_id  uuid not null references resources (id) deferrable initially deferred,
  competence_id   uuid,
  competence_label text,
  competence_group text,
  article         text,
  paragraph       text,
  item            text,
  role            text
);
create index citations_by_legal_basis on citations (legal_basis_id, organ_id);
create index citations_by_organ on citations (organ_id);

-- Seed files applied, so seeding at every start is a cheap no-op.
create table seed_runs (
  file        text primary key,
  sha256      text not null,
  applied_at  timestamptz not null default now()
);
