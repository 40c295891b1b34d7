-- A child organ may be published before its parent (the tree shows it at the top until then):
-- the projection's parent is a reference to follow, not a constraint to enforce.
alter table organs drop constraint organs_parent_id_fkey;

-- A scheduled publication that cannot be applied is set aside with its reason, so it never blocks the others.
alter table scheduled_publications add column last_error text;
