using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.LegalBases;

public static class LegalBasisEndpoints
{
    /// <summary>The list; the published legal basis, its revisions and its editing are the engine's (<see cref="VersionedRoutes"/>).</summary>
    public static IEndpointRouteBuilder MapLegalBases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions/{institution}/legal-bases")
            .WithTags("Legal bases")
            .WithValidation()
            .CachedInProcess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", ListLegalBases)
            .WithName("ListLegalBases")
            .WithSummary("List the published legal bases (leis, decretos, estatutos…) of an institution")
            .WithDescription("Filter by kind, status or year; sort by year (newest first by default: -year), title or updated, descending with a leading '-'. Paged.");
        return app;
    }

    public static async Task<Results<CachedJson<Page<LegalBasisListItem>>, ProblemHttpResult>> ListLegalBases(
        string institution, [AsParameters] LegalBasisListQuery query, [AsParameters] ReadServices services)
    {
        var (db, http, cancellationToken) = (services.Db, services.Http, services.CancellationToken);
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var rows = db.LegalBases.AsNoTracking().Where(l => l.InstitutionId == institutionId);
        if (query.Kind is not null)
        {
            rows = rows.Where(l => l.Kind == query.Kind);
        }
        if (query.Status is not null)
        {
            rows = rows.Where(l => l.Status == query.Status);
        }
        if (query.Year is not null)
        {
            rows = rows.Where(l => l.Year == query.Year);
        }
        var visible = rows.Join(db.Visible(), l => l.ResourceId, r => r.Id, (l, r) => new { l, r });
        var total = await visible.CountAsync(cancellationToken);
        var (page, pageSize) = query.PageAndSize();
        var collection = LegalBasisModule.LegalBases.Collection(institution) + "/";
        var sort = ListSort.Parse(query.Sort, "-year");
        var ordered = (sort.Field, sort.Descending) switch
        {
            ("title", false) => visible.OrderBy(x => x.l.Title).ThenBy(x => x.l.ResourceId),
            ("title", true) => visible.OrderByDescending(x => x.l.Title).ThenByDescending(x => x.l.ResourceId),
            ("updated", false) => visible.OrderBy(x => x.r.PublishedAt).ThenBy(x => x.l.ResourceId),
            ("updated", true) => visible.OrderByDescending(x => x.r.PublishedAt).ThenByDescending(x => x.l.ResourceId),
            ("year", false) => visible.OrderBy(x => x.l.Year).ThenBy(x => x.l.Kind).ThenBy(x => x.l.Number).ThenBy(x => x.l.ResourceId),
            _ => visible.OrderByDescending(x => x.l.Year).ThenBy(x => x.l.Kind).ThenBy(x => x.l.Number).ThenBy(x => x.l.ResourceId),
        };
        var items = await ordered
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(x => new LegalBasisListItem(x.l.ResourceId, x.l.Slug, x.l.Kind, x.l.Number, x.l.Year, x.l.Title, x.l.Status,
                x.r.PublishedRevision!.Value, x.r.PublishedAt!.Value, PublicUrls.LinksTo(collection + x.l.Slug)))
            .ToListAsync(cancellationToken);
        var lastModified = await db.LastPublicChangeAsync(institutionId, LegalBasisModule.TypeName, cancellationToken);
        return CachedJson<Page<LegalBasisListItem>>.From(new Page<LegalBasisListItem>(items, page, pageSize, total), lastModified,
            headers: Paging.Links(http, page, pageSize, total)).CachedFor(institutionId);
    }
}

public sealed record LegalBasisListQuery : PagedQuery
{
    /// <summary>What ?sort= accepts (the validator enforces it, and the OpenAPI document shows it as an enum).</summary>
    public static readonly IReadOnlyList<string> SortValues = ["-year", "year", "title", "-title", "updated", "-updated"];

    /// <summary>Only legal bases of this kind (lei, decreto, estatuto, …).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>inForce or revoked.</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary>Only legal bases of this year.</summary>
    [FromQuery(Name = "year")]
    public int? Year { get; init; }

    /// <summary>The order: year (then kind and number; newest year first is the default, -year), title or updated (last published); '-' before it for descending.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }
}

public sealed class LegalBasisListQueryValidator : AbstractValidator<LegalBasisListQuery>
{
    public LegalBasisListQueryValidator()
    {
        this.PagingRules();
        this.OneOf(q => q.Kind, "kind", LegalBasisKinds.All);
        this.OneOf(q => q.Status, "status", LegalBasisStatuses.All);
        this.OneOf(q => q.Sort, "sort", LegalBasisListQuery.SortValues);
        RuleFor(q => q.Year).InclusiveBetween(1500, 2200).OverridePropertyName("year").WithName("year");
    }
}
