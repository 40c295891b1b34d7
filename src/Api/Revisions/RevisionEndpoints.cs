using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>A revision in a history list.</summary>
public sealed record RevisionSummary(
    int Number,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    DateTimeOffset FirstPublishedAt,
    bool Current);

/// <summary>One published revision, exactly as it was stored. Never changes, so it is cacheable forever.</summary>
public sealed record RevisionResponse<TDocument>(
    Guid ResourceId,
    int Number,
    DateTimeOffset CreatedAt,
    string Author,
    string? Note,
    string ContentHash,
    DateTimeOffset FirstPublishedAt,
    TDocument Document);

public static class RevisionEndpoints
{
    /// <summary>Adds GET {key}/revisions and GET {key}/revisions/{number} for a versioned resource type.</summary>
    public static void MapRevisionHistory<TDocument>(this RouteGroupBuilder group, string type, string routeKey, string name)
    {
        var plural = type == ResourceTypes.Organ ? "organs" : "legal-bases";
        group.MapGet($"/{{{routeKey}}}/revisions",
                (string institution, [AsParameters] PageQuery query, PacoDb db, HttpContext http, CancellationToken ct) =>
                    ListRevisions(institution, RouteKey(http, routeKey), type, plural, query, db, http, ct))
            .WithName($"List{name}Revisions")
            .WithSummary($"The published revisions of {Article(name)}, newest first");
        group.MapGet($"/{{{routeKey}}}/revisions/{{number}}",
                (string institution, int number, PacoDb db, HttpContext http, CancellationToken ct) =>
                    GetRevision<TDocument>(institution, RouteKey(http, routeKey), number, type, plural, db, ct))
            .WithName($"Get{name}Revision")
            .WithSummary($"One published revision of {Article(name)}, by number, as it was stored");
    }

    // The same handlers serve /organs/{organ} and /legal-bases/{legalBasis}: the key is read by its route name.
    private static string RouteKey(HttpContext http, string routeKey) => (string)http.GetRouteValue(routeKey)!;

    private static string Article(string name) => name == "Organ" ? "an organ" : "a legal basis";

    private static IQueryable<Revision> PublishedRevisions(PacoDb db, Guid resourceId) =>
        db.Revisions.AsNoTracking().Where(v => v.ResourceId == resourceId
            && db.Publications.Any(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish));

    public static async Task<Results<CachedJson<Page<RevisionSummary>>, ProblemHttpResult>> ListRevisions(
        string institution, string key, string type, string plural, PageQuery query, PacoDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var resource = await db.Published(institution, type, key).Select(r => new { r.Id, r.PublishedRevision, r.PublishedAt }).SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return await db.MissingAsync(institution, type == ResourceTypes.Organ ? "organ" : "legal basis", key, plural, cancellationToken);
        }
        var revisions = PublishedRevisions(db, resource.Id);
        var total = await revisions.CountAsync(cancellationToken);
        var (page, pageSize) = query.PageAndSize();
        var items = await revisions
            .OrderByDescending(v => v.Number)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(v => new RevisionSummary(v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash,
                db.Publications.Where(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish).Min(p => p.At),
                v.Number == resource.PublishedRevision))
            .ToListAsync(cancellationToken);
        Paging.AddLinks(http, page, pageSize, total);
        return CachedJson<Page<RevisionSummary>>.From(new Page<RevisionSummary>(items, page, pageSize, total), resource.PublishedAt!.Value);
    }

    public static async Task<Results<CachedJson<RevisionResponse<TDocument>>, ProblemHttpResult>> GetRevision<TDocument>(
        string institution, string key, int number, string type, string plural, PacoDb db, CancellationToken cancellationToken)
    {
        var resource = await db.Published(institution, type, key).Select(r => new { r.Id }).SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return await db.MissingAsync(institution, type == ResourceTypes.Organ ? "organ" : "legal basis", key, plural, cancellationToken);
        }
        var revision = await PublishedRevisions(db, resource.Id)
            .Where(v => v.Number == number)
            .Select(v => new
            {
                v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash, v.Document,
                FirstPublishedAt = db.Publications.Where(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish).Min(p => p.At),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (revision is null)
        {
            return Problems.NotFound($"There is no published revision {number} of '{key}'. GET /api/v1/institutions/{institution}/{plural}/{key}/revisions lists them.");
        }
        var response = new RevisionResponse<TDocument>(resource.Id, revision.Number, revision.CreatedAt, revision.Author, revision.Note,
            revision.ContentHash, revision.FirstPublishedAt, PacoJson.Deserialize<TDocument>(revision.Document));
        return CachedJson<RevisionResponse<TDocument>>.From(response, revision.FirstPublishedAt, CachePolicy.Immutable);
    }
}
