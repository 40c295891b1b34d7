-- "Quem faz o quê": full-text search over what organs publish. One entry per published organ (position 0: its name,
-- acronym, statements and values) and one per competence (position n: its n-th competence), kept in step with
-- publishing by the organ module in the publishing transaction, and removed with the organ's projection row.
-- Every entry's vector carries the organ's name and acronym (weight A), so "saude vacinacao" finds the health
-- secretariat's vaccination competence; the competence's text is weight B, statements and values weight C.

-- The Portuguese stemmer, after unaccent, leaves -ão and -ões apart ("certidão" 'certida', "certidões" 'certido'):
-- both are written -ão before stemming, in what is indexed and in what is searched (with or without the accents).
create function paco_search_normalize(text) returns text
  language sql immutable parallel safe strict
  as $$ select regexp_replace(regexp_replace($1, '[õÕ][eE][sS]\M', 'ão', 'g'), '[oO][eE][sS]\M', 'ao', 'g') $$;

create function paco_search_vector(organ text, body text, body_weight "char") returns tsvector
  language sql immutable parallel safe
  as $$ select setweight(to_tsvector('public.paco_portuguese', paco_search_normalize(coalesce(organ, ''))), 'A')
            || setweight(to_tsvector('public.paco_portuguese', paco_search_normalize(coalesce(body, ''))), body_weight) $$;

-- The entries of one organ document (a revision's document): the one definition, used when publishing and to backfill.
create function paco_search_entries(document jsonb)
  returns table (entry_position integer, competence_id uuid, label text, competence_group text, entry_text text, search tsvector)
  language sql immutable parallel safe
  as $$
    with organ as (
      select concat_ws(' ', document ->> 'name', document ->> 'acronym') as name,
             concat_ws(E'\n', document -> 'statements' ->> 'about', document -> 'statements' ->> 'mission',
                       document -> 'statements' ->> 'vision', document -> 'statements' ->> 'purpose',
                       (select string_agg(v, E'\n') from jsonb_array_elements_text(coalesce(document -> 'values', '[]')) v)) as body)
    select 0, null::uuid, null::text, null::text, organ.body, paco_search_vector(organ.name, organ.body, 'C') from organ
    union all
    select c.n::integer, (c.value ->> 'id')::uuid, c.value ->> 'label', c.value ->> 'group', c.value ->> 'text',
           paco_search_vector(organ.name, c.value ->> 'text', 'B')
    from organ, jsonb_array_elements(coalesce(document -> 'competences', '[]')) with ordinality as c(value, n)
  $$;

create table search_entries (
  id               bigint generated always as identity primary key,
  organ_id         uuid not null references organs (resource_id) on delete cascade deferrable initially deferred,
  institution_id   uuid not null references institutions (id),
  -- The institution's state and kind, copied (trigger below) so the state and kind filters are in the one GIN index.
  uf               char(2),
  institution_kind text not null,
  position         integer not null,
  competence_id    uuid,
  label            text,
  competence_group text,
  text             text not null,   -- what the highlighted snippet is cut from
  search           tsvector not null
);

-- Fills the entries of every published organ that has none: this migration's backfill (existing deployments), and
-- the benchmark generator's after it loads projections itself. From the published revision's document, never a draft.
create function paco_search_backfill() returns bigint language sql as $$
  with added as (
    insert into search_entries (organ_id, institution_id, uf, institution_kind, position, competence_id, label, competence_group, text, search)
    select o.resource_id, o.institution_id, i.uf, i.kind, e.entry_position, e.competence_id, e.label, e.competence_group, e.entry_text, e.search
    from organs o
    join institutions i on i.id = o.institution_id
    join resources r on r.id = o.resource_id and r.published_revision is not null
    join revisions v on v.resource_id = r.id and v.number = r.published_revision
    cross join lateral paco_search_entries(v.document) e
    where not exists (select 1 from search_entries s where s.organ_id = o.resource_id)
    returning 1)
  select count(*) from added
$$;

-- Filled before the indexes are built: one GIN build is much faster than millions of insertions into it. The organ
-- reference is checked right away, or its pending checks would forbid building an index in this transaction.
set constraints search_entries_organ_id_fkey immediate;
select paco_search_backfill();
set constraints search_entries_organ_id_fkey deferred;

set local maintenance_work_mem = '512MB';
-- One multicolumn GIN index serves any subset of its columns as well as each alone: national (search), a state
-- (uf, search), a kind, or both; btree_gin gives GIN the equality of char and text.
create extension if not exists btree_gin;
create index search_entries_search on search_entries using gin (search, uf, institution_kind);
-- One institution's entries (a few hundred) are read by this index and filtered, cheaper than the national GIN scan.
create index search_entries_by_institution on search_entries (institution_id);
create index search_entries_by_organ on search_entries (organ_id);

-- An institution that moves state or changes kind takes its entries with it, in its own transaction.
create function paco_search_follow_institution() returns trigger language plpgsql as $$
begin
  update search_entries set uf = new.uf, institution_kind = new.kind where institution_id = new.id;
  return null;
end $$;
create trigger institutions_search_follow after update of uf, kind on institutions
  for each row when (old.uf is distinct from new.uf or old.kind is distinct from new.kind)
  execute function paco_search_follow_institution();
analyze search_entries;
