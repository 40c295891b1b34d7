-- The words the search entries hold, so a word still being typed ("civ") is expanded into the words that begin with it
-- ('civil' | 'civic') before the search runs. A prefix match (to_tsquery('civ':*)) makes the GIN index gather every
-- entry of every word with that prefix, nationally, before the state or the other words narrow it: 70 ms for
-- "defesa civ" in one state on the national dataset, 3.5 ms once 'civ' is written as 'civil' (bench/SEARCH.md).
-- Words are only added: one no longer published expands to a word that matches nothing, which costs nothing.
create table search_lexemes (
  lexeme text collate "C" primary key   -- "C": a prefix is a range of the primary key (lexeme ^@ 'civ')
);

insert into search_lexemes (lexeme)
select distinct l from search_entries, unnest(tsvector_to_array(search)) l order by 1;

-- Every statement that adds entries (publishing, the backfill) adds their words in the same transaction. In sorted
-- order: two publications adding the same new words wait for one another instead of deadlocking.
create function paco_search_lexemes_added() returns trigger language plpgsql as $$
begin
  insert into search_lexemes (lexeme)
  select distinct l from added, unnest(tsvector_to_array(added.search)) l order by 1
  on conflict do nothing;
  return null;
end $$;

create trigger search_entries_add_lexemes after insert on search_entries
  referencing new table as added for each statement execute function paco_search_lexemes_added();

analyze search_lexemes;
