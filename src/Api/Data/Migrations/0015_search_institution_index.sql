-- One institution's search reads its matches from the index: the institution is a key of the GIN index beside the
-- words (btree_gin, migration 0010), so "vigilância sanitária" in one municipality intersects the institution's few
-- hundred entries with the words' postings instead of reading and testing every entry of the institution
-- (bench/SEARCH.md). A state's and the country's searches use the same index as before.
set local maintenance_work_mem = '512MB';
drop index search_entries_search;
create index search_entries_search on search_entries using gin (search, institution_kind, institution_id);

-- A published competence's citations, as CompetenceCitations reads them: in a function so that each connection plans
-- its four-table join once and keeps the plan; inline in the search statement it was planned again for every hit
-- list (0.4 ms of a 1.7 ms statement).
create function paco_competence_citations(organ uuid, competence uuid) returns json
language plpgsql stable parallel safe as $$
begin
  return (
    select json_agg(json_build_object('legalBasisId', c.legal_basis_id, 'article', c.article, 'paragraph', c.paragraph, 'item', c.item,
             'document', v.document, 'institutionId', i.id, 'institutionSlug', i.slug, 'institutionName', i.name, 'uf', trim(i.uf),
             'municipality', i.municipality) order by c.id)
    from citations c
    join resources r on r.id = c.legal_basis_id and r.published_revision is not null
    join revisions v on v.resource_id = r.id and v.number = r.published_revision
    join institutions i on i.id = r.institution_id
    where c.organ_id = organ and c.competence_id = competence);
end
$$;

analyze search_entries;
