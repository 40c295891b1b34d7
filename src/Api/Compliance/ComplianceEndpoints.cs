using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Revisions;

namespace Paco.Api.Compliance;

public static class ComplianceEndpoints
{
    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/institutions/{institution}/compliance", GetCompliance)
            .WithTags("Compliance")
            .WithValidation()
            .CachedInProcess()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Negotiated(HtmlRepresentation, CsvRepresentation)
            .WithName("GetInstitutionCompliance")
            .WithSummary("The institution's LAI/PNTP compliance report: each criterion, each organ, the evidence and what to fix")
            .WithDescription("Evaluates the published content (never drafts) against the rulebook returned in 'rules' and 'criteriaDefinitions': "
                + "for every published organ and for the institution, each rule is present, outdated (it rests on revoked norms) or missing, with the field, "
                + "the revision it was read in and since when it has been so. Scores are 0–100. '?format=csv' answers the same checks as text/csv "
                + "(one row per organ and rule: institution, organ_slug, organ_name, revision, rule, criterion, weight, status, fields_missing, fields_outdated, since, what_to_do); "
                + "'?format=html' as a text/html fragment for the console and portals (a section with the criteria and organs as tables with caption and "
                + "scoped headers, the fixes as a list, statuses in words with paco-status--present|outdated|missing classes; no script, no style). "
                + "Without '?format=', Accept chooses among the same three (application/json, text/html, text/csv); with it, Accept is not consulted. "
                + "'?at=' (ISO 8601, any offset) gives the report over what was published at that instant, with each norm's status as published then "
                + "(audits: \"were we compliant on 31 December?\"); an instant in the future is 400. "
                + "The answer changes only when the institution publishes, unpublishes or archives something, so it is cached with its own ETag.");
        app.MapComplianceRanking();
        return app;
    }

    // Made from the JSON report by the representations' negotiation, for ?format= and Accept alike.
    private static readonly AlternativeRepresentation HtmlRepresentation = AlternativeRepresentation.Of<ComplianceReport>(MediaRepresentation.Html,
        (report, _) => ComplianceHtml.Render(report),
        """<section class="paco-compliance" lang="pt-BR" aria-labelledby="paco-compliance-amostra"><h2 class="paco-compliance__title" id="paco-compliance-amostra">Transparência ativa – Município de Exemplo</h2><p class="paco-compliance__score">Pontuação geral: <strong>87</strong> de 100 · PNTP 2025, dimensão 2</p></section>""");

    private static readonly AlternativeRepresentation CsvRepresentation = AlternativeRepresentation.Of<ComplianceReport>(
        MediaRepresentation.Csv,
        (report, _) => Csv.Utf8.GetBytes(ToCsv(report)),
        "institution,organ_slug,organ_name,revision,rule,criterion,weight,status,fields_missing,fields_outdated,since,what_to_do\r\n");

    public static async Task<Results<CachedJson<ComplianceReport>, ProblemHttpResult>> GetCompliance(
        string institution, [AsParameters] ComplianceQuery query, [AsParameters] ReadServices services)
    {
        var (db, cancellationToken) = (services.Db, services.CancellationToken);
        var found = await db.Institutions.AsNoTracking().Where(i => i.Slug == institution)
            .Select(i => new InstitutionRef(i.Id, i.Slug, i.Name)).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        if (PointInTime.RefuseFuture(query.At, services.Clock, "reports") is { } future)
        {
            return future;
        }
        var report = query.At is { } at ? await ReportAtAsync(db, found, at, cancellationToken) : await ReportAsync(db, found, cancellationToken);
        var lastModified = await db.LastPublicChangeAsync(found.Id, null, cancellationToken);
        return CachedJson<ComplianceReport>.From(report, lastModified).CachedFor(found.Id);
    }

    /// <summary>A published organ revision (with when it was published), or a published legal basis: both come in one query.</summary>
    private sealed record FactRow(Guid Id, int? Number, DateTimeOffset? At, string? Document, string? Slug, string? Title, string? Status);

    /// <summary>
    /// The report over what the public sees, read in one round trip (publishing pays for it: see <see cref="ComplianceScores"/>):
    /// every publication of each published organ, oldest first, for "since when", and the published legal bases.
    /// </summary>
    public static async Task<ComplianceReport> ReportAsync(PacoDb db, InstitutionRef institution, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<FactRow>($"""
            select * from (
              select r.id as "Id", v.number as "Number", p.at as "At", v.document::text as "Document",
                     null::text as "Slug", null::text as "Title", null::text as "Status", p.id as sequence
              from resources r
              join publications p on p.resource_id = r.id and p.action = 'publish'
              join revisions v on v.resource_id = r.id and v.number = p.revision_number
              where r.institution_id = {institution.Id} and r.type = {OrganModule.TypeName} and r.published_revision is not null and r.archived_at is null
              union all
              select l.resource_id, null, null, null, l.slug, l.title, l.status, 0
              from legal_bases l join resources r on r.id = l.resource_id and r.published_revision is not null and r.archived_at is null
              where l.institution_id = {institution.Id}
            ) facts
            order by "Id", sequence
            """).ToListAsync(cancellationToken);
        return Evaluate(institution, rows);
    }

    /// <summary>
    /// The report as it stood at <paramref name="at"/>: what was published then, by the point-in-time rule of the exports and of
    /// <c>?at=</c> reads (a resource counts when its last publication up to that instant is a publish), its publications up to
    /// then for "since when", and each legal basis as its revision published then said (its status then, not today's).
    /// </summary>
    public static async Task<ComplianceReport> ReportAtAsync(PacoDb db, InstitutionRef institution, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var instant = at.ToUniversalTime();
        var rows = await db.Database.SqlQuery<FactRow>($"""
            with shown as (
              select r.id, r.type, last.revision_number
              from resources r
              join lateral (select action, revision_number from publications where resource_id = r.id and at <= {instant} order by id desc limit 1) last
                on last.action = 'publish'
              where r.institution_id = {institution.Id} and r.type in ({OrganModule.TypeName}, {LegalBasisModule.TypeName})
            )
            select * from (
              select s.id as "Id", v.number as "Number", p.at as "At", v.document::text as "Document",
                     null::text as "Slug", null::text as "Title", null::text as "Status", p.id as sequence
              from shown s
              join publications p on p.resource_id = s.id and p.action = 'publish' and p.at <= {instant}
              join revisions v on v.resource_id = s.id and v.number = p.revision_number
              where s.type = {OrganModule.TypeName}
              union all
              select s.id, null, null, null, v.document->>'slug', v.document->>'title', v.document->>'status', 0
              from shown s join revisions v on v.resource_id = s.id and v.number = s.revision_number
              where s.type = {LegalBasisModule.TypeName}
            ) facts
            order by "Id", sequence
            """).ToListAsync(cancellationToken);
        return Evaluate(institution, rows);
    }

    private static ComplianceReport Evaluate(InstitutionRef institution, List<FactRow> rows)
    {
        var organs = rows.Where(r => r.Document is not null).GroupBy(r => r.Id)
            .Select(g => new OrganFacts(g.Key, g.Select(r => new PublishedOrganRevision(r.Number!.Value, r.At!.Value, PacoJson.Deserialize<OrganDocument>(r.Document!))).ToList()))
            .ToList();
        var legalBases = rows.Where(r => r.Document is null).Select(r => new LegalBasisFact(r.Id, r.Slug!, r.Title!, r.Status!)).ToList();
        return ComplianceEvaluator.Evaluate(institution, organs, legalBases);
    }

    public static readonly IReadOnlyList<string> CsvColumns =
        ["institution", "organ_slug", "organ_name", "revision", "rule", "criterion", "weight", "status", "fields_missing", "fields_outdated", "since", "what_to_do"];

    public static string ToCsv(ComplianceReport report)
    {
        var weights = report.Rules.ToDictionary(r => r.Id, r => r.Weight);
        var text = new StringBuilder(Csv.Row(CsvColumns));
        void Add(OrganCompliance? organ, ComplianceCheck check) => text.Append(Csv.Row([
            report.Institution.Slug, organ?.Organ.Slug, organ?.Organ.Name, organ?.Revision, check.Rule, check.Criterion, weights[check.Rule], check.Status,
            string.Join(' ', check.Evidence.Where(e => e.Status == ComplianceStatuses.Missing).Select(e => e.Field)),
            string.Join(' ', check.Evidence.Where(e => e.Status == ComplianceStatuses.Outdated).Select(e => e.Field)),
            check.Evidence.Select(e => e.Since).Max(), check.WhatToDo,
        ]));
        foreach (var check in report.InstitutionChecks)
        {
            Add(null, check);
        }
        foreach (var organ in report.Organs)
        {
            foreach (var check in organ.Checks)
            {
                Add(organ, check);
            }
        }
        return text.ToString();
    }
}

public sealed record ComplianceQuery
{
    public const string Json = "json";
    public const string Csv = "csv";
    public const string Html = "html";
    public static readonly IReadOnlyList<string> Formats = [Json, Csv, Html];

    /// <summary>json (the default), csv (text/csv, one row per organ and rule) or html (text/html: an accessible fragment to place in a page).</summary>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }

    /// <summary>An instant (ISO 8601 with offset): the report over what was published then ("were we compliant on 31 December?").</summary>
    [FromQuery(Name = "at")]
    public DateTimeOffset? At { get; init; }
}

public sealed class ComplianceQueryValidator : AbstractValidator<ComplianceQuery>
{
    public ComplianceQueryValidator() => this.OneOf(q => q.Format, "format", ComplianceQuery.Formats);
}

public static class ComplianceRegistration
{
    public static IServiceCollection AddCompliance(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<ComplianceQuery>, ComplianceQueryValidator>();
        services.AddSingleton<IValidator<StateQuery>, StateQueryValidator>();
        services.AddSingleton<IPublishedContentObserver, ComplianceScores>();
        services.AddHostedService<ComplianceScoreBackfill>();
        return services;
    }
}
