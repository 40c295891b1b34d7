using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

public static class OrganEndpoints
{
    /// <summary>Lists, the tree and an organ's parts; the published organ, its revisions and its editing are the engine's (<see cref="VersionedRoutes"/>).</summary>
    public static IEndpointRouteBuilder MapOrgans(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions/{institution}/organs")
            .WithTags("Organs")
            .WithValidation()
            .CachedInProcess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", ListOrgans)
            .WithName("ListOrgans")
            .WithSummary("List the published organs of an institution")
            .WithDescription("Filter by kind, by parent (slug or id), top-level only, or by text (accent-insensitive Portuguese search on name and acronym); sort by displayOrder (the default), name or updated, descending with a leading '-'. Paged: the answer has the total, and Link headers point at the first, previous, next and last pages.");
        group.MapGet("/tree", GetOrganTree)
            .WithName("GetOrganTree")
            .WithSummary("The hierarchy of the institution's organs in one response")
            .WithDescription("Every published organ, nested under its parent, in display order: what a site needs to draw its organisation chart. Anonymous and cacheable. "
                + "Accept chooses JSON (the default), text/html (nested lists of links, a fragment to include in a page) or application/ld+json (schema.org: the institution with its organs as subOrganization).")
            .Negotiated(Fragments.HtmlFragments.TreeRepresentation, LinkedData.SchemaOrg.TreeRepresentation);
        group.MapGet("/{organ}/competences", ListCompetences)
            .WithName("ListOrganCompetences")
            .WithSummary("The competences (atribuições) of an organ, in order, optionally of one group")
            .WithDescription("?group=competences (the organ's own), headAttributions (its head's), aims or actions (associations). Each competence with its label, text and citations to the legal bases, resolved.");
        group.MapGet("/{organ}/values", ListValues)
            .WithName("ListOrganValues")
            .WithSummary("The values of an organ, in order")
            .WithDescription("As the organ's published revision lists them. Anonymous and cacheable.");
        return app;
    }

    public static async Task<Results<CachedJson<Page<OrganSummary>>, ProblemHttpResult>> ListOrgans(
        string institution, [AsParameters] OrganListQuery query, [AsParameters] ReadServices services)
    {
        var (db, http, cancellationToken) = (services.Db, services.Http, services.CancellationToken);
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }

        var organs = db.Organs.AsNoTracking().Where(o => o.InstitutionId == institutionId);
        if (query.Parent is not null)
        {
            // Only published organs are known to the public (their projection rows), so a draft's slug is never revealed.
            var parentId = Guid.TryParse(query.Parent, out var id) ? id : (Guid?)null;
            var parent = await db.Organs.AsNoTracking()
                .Where(o => o.InstitutionId == institutionId && (o.Slug == query.Parent || o.ResourceId == parentId))
                .Select(o => (Guid?)o.ResourceId)
                .FirstOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                return Problems.BadRequest($"'parent' must name an organ of institution '{institution}'; there is no organ '{query.Parent}'.");
            }
            organs = organs.Where(o => o.ParentId == parent);
        }
        if (query.TopLevel == true)
        {
            organs = organs.Where(o => o.ParentId == null);
        }
        if (query.Kind is not null)
        {
            organs = organs.Where(o => o.Kind == query.Kind);
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            organs = organs.Where(o => o.Search.Matches(EF.Functions.PlainToTsQuery("paco_portuguese", query.Q)));
        }

        var visible = organs.Join(db.Visible(), o => o.ResourceId, r => r.Id, (o, r) => new { o, r });
        var total = await visible.CountAsync(cancellationToken);
        var (page, pageSize) = query.PageAndSize();
        var collection = OrganModule.Organs.Collection(institution) + "/";
        var sort = ListSort.Parse(query.Sort, "displayOrder");
        var ordered = (sort.Field, sort.Descending) switch
        {
            ("name", false) => visible.OrderBy(x => x.o.Name).ThenBy(x => x.o.ResourceId),
            ("name", true) => visible.OrderByDescending(x => x.o.Name).ThenByDescending(x => x.o.ResourceId),
            ("updated", false) => visible.OrderBy(x => x.r.PublishedAt).ThenBy(x => x.o.ResourceId),
            ("updated", true) => visible.OrderByDescending(x => x.r.PublishedAt).ThenByDescending(x => x.o.ResourceId),
            (_, true) => visible.OrderByDescending(x => x.o.DisplayOrder).ThenByDescending(x => x.o.Name).ThenByDescending(x => x.o.ResourceId),
            _ => visible.OrderBy(x => x.o.DisplayOrder).ThenBy(x => x.o.Name).ThenBy(x => x.o.ResourceId),
        };
        var items = await ordered
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(x => new OrganSummary(x.o.ResourceId, x.o.Slug, x.o.Name, x.o.Acronym, x.o.Kind, x.o.ParentId, x.o.DisplayOrder,
                x.r.PublishedRevision!.Value, x.r.PublishedAt!.Value, PublicUrls.LinksTo(collection + x.o.Slug)))
            .ToListAsync(cancellationToken);
        var lastModified = await db.LastPublicChangeAsync(institutionId, OrganModule.TypeName, cancellationToken);

        return CachedJson<Page<OrganSummary>>.From(new Page<OrganSummary>(items, page, pageSize, total), lastModified,
            headers: Paging.Links(http, page, pageSize, total)).CachedFor(institutionId);
    }

    public static async Task<Results<CachedJson<OrganTree>, ProblemHttpResult>> GetOrganTree(string institution, [AsParameters] ReadServices services)
    {
        var (db, cancellationToken) = (services.Db, services.CancellationToken);
        var found = await db.Institutions.AsNoTracking()
            .Where(i => i.Slug == institution)
            .Select(i => new InstitutionRef(i.Id, i.Slug, i.Name))
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }

        var rows = await db.Organs.AsNoTracking()
            .Where(o => o.InstitutionId == found.Id)
            .Join(db.Visible(), o => o.ResourceId, r => r.Id, (o, r) => new { o.ResourceId, o.Slug, o.Name, o.Acronym, o.Kind, o.ParentId, o.DisplayOrder })
            .ToListAsync(cancellationToken);

        var known = rows.Select(r => r.ResourceId).ToHashSet();
        // An organ whose parent is not published is shown at the top rather than hidden.
        var byParent = rows.ToLookup(r => r.ParentId is { } p && known.Contains(p) ? p : (Guid?)null);
        List<OrganTreeNode> Children(Guid? parent) => byParent[parent]
            .OrderBy(r => r.DisplayOrder).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new OrganTreeNode(r.ResourceId, r.Slug, r.Name, r.Acronym, r.Kind, r.DisplayOrder, Children(r.ResourceId),
                PublicUrls.LinksTo($"{OrganModule.Organs.Collection(found.Slug)}/{r.Slug}")))
            .ToList();

        var lastModified = await db.LastPublicChangeAsync(found.Id, OrganModule.TypeName, cancellationToken);
        return CachedJson<OrganTree>.From(new OrganTree(found, rows.Count, Children(null)), lastModified).CachedFor(found.Id);
    }

    public static async Task<Results<CachedJson<CompetenceList>, ProblemHttpResult>> ListCompetences(
        string institution, string organ, [AsParameters] CompetenceQuery query, [AsParameters] ReadServices services)
    {
        var (db, cancellationToken) = (services.Db, services.CancellationToken);
        if (await PublishedOrganAsync(db, institution, organ) is not { } published)
        {
            return await db.MissingAsync(institution, OrganModule.Organs, organ, cancellationToken);
        }
        var (document, renderedAt) = published;
        var items = document.Competences.Where(c => query.Group is null || c.Group == query.Group).ToList();
        return CachedJson<CompetenceList>.From(new CompetenceList(new OrganRef(document.Id, document.Slug, document.Name), document.Revision.Number, items), renderedAt)
            .CachedFor(document.Institution.Id, document.Id);
    }

    public static async Task<Results<CachedJson<ValueList>, ProblemHttpResult>> ListValues(string institution, string organ, [AsParameters] ReadServices services)
    {
        var (db, cancellationToken) = (services.Db, services.CancellationToken);
        if (await PublishedOrganAsync(db, institution, organ) is not { } published)
        {
            return await db.MissingAsync(institution, OrganModule.Organs, organ, cancellationToken);
        }
        var (document, renderedAt) = published;
        return CachedJson<ValueList>.From(new ValueList(new OrganRef(document.Id, document.Slug, document.Name), document.Revision.Number, document.Values), renderedAt)
            .CachedFor(document.Institution.Id, document.Id);
    }

    /// <summary>The organ's stored public representation, read back: its parts are served exactly as the organ shows them.</summary>
    private static async Task<(OrganResponse Document, DateTimeOffset RenderedAt)?> PublishedOrganAsync(PacoDb db, string institution, string organ) =>
        await PublishedEndpoints.FindStoredAsync(db, institution, OrganModule.TypeName, organ) is { } stored
            ? (System.Text.Json.JsonSerializer.Deserialize<OrganResponse>(stored.Body, PacoJson.Options)!, stored.RenderedAt)
            : null;
}

public sealed record OrganListQuery : PagedQuery
{
    /// <summary>What ?sort= accepts (the validator enforces it, and the OpenAPI document shows it as an enum).</summary>
    public static readonly IReadOnlyList<string> SortValues = ["displayOrder", "-displayOrder", "name", "-name", "updated", "-updated"];

    /// <summary>Only organs of this kind (secretaria, nucleo, …).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>Only the direct children of this organ (slug or id).</summary>
    [FromQuery(Name = "parent")]
    public string? Parent { get; init; }

    /// <summary>Only organs without a parent.</summary>
    [FromQuery(Name = "topLevel")]
    public bool? TopLevel { get; init; }

    /// <summary>Words to find in the name or acronym; accents and plurals are ignored ("saude" finds "Saúde").</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>The order: displayOrder (the institution's own, the default), name or updated (last published); '-' before it for descending.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }
}

public sealed class OrganListQueryValidator : AbstractValidator<OrganListQuery>
{
    public OrganListQueryValidator()
    {
        this.PagingRules();
        this.OneOf(q => q.Kind, "kind", OrganKinds.All);
        this.OneOf(q => q.Sort, "sort", OrganListQuery.SortValues);
        RuleFor(q => q.Q).MaximumLength(200).OverridePropertyName("q").WithName("q");
        RuleFor(q => q).Must(q => !(q.TopLevel == true && q.Parent is not null))
            .OverridePropertyName("topLevel").WithMessage("'topLevel' and 'parent' cannot be combined: top-level organs have no parent.", "'topLevel' e 'parent' não podem ser usados juntos: órgãos de primeiro nível não têm órgão superior.");
    }
}

public sealed record CompetenceQuery
{
    /// <summary>Only competences of this group: competences, headAttributions, aims or actions.</summary>
    [FromQuery(Name = "group")]
    public string? Group { get; init; }
}

public sealed class CompetenceQueryValidator : AbstractValidator<CompetenceQuery>
{
    public CompetenceQueryValidator() => this.OneOf(q => q.Group, "group", CompetenceGroups.All);
}
