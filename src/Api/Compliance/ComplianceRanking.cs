using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Institutions;
using Paco.Api.Revisions;

namespace Paco.Api.Compliance;

/// <summary>One institution in the ranking: its place, its overall score and each criterion's.</summary>
public sealed record ComplianceRankingEntry(
    int Rank,
    InstitutionRef Institution,
    [property: ClosedSet(typeof(InstitutionKinds))] string Kind,
    string? Uf,
    string? Municipality,
    double Score,
    IReadOnlyList<CriterionRankingScore> Criteria,
    int Organs,
    DateTimeOffset ComputedAt);

public sealed record CriterionRankingScore(string Criterion, double Score);

/// <summary>
/// Keeps each institution's score in compliance_scores: recomputed in the transaction of every change of what it publishes
/// (the engine calls it), so the ranking never evaluates anything.
/// </summary>
public sealed class ComplianceScores(TimeProvider clock) : IPublishedContentObserver
{
    public async Task PublishedContentChangedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken)
    {
        var report = await ComplianceEndpoints.ReportAsync(db, institution.Ref, cancellationToken);
        await StoreAsync(db, institution.Id, report, clock.GetUtcNow(), replace: true, cancellationToken);
    }

    /// <param name="replace">False for the backfill: a score written meanwhile by a publication is newer than what it read.</param>
    public static async Task StoreAsync(PacoDb db, Guid institutionId, ComplianceReport report, DateTimeOffset now, bool replace, CancellationToken cancellationToken)
    {
        var criteria = System.Text.Json.JsonSerializer.Serialize(
            report.Criteria.Where(c => !c.Optional).Select(c => new CriterionRankingScore(c.Criterion, c.Score)), PacoJson.Options);
        if (replace)
        {
            await db.Database.ExecuteSqlAsync($"""
                insert into compliance_scores (institution_id, score, criteria, organs, computed_at)
                values ({institutionId}, {report.Score}, {criteria}::jsonb, {report.Organs.Count}, {now})
                on conflict (institution_id) do update set score = excluded.score, criteria = excluded.criteria, organs = excluded.organs, computed_at = excluded.computed_at
                """, cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                insert into compliance_scores (institution_id, score, criteria, organs, computed_at)
                values ({institutionId}, {report.Score}, {criteria}::jsonb, {report.Organs.Count}, {now})
                on conflict (institution_id) do nothing
                """, cancellationToken);
        }
    }
}

/// <summary>
/// Scores for institutions that have none (content published before scores existed, such as a database restored from a dump),
/// computed in the background after start, a few at a time.
/// </summary>
public sealed class ComplianceScoreBackfill(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ComplianceScoreBackfill> logger) : BackgroundService
{
    private sealed record MissingScore(Guid Id, string Slug, string Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var done = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PacoDb>();
                // Institutions that published something and have no score yet; the others are not ranked.
                var missing = await db.Database.SqlQuery<MissingScore>($"""
                    select i.id as "Id", i.slug as "Slug", i.name as "Name" from institutions i
                    where not exists (select 1 from compliance_scores s where s.institution_id = i.id)
                      and exists (select 1 from resources r where r.institution_id = i.id and r.published_revision is not null)
                    order by i.id limit 50
                    """).ToListAsync(stoppingToken);
                if (missing.Count == 0)
                {
                    break;
                }
                foreach (var institution in missing)
                {
                    var report = await ComplianceEndpoints.ReportAsync(db, new InstitutionRef(institution.Id, institution.Slug, institution.Name), stoppingToken);
                    await ComplianceScores.StoreAsync(db, institution.Id, report, clock.GetUtcNow(), replace: false, stoppingToken);
                }
                done += missing.Count;
            }
            if (done > 0)
            {
                logger.LogInformation("Computed the compliance scores of {Count} institutions that had none", done);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // The ranking simply lacks them until the institution publishes again, or the next start.
            logger.LogWarning(exception, "Computing missing compliance scores failed");
        }
    }
}

public static class ComplianceRankingEndpoints
{
    public static IEndpointRouteBuilder MapComplianceRanking(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/compliance", ListRanking)
            .WithTags("Compliance")
            .WithValidation()
            .CachedInProcess()
            .WithName("ListComplianceRanking")
            .WithSummary("Institutions ranked by compliance score (best first), optionally of one state; paged")
            .WithDescription("Scores are those of GET /api/v1/institutions/{institution}/compliance, computed when each institution publishes "
                + "(institutions that never published anything are not ranked), and cached until any institution publishes. Ties are broken by slug. 'rank' is the place within the filter.");
        return app;
    }

    private sealed record Row(Guid Id, string Slug, string Name, string Kind, string? Uf, string? Municipality, double Score, string Criteria, int Organs,
        DateTimeOffset ComputedAt, int Total);

    public static async Task<CachedJson<Page<ComplianceRankingEntry>>> ListRanking([AsParameters] StateQuery query, [AsParameters] PageQuery paging,
        [AsParameters] ReadServices services)
    {
        var (page, pageSize) = paging.PageAndSize();
        var offset = (page - 1) * pageSize;
        var rows = await services.Db.Database.SqlQuery<Row>($"""
            select i.id as "Id", i.slug as "Slug", i.name as "Name", i.kind as "Kind", i.uf as "Uf", i.municipality as "Municipality",
                   s.score as "Score", s.criteria::text as "Criteria", s.organs as "Organs", s.computed_at as "ComputedAt", count(*) over () as "Total"
            from compliance_scores s join institutions i on i.id = s.institution_id
            where {query.Uf}::text is null or i.uf = {query.Uf}
            order by s.score desc, i.slug
            limit {pageSize} offset {offset}
            """).ToListAsync(services.CancellationToken);
        var total = rows.Count > 0 ? rows[0].Total : await services.Db.Database.SqlQuery<int>($"""
            select count(*)::int as "Value" from compliance_scores s join institutions i on i.id = s.institution_id where {query.Uf}::text is null or i.uf = {query.Uf}
            """).SingleAsync(services.CancellationToken);
        var items = rows.Select((r, i) => new ComplianceRankingEntry(offset + i + 1, new InstitutionRef(r.Id, r.Slug, r.Name), r.Kind, r.Uf?.Trim(), r.Municipality,
            r.Score, PacoJson.Deserialize<List<CriterionRankingScore>>(r.Criteria), r.Organs, r.ComputedAt)).ToList();
        var lastModified = rows.Count == 0 ? DateTimeOffset.UnixEpoch : rows.Max(r => r.ComputedAt);
        return CachedJson<Page<ComplianceRankingEntry>>.From(new Page<ComplianceRankingEntry>(items, page, pageSize, total), lastModified,
            headers: Paging.Links(services.Http, page, pageSize, total)).CachedFor(Guid.Empty); // across institutions: goes at any publication
    }
}

public sealed record StateQuery
{
    /// <summary>Only institutions of this state (MG, SP…).</summary>
    [FromQuery(Name = "uf")]
    public string? Uf { get; init; }
}

public sealed class StateQueryValidator : AbstractValidator<StateQuery>
{
    public StateQueryValidator() => this.OneOf(q => q.Uf, "uf", BrazilianStates.Codes);
}
