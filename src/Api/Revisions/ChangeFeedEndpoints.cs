using System.ComponentModel;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Audit;
using Paco.Api.Auth;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>One change of what the public sees. <see cref="Cursor"/> orders the feed; pass the last one as ?after= to continue.</summary>
public sealed record ChangeEntry(long Cursor, string Action, string ResourceType, Guid ResourceId, string Slug, int? Revision, DateTimeOffset At, string Url);

public sealed record ChangeFeed(IReadOnlyList<ChangeEntry> Items, long NextCursor, bool HasMore);

public sealed record AuditLine(long Id, DateTimeOffset At, string Actor, Guid? KeyId, string Action, string? ResourceType, Guid? ResourceId, int? Revision, System.Text.Json.JsonElement? Detail);

public sealed record AuditPage(IReadOnlyList<AuditLine> Items, long? NextBefore);

public static class ChangeFeedEndpoints
{
    public static IEndpointRouteBuilder MapChangeFeedAndAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/institutions/{institution}/changes", GetChanges)
            .WithName("GetChanges")
            .WithSummary("What was published, unpublished or archived after a cursor (or since a time), oldest first")
            .WithDescription("Sync a portal incrementally: start with after=0, then pass nextCursor. Changes are listed a couple of seconds after they commit, so a slow transaction can never be skipped.")
            .WithTags("Changes")
            .WithValidation()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/institutions/{institution}/audit", GetAudit)
            .WithName("GetAuditLog")
            .WithSummary("Who did what to which resource, when and with which key, newest first (admins)")
            .WithDescription("Admins of the institution. Every create, write, publication, unpublication, archive and restore, drafts included, with the key that did it; page with ?before= the nextBefore of the previous page.")
            .WithTags("Editorial")
            .RequireRoleInInstitution(Authorization.AdminPolicy)
            .WithValidation()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Ok<ChangeFeed>, ProblemHttpResult>> GetChanges(
        string institution, [AsParameters] ChangeQuery query, PacoDb db, ResourceModules modules, IConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        // Identity values are handed out at insert but become visible at commit, possibly out of order: only rows
        // older than the settle delay are listed, so a reader's cursor never passes a row that commits later.
        var settled = clock.GetUtcNow() - configuration.GetValue("Changes:SettleDelay", TimeSpan.FromSeconds(2));
        var after = query.After ?? 0;
        var limit = query.Limit ?? 100;
        var changes = db.Publications.AsNoTracking()
            .Where(p => p.Id > after && p.At <= settled)
            .Join(db.Resources.Where(r => r.InstitutionId == institutionId), p => p.ResourceId, r => r.Id, (p, r) => new { p, r });
        if (query.Since?.ToUniversalTime() is { } since) // PostgreSQL compares instants; Npgsql takes them in UTC
        {
            changes = changes.Where(x => x.p.At >= since);
        }
        var rows = await changes.OrderBy(x => x.p.Id).Take(limit + 1)
            .Select(x => new { Cursor = x.p.Id, x.p.Action, x.r.Type, ResourceId = x.r.Id, Slug = x.r.PublicSlug ?? x.r.Slug, x.p.RevisionNumber, x.p.At })
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit)
            .Select(x => new ChangeEntry(x.Cursor, x.Action, x.Type, x.ResourceId, x.Slug, x.RevisionNumber, x.At, $"{modules.Find(x.Type)?.Kind.Collection(institution) ?? $"/api/v1/institutions/{institution}/{x.Type}"}/{x.Slug}"))
            .ToList();
        return TypedResults.Ok(new ChangeFeed(items, items.Count > 0 ? items[^1].Cursor : after, rows.Count > limit));
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> GetAudit(
        string institution, [AsParameters] AuditQuery query, PacoDb db, CancellationToken cancellationToken)
    {
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        var take = query.Limit ?? 100;
        var before = query.Before;
        var rows = await db.AuditLog.AsNoTracking()
            .Where(a => a.InstitutionId == institutionId && (before == null || a.Id < before))
            .OrderByDescending(a => a.Id)
            .Take(take)
            .Select(a => new { a.Id, a.At, a.Actor, a.KeyId, a.Action, a.ResourceType, a.ResourceId, a.Revision, a.Detail })
            .ToListAsync(cancellationToken);
        var lines = rows.Select(a => new AuditLine(a.Id, a.At, a.Actor, a.KeyId, a.Action, a.ResourceType, a.ResourceId, a.Revision,
            a.Detail is null ? null : System.Text.Json.JsonDocument.Parse(a.Detail).RootElement.Clone())).ToList();
        return TypedResults.Ok(new AuditPage(lines, lines.Count == take ? lines[^1].Id : null));
    }
}

public sealed record ChangeQuery
{
    /// <summary>Only changes after this cursor (the nextCursor of the previous page); 0 for the beginning.</summary>
    [FromQuery(Name = "after")]
    [DefaultValue(0)]
    public long? After { get; init; }

    /// <summary>Only changes at or after this instant (ISO 8601).</summary>
    [FromQuery(Name = "since")]
    public DateTimeOffset? Since { get; init; }

    /// <summary>At most this many changes (1 to 1000).</summary>
    [FromQuery(Name = "limit")]
    [DefaultValue(100)]
    public int? Limit { get; init; }
}

public sealed class ChangeQueryValidator : AbstractValidator<ChangeQuery>
{
    public ChangeQueryValidator()
    {
        RuleFor(q => q.After).GreaterThanOrEqualTo(0).OverridePropertyName("after").WithMessage("'after' must be 0 or more: the nextCursor of the previous page.", "'after' deve ser 0 ou mais: o nextCursor da página anterior.");
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000).OverridePropertyName("limit").WithMessage("'limit' must be between 1 and 1000.", "'limit' deve estar entre 1 e 1000.");
    }
}

public sealed record AuditQuery
{
    /// <summary>Only lines older than this id (the nextBefore of the previous page).</summary>
    [FromQuery(Name = "before")]
    public long? Before { get; init; }

    /// <summary>At most this many lines (1 to 500).</summary>
    [FromQuery(Name = "limit")]
    [DefaultValue(100)]
    public int? Limit { get; init; }
}

public sealed class AuditQueryValidator : AbstractValidator<AuditQuery>
{
    public AuditQueryValidator() =>
        RuleFor(q => q.Limit).InclusiveBetween(1, 500).OverridePropertyName("limit").WithMessage("'limit' must be between 1 and 500.", "'limit' deve estar entre 1 e 500.");
}
