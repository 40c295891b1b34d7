-- The address the public knows: the slug at the last publication. Draft renames move resources.slug (the editors'
-- address) but never this, so public routes (410, revisions, change feed, ?at=) only ever know published slugs.
alter table resources add column public_slug text;
update resources r set public_slug = (
  select v.document ->> 'slug'
  from publications p join revisions v on v.resource_id = p.resource_id and v.number = p.revision_number
  where p.resource_id = r.id and p.action = 'publish'
  order by p.id desc limit 1);
create index resources_by_public_slug on resources (institution_id, type, public_slug) where public_slug is not null;
