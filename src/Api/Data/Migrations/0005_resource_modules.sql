-- Resource types are modules of the engine: a new type must not need a schema change. Keep only the shape of the name.
alter table resources drop constraint resources_type_check;
alter table resources add constraint resources_type_is_a_name check (type ~ '^[a-z][a-z_]*$');

-- A legal basis shows the organs citing it: the citation carries the citing organ's slug and name, written with it at
-- publication, so rendering a legal basis reads citations alone.
alter table citations add column organ_slug text, add column organ_name text;
update citations c set organ_slug = o.slug, organ_name = o.name from organs o where o.resource_id = c.organ_id;
alter table citations alter column organ_slug set not null, alter column organ_name set not null;
