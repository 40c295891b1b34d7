using Microsoft.AspNetCore.Mvc;
using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Institutions;

public static class InstitutionEndpoints
{
    public static IEndpointRouteBuilder MapInstitutions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/institutions")
            .WithTags("Institutions")
            .AddEndpointFilter<ValidationFilter>()
            .ProducesValidationProblem();

        group.MapGet("/", ListInstitutions)
            .WithName("ListInstitutions")
            .WithSummary("List the institutions (prefeituras, câmaras, associations) published here")
            .WithDescription("Filter by kind or state (UF). Paged, by name.");
        group.MapGet("/{institution}", GetInstitution)
            .WithName("GetInstitution")
            .WithSummary("An institution: its statements, values and how many organs and legal bases it publishes")
            .ProducesProblem(StatusCodes.Status404NotFound);
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
        var items = await institutions
            .OrderBy(i => i.Name).ThenBy(i => i.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(i => new InstitutionSummary(i.Id, i.Slug, i.Name, i.Kind, i.IbgeCode, i.Uf, i.Municipality))
            .ToListAsync(cancellationToken);
        var lastModified = await institutions.MaxAsync(i => (DateTimeOffset?)i.UpdatedAt, cancellationToken) ?? DateTimeOffset.UnixEpoch;
        return CachedJson<Page<InstitutionSummary>>.From(new Page<InstitutionSummary>(items, page, pageSize, total), lastModified,
            headers: Paging.Links(http, page, pageSize, total));
    }

    public static async Task<Results<CachedJson<InstitutionResponse>, ProblemHttpResult>> GetInstitution(
        string institution, PacoDb db, CancellationToken cancellationToken)
    {
        var published = db.Resources.Where(r => r.PublishedRevision != null && r.ArchivedAt == null);
        var found = await db.Institutions.AsNoTracking()
            .Where(i => i.Slug == institution)
            .Select(i => new
            {
                Row = i,
                Organs = published.Count(r => r.InstitutionId == i.Id && r.Type == ResourceTypes.Organ),
                LegalBases = published.Count(r => r.InstitutionId == i.Id && r.Type == ResourceTypes.LegalBasis),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound(Lookups.UnknownInstitution(institution));
        }
        var i = found.Row;
        var document = PacoJson.Deserialize<InstitutionDocument>(i.Document);
        var response = new InstitutionResponse(i.Id, i.Slug, i.Name, i.Kind, i.IbgeCode, i.Uf, i.Municipality, i.Website,
            document.Statements, document.Values, document.Source, new InstitutionCounts(found.Organs, found.LegalBases), i.UpdatedAt);
        return CachedJson<InstitutionResponse>.From(response, i.UpdatedAt);
    }
}

public sealed record InstitutionListQuery : IPagedQuery
{
    /// <summary>Only institutions of this kind (prefeitura, camara, associacao, …).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>Only institutions of this state, by its two-letter code (MG, SP, …).</summary>
    [FromQuery(Name = "uf")]
    public string? Uf { get; init; }

    /// <summary>1-based page number.</summary>
    [DefaultValue(1)]
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Items per page, 1 to 100.</summary>
    [DefaultValue(Paging.DefaultPageSize)]
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }
}

public sealed class InstitutionListQueryValidator : AbstractValidator<InstitutionListQuery>
{
    public InstitutionListQueryValidator()
    {
        this.PagingRules();
        this.OneOf(q => q.Kind, "kind", InstitutionKinds.All);
        RuleFor(q => q.Uf).Must(uf => uf is null || LegalBases.LexmlUrn.States.Contains(uf.ToUpperInvariant()))
            .OverridePropertyName("uf").WithMessage("'uf' must be a Brazilian state code such as MG or SP.");
    }
}
