using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

/// <summary>What the public needs to render organs: the names of the institution's published organs and the legal bases they cite.</summary>
public sealed record OrganRenderData(IReadOnlyDictionary<Guid, OrganRef> Organs, IReadOnlyDictionary<Guid, LegalBasisSummary> LegalBases);

/// <summary>
/// Organs as a versioned type: references stay inside the institution and the hierarchy has no cycle (in drafts and
/// among what is published); publishing projects the organ (lists, the tree, search) and its citations.
/// </summary>
public sealed class OrganModule(IValidator<OrganDocument> validator) : ResourceModule<OrganDocument, OrganResponse, OrganRenderData>(validator)
{
    public const string TypeName = "organ";

    public static readonly ResourceKind Organs = new(TypeName, "organ", "an", "organs", "organ", "Organ", "Organs");

    public override ResourceKind Kind => Organs;

    public override IReadOnlyList<AlternativeRepresentation> Alternatives { get; } =
        [Fragments.HtmlFragments.OrganRepresentation, LinkedData.SchemaOrg.OrganRepresentation];

    protected override string SlugOf(OrganDocument document) => document.Slug;

    protected override OrganDocument Prepare(OrganDocument document) => document with
    {
        Competences = document.Competences?.Select(c => c is not null && c.Id == Guid.Empty ? c with { Id = Guid.CreateVersion7() } : c).ToList()!,
    };

    private sealed record Node(Guid Id, string Type, Guid? ParentId);

    protected override async Task<Dictionary<string, string[]>> CheckReferencesAsync(PacoDb db, Guid institutionId, Guid? resourceId, OrganDocument document, CancellationToken cancellationToken)
    {
        // Every organ (with its draft's parent) and every legal basis of the institution, drafts included, in one look-up.
        var nodes = await db.Database.SqlQuery<Node>($"""
            select r.id as "Id", r.type as "Type", case when r.type = {TypeName} then (v.document ->> 'parentId')::uuid end as "ParentId"
            from resources r join revisions v on v.resource_id = r.id and v.number = r.latest_revision
            where r.institution_id = {institutionId} and r.type in ({TypeName}, {LegalBasisModule.TypeName})
            """).ToListAsync(cancellationToken);
        var organs = nodes.Where(n => n.Type == TypeName).ToDictionary(n => n.Id, n => n.ParentId);
        var legalBases = nodes.Where(n => n.Type == LegalBasisModule.TypeName).Select(n => n.Id).ToHashSet();

        var errors = new Dictionary<string, string[]>();
        if (document.ParentId is Guid parent)
        {
            if (!organs.ContainsKey(parent))
            {
                errors["parentId"] = [Languages.Text($"'parentId' must be an organ of the same institution; {parent} is not.", $"'parentId' deve ser um órgão da mesma instituição; {parent} não é.")];
            }
            else if (resourceId is Guid self && Hierarchy.ClosesCycle(self, parent, organs))
            {
                errors["parentId"] = [Languages.Text("An organ cannot be its own ancestor: this parent would make the hierarchy a cycle.", "Um órgão não pode estar acima de si mesmo: este órgão superior faria a hierarquia andar em círculo.")];
            }
        }
        for (var i = 0; i < document.Competences.Count; i++)
        {
            var competence = document.Competences[i];
            if (competence.PerformedById is Guid performer && !organs.ContainsKey(performer))
            {
                errors[$"competences[{i}].performedById"] = [Languages.Text($"'performedById' must be an organ of the same institution; {performer} is not.", $"'performedById' deve ser um órgão da mesma instituição; {performer} não é.")];
            }
            for (var j = 0; j < competence.Citations.Count; j++)
            {
                if (!legalBases.Contains(competence.Citations[j].LegalBasisId))
                {
                    errors[$"competences[{i}].citations[{j}].legalBasisId"] = [NotALegalBasisOfTheInstitution(competence.Citations[j].LegalBasisId)];
                }
            }
        }
        for (var k = 0; k < document.LegalBases.Count; k++)
        {
            if (!legalBases.Contains(document.LegalBases[k].LegalBasisId))
            {
                errors[$"legalBases[{k}].legalBasisId"] = [NotALegalBasisOfTheInstitution(document.LegalBases[k].LegalBasisId)];
            }
        }
        return errors;
    }

    private static string NotALegalBasisOfTheInstitution(Guid id) =>
        Languages.Text($"'legalBasisId' must be a legal basis of the same institution; {id} is not.", $"'legalBasisId' deve ser uma base legal da mesma instituição; {id} não é.");

    protected override async Task<IReadOnlyCollection<Guid>> ProjectAsync(PacoDb db, InstitutionInfo institution, Resource resource, OrganDocument document, CancellationToken cancellationToken)
    {
        // The institution's published organs: for the cycle check, as this organ's own row, and as what to re-render.
        var rows = await db.Organs.AsTracking().Where(o => o.InstitutionId == institution.Id).ToListAsync(cancellationToken);
        // The hierarchy the public sees is made of published parents: publishing must not close a cycle there.
        if (document.ParentId is Guid parent && Hierarchy.ClosesCycle(resource.Id, parent, rows.ToDictionary(o => o.ResourceId, o => o.ParentId)))
        {
            throw new ConflictException("Publishing this revision would make the published hierarchy a cycle: its parent is among its own descendants.");
        }
        var row = rows.SingleOrDefault(o => o.ResourceId == resource.Id);
        if (row is null)
        {
            row = new OrganRow { ResourceId = resource.Id, InstitutionId = institution.Id, Slug = document.Slug, Name = document.Name, Kind = document.Kind };
            db.Organs.Add(row);
        }
        row.Slug = document.Slug;
        row.Name = document.Name;
        row.Acronym = document.Acronym;
        row.Kind = document.Kind;
        row.ParentId = document.ParentId;
        row.DisplayOrder = document.DisplayOrder;

        // One statement: the search entries are made again from the published revision's document (paco_search_entries,
        // migration 0010: the same definition the backfill uses), and the old citations go, saying what they cited.
        var previouslyCited = await db.Database.SqlQuery<Guid>($"""
            with gone as (delete from search_entries where organ_id = {resource.Id}),
                 added as (
                   insert into search_entries (organ_id, institution_id, uf, institution_kind, position, competence_id, label, competence_group, text, search)
                   select v.resource_id, i.id, i.uf, i.kind, e.entry_position, e.competence_id, e.label, e.competence_group, e.entry_text, e.search
                   from revisions v join institutions i on i.id = {institution.Id} cross join lateral paco_search_entries(v.document) e
                   where v.resource_id = {resource.Id} and v.number = {resource.PublishedRevision!.Value})
            delete from citations where organ_id = {resource.Id} returning legal_basis_id as "Value"
            """).ToListAsync(cancellationToken);
        var citations = CitationsOf(resource.Id, document);
        db.Citations.AddRange(citations);

        // Parent, children and organs naming this one as performer all show its name: re-rendering every organ
        // of the institution (tens, not thousands) is simpler than tracking each reference, and always correct.
        return previouslyCited.Concat(citations.Select(c => c.LegalBasisId)).Concat(rows.Select(o => o.ResourceId)).ToHashSet();
    }

    public override async Task RemoveProjectionAsync(PacoDb db, Guid resourceId, CancellationToken cancellationToken)
    {
        await db.Citations.Where(c => c.OrganId == resourceId).ExecuteDeleteAsync(cancellationToken);
        // Its search entries go with its row (on delete cascade): nothing unpublished is ever found.
        await db.Organs.Where(o => o.ResourceId == resourceId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The citation rows an organ document projects: one per legal basis it links, one per competence citation.</summary>
    public static List<CitationRow> CitationsOf(Guid organId, OrganDocument document) =>
        document.LegalBases
            .Select(l => new CitationRow { OrganId = organId, OrganSlug = document.Slug, OrganName = document.Name, LegalBasisId = l.LegalBasisId, Role = l.Role })
            .Concat(document.Competences.SelectMany(c => c.Citations.Select(x => new CitationRow
            {
                OrganId = organId,
                OrganSlug = document.Slug,
                OrganName = document.Name,
                LegalBasisId = x.LegalBasisId,
                CompetenceId = c.Id,
                CompetenceLabel = c.Label,
                CompetenceGroup = c.Group,
                Article = x.Article,
                Paragraph = x.Paragraph,
                Item = x.Item,
            })))
            .ToList();

    protected override async Task<OrganRenderData> LoadRenderDataTypedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken)
    {
        // Only what the public can see is referenced: organ rows exist for published organs only.
        var organs = await db.Organs.AsNoTracking().Where(o => o.InstitutionId == institution.Id)
            .Select(o => new OrganRef(o.ResourceId, o.Slug, o.Name))
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        return new OrganRenderData(organs, await LegalBasisSummaries.LoadAsync(db, institution, cancellationToken));
    }

    public override OrganResponse Render(OrganRenderData data, InstitutionInfo institution, Guid id, OrganDocument document, RevisionInfo revision) => new(
        id,
        document.Slug,
        institution.Ref,
        document.Name,
        document.Acronym,
        document.Kind,
        document.ParentId is { } parent ? data.Organs.GetValueOrDefault(parent) : null,
        document.DisplayOrder,
        document.Statements,
        document.Values,
        document.Competences.Select((c, index) => new CompetenceResponse(
                c.Id,
                index + 1,
                c.Label,
                c.Text,
                c.Group,
                c.PerformedById is { } performer ? data.Organs.GetValueOrDefault(performer) : null,
                c.Citations
                    .Where(x => data.LegalBases.ContainsKey(x.LegalBasisId))
                    .Select(x => Cite(data.LegalBases[x.LegalBasisId], x.Article, x.Paragraph, x.Item))
                    .ToList()))
            .ToList(),
        document.Head,
        document.Contact,
        document.LegalBases
            .Where(l => data.LegalBases.ContainsKey(l.LegalBasisId))
            .Select(l => new LegalBasisLinkResponse(l.Role, data.LegalBases[l.LegalBasisId]))
            .ToList(),
        document.Effective,
        document.Source,
        revision,
        PublicUrls.LinksTo($"{Kind.Collection(institution.Slug)}/{document.Slug}"));

    /// <summary>A citation as the public sees it, wherever it is shown (the organ, a search hit).</summary>
    public static CitationResponse Cite(LegalBasisSummary legalBasis, string? article, string? paragraph, string? item) => new(
        legalBasis,
        article,
        paragraph,
        item,
        LexmlUrn.CitationText(legalBasis.Title, article, paragraph, item),
        legalBasis.Urn is null ? null : legalBasis.Urn + LexmlUrn.Fragment(article, paragraph, item));
}

/// <summary>The one cycle check of the organ hierarchy, over drafts (editing) or over what is published (publishing).</summary>
public static class Hierarchy
{
    /// <summary>
    /// <paramref name="items"/> with every parent before its children (by depth, then in the order given), so that each
    /// can be created after the one it names; a parent not among them counts as none, and a cycle does not loop.
    /// </summary>
    public static IEnumerable<T> ParentsFirst<T, TKey>(IReadOnlyList<T> items, Func<T, TKey> key, Func<T, TKey?> parent) where TKey : notnull
    {
        var byKey = new Dictionary<TKey, T>();
        foreach (var item in items)
        {
            byKey.TryAdd(key(item), item);
        }
        int Depth(T item)
        {
            var depth = 0;
            for (var p = parent(item); p is not null && byKey.TryGetValue(p, out var up) && depth <= items.Count; p = parent(up))
            {
                depth++;
            }
            return depth;
        }
        return items.Select((item, index) => (item, index)).OrderBy(x => Depth(x.item)).ThenBy(x => x.index).Select(x => x.item);
    }

    /// <summary>Whether giving <paramref name="self"/> the parent <paramref name="parent"/> makes it its own ancestor, given everyone's parent.</summary>
    public static bool ClosesCycle(Guid self, Guid parent, IReadOnlyDictionary<Guid, Guid?> parentOf)
    {
        var seen = new HashSet<Guid> { self };
        for (Guid? current = parent; current is Guid id; current = parentOf.GetValueOrDefault(id))
        {
            if (!seen.Add(id))
            {
                return true;
            }
        }
        return false;
    }
}
