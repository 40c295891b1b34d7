using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Institutions;

public static class InstitutionEndpoints
{
    public static IEndpointRouteBuilder MapInstitutions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions")
            .WithTags("Institutions")
            .WithValidation();

        group.MapGet("/", ListInstitutions)
            .WithName("ListInstitutions")
            .WithSummary("List the institutions (prefeituras, câmaras, associations) published here")
            .WithDescription("Filter by kind or state (UF); sort by name (the default) or updated, descending with a leading '-'. Paged.");
        group.MapGet("/{institution}", GetInstitution)
            .WithName("GetInstitution")
            .WithSummary("An institution: its statements, values and how many organs and legal bases it publishes")
            .WithDescription("Addressed by slug. Anonymous and cacheable (ETag, 304). Its organs are at …/organs, their hierarchy at …/organs/tree, its legal bases at …/legal-bases. "
                + "Accept chooses JSON (the default), text/html (a fragment to include in a page) or application/ld+json (schema.org GovernmentOrganization), each with its own ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .CachedInProcess()
            .Negotiated(Fragments.HtmlFragments.InstitutionRepresentation, LinkedData.SchemaOrg.InstitutionRepresentation);
        return app;
    }

    public static async Task<CachedJson<Page<InstitutionSummary>>> ListInstitutions(
        [AsParameters] InstitutionListQuery query, PacoDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var institutions = db.Institutions.AsNoTracking();
        if (query.Kind is not null)
        {
            institutions = institutions.Where(i => i.Kind == query.Kind);
        }
        if (query.Uf is not null)
        {
            var uf = query.Uf.ToUpperInvariant();
            institutions = institutions.Where(i => i.Uf == uf);
        }
        var total = await institutions.CountAsync(cancellationToken);
        var (page, pageSize) = query.PageAndSize();
        var sort = ListSort.Parse(query.Sort, "name");
        var ordered = (sort.Field, sort.Descending) switch
        {
            ("updated", false) => institutions.OrderBy(i => i.UpdatedAt).ThenBy(i => i.Id),
            ("updated", true) => institutions.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id),
            (_, true) => institutions.OrderByDescending(i => i.Name).ThenByDescending(i => i.Id),
            _ => institutions.OrderBy(i => i.Name).ThenBy(i => i.Id),
        };
        var items = await ordered
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(i => new InstitutionSummary(i.Id, i.Slug, i.Name, i.Kind, i.IbgeCode, i.Uf, i.Municipality, PublicUrls.LinksTo(PublicUrls.InstitutionPath(i.Slug))))
            .ToListAsync(cancellationToken);
        var lastModified = await institutions.MaxAsync(i => (DateTimeOffset?)i.UpdatedAt, cancellationToken) ?? DateTimeOffset.UnixEpoch;
        return CachedJson<Page<InstitutionSummary>>.From(new Page<InstitutionSummary>(items, page, pageSize, total), lastModified,
            headers: Paging.Links(http, page, pageSize, total));
    }

    public static async Task<Results<CachedJson<InstitutionResponse>, ProblemHttpResult>> GetInstitution(
        string institution, PacoDb db, CancellationToken cancellationToken) =>
        await InstitutionRepresentation.LoadAsync(db, institution, cancellationToken) is { } answer
            ? answer
            : Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
}

/// <summary>An institution as the public reads it, shared by its GET and its editing (which answers and compares the same ETag).</summary>
public static class InstitutionRepresentation
{
    public static async Task<CachedJson<InstitutionResponse>?> LoadAsync(PacoDb db, string slug, CancellationToken cancellationToken)
    {
        var visible = db.Visible();
        var found = await db.Institutions.AsNoTracking()
            .Where(i => i.Slug == slug)
            .Select(i => new
            {
                Row = i,
                Organs = visible.Count(r => r.InstitutionId == i.Id && r.Type == OrganModule.TypeName),
                LegalBases = visible.Count(r => r.InstitutionId == i.Id && r.Type == LegalBasisModule.TypeName),
                // The counts change when anything is published, unpublished or archived: that is a change of the answer too.
                ContentChangedAt = db.Resources.Where(r => r.InstitutionId == i.Id).Max(r => r.RenderedAt),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }
        var i = found.Row;
        var document = PacoJson.Deserialize<InstitutionDocument>(i.Document);
        var response = new InstitutionResponse(i.Id, i.Slug, i.Name, i.Kind, i.IbgeCode, i.Uf, i.Municipality, i.Website,
            document.Statements, document.Values, document.Source, new InstitutionCounts(found.Organs, found.LegalBases), i.UpdatedAt,
            PublicUrls.LinksTo(PublicUrls.InstitutionPath(i.Slug)));
        var lastModified = found.ContentChangedAt is { } changed && changed > i.UpdatedAt ? changed : i.UpdatedAt;
        // Kept until anything of the institution changes: its editing re-renders it, and every publication changes its counts.
        return CachedJson<InstitutionResponse>.From(response, lastModified).CachedFor(i.Id);
    }
}

public sealed record InstitutionListQuery : PagedQuery
{
    /// <summary>What ?sort= accepts (the validator enforces it, and the OpenAPI document shows it as an enum).</summary>
    public static readonly IReadOnlyList<string> SortValues = ["name", "-name", "updated", "-updated"];

    /// <summary>Only institutions of this kind (prefeitura, camara, associacao, …).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>Only institutions of this state, by its two-letter code (MG, SP, …).</summary>
    [FromQuery(Name = "uf")]
    public string? Uf { get; init; }

    /// <summary>The order: name (the default) or updated (last changed); '-' before it for descending.</summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }
}

public sealed class InstitutionListQueryValidator : AbstractValidator<InstitutionListQuery>
{
    public InstitutionListQueryValidator()
    {
        this.PagingRules();
        this.OneOf(q => q.Kind, "kind", InstitutionKinds.All);
        this.OneOf(q => q.Sort, "sort", InstitutionListQuery.SortValues);
        RuleFor(q => q.Uf).Must(uf => uf is null || BrazilianStates.IsCode(uf))
            .OverridePropertyName("uf").WithMessage("'uf' must be a Brazilian state code such as MG or SP.", "'uf' deve ser a sigla de um estado brasileiro, como MG ou SP.");
    }
}
