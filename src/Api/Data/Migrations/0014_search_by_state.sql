-- Search entries partitioned by state (LIST on uf: one partition per state, institutions without one in the default).
-- With one national GIN index, a search in one state walked the word's posting list for the whole country and kept
-- the state's entries (the index's uf column only narrows what it returns); now a state's search reads only its own
-- index, a few times smaller. A national search goes through the partitions in turn and stops as soon as it has
-- SearchEndpoints.MaxRanked matches, instead of gathering every match in the country before the first is ranked.
-- One institution's entries are in its state's partition: the search names the state so only that one is read.
-- No primary key: a partitioned table's must include the state, which may be null; nothing refers to an entry, and
-- the identity still numbers them uniquely (the ranking's tie-break).

create table search_entries_by_state (
  id               bigint generated always as identity,
  organ_id         uuid not null,
  institution_id   uuid not null references institutions (id),
  uf               char(2),
  institution_kind text not null,
  position         integer not null,
  competence_id    uuid,
  label            text,
  competence_group text,
  text             text not null,
  search           tsvector not null
) partition by list (uf);

create table search_entries_ac partition of search_entries_by_state for values in ('AC');
create table search_entries_al partition of search_entries_by_state for values in ('AL');
create table search_entries_am partition of search_entries_by_state for values in ('AM');
create table search_entries_ap partition of search_entries_by_state for values in ('AP');
create table search_entries_ba partition of search_entries_by_state for values in ('BA');
create table search_entries_ce partition of search_entries_by_state for values in ('CE');
create table search_entries_df partition of search_entries_by_state for values in ('DF');
create table search_entries_es partition of search_entries_by_state for values in ('ES');
create table search_entries_go partition of search_entries_by_state for values in ('GO');
create table search_entries_ma partition of search_entries_by_state for values in ('MA');
create table search_entries_mg partition of search_entries_by_state for values in ('MG');
create table search_entries_ms partition of search_entries_by_state for values in ('MS');
create table search_entries_mt partition of search_entries_by_state for values in ('MT');
create table search_entries_pa partition of search_entries_by_state for values in ('PA');
create table search_entries_pb partition of search_entries_by_state for values in ('PB');
create table search_entries_pe partition of search_entries_by_state for values in ('PE');
create table search_entries_pi partition of search_entries_by_state for values in ('PI');
create table search_entries_pr partition of search_entries_by_state for values in ('PR');
create table search_entries_rj partition of search_entries_by_state for values in ('RJ');
create table search_entries_rn partition of search_entries_by_state for values in ('RN');
create table search_entries_ro partition of search_entries_by_state for values in ('RO');
create table search_entries_rr partition of search_entries_by_state for values in ('RR');
create table search_entries_rs partition of search_entries_by_state for values in ('RS');
create table search_entries_sc partition of search_entries_by_state for values in ('SC');
create table search_entries_se partition of search_entries_by_state for values in ('SE');
create table search_entries_sp partition of search_entries_by_state for values in ('SP');
create table search_entries_to partition of search_entries_by_state for values in ('TO');
create table search_entries_elsewhere partition of search_entries_by_state default;

-- Copied as they are (same ids), before any index exists: one build per index is much faster than millions of insertions.
insert into search_entries_by_state (id, organ_id, institution_id, uf, institution_kind, position, competence_id, label, competence_group, text, search)
  overriding system value
  select id, organ_id, institution_id, uf, institution_kind, position, competence_id, label, competence_group, text, search
  from search_entries;
select setval(pg_get_serial_sequence('search_entries_by_state', 'id'), coalesce((select max(id) from search_entries_by_state), 0) + 1, false);

drop table search_entries;  -- with its indexes and its trigger (the vocabulary's, made again below)
alter table search_entries_by_state rename to search_entries;

-- Checked once, by one query over every partition, instead of per row at commit.
alter table search_entries add constraint search_entries_organ_id_fkey
  foreign key (organ_id) references organs (resource_id) on delete cascade deferrable initially deferred;

set local maintenance_work_mem = '512MB';
-- Each partition's GIN index serves a state alone, or a state and a kind of institution (btree_gin, migration 0010).
create index search_entries_search on search_entries using gin (search, institution_kind);
create index search_entries_by_institution on search_entries (institution_id);
create index search_entries_by_organ on search_entries (organ_id);

create trigger search_entries_add_lexemes after insert on search_entries
  referencing new table as added for each statement execute function paco_search_lexemes_added();

analyze search_entries;
