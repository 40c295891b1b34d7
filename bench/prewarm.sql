-- Every table, TOAST table and index of the database read into PostgreSQL's shared buffers (the generator gives it room
-- for all of them): the first scenario measured would otherwise pay for reading them from disk, and these machines'
-- kernel pages out cold page cache by itself (DAMON), so the operating system's cache does not keep them.
create extension if not exists pg_prewarm;
select sum(pg_prewarm(c.oid))::text || ' blocks in shared buffers (' || current_setting('shared_buffers') || ')'
from pg_class c
where c.relkind in ('r', 'i', 't', 'm') and c.relpersistence = 'p'
  and c.relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace);
