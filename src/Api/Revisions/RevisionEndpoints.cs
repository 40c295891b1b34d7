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

/// <summary>A versioned resource type as the routes name it.</summary>
public sealed record VersionedKind(string Type, string Name, string Path);

/// <summary>Handlers of the revision history, shared by organs and legal bases (each maps them under its own route parameter).</summary>
public static class RevisionEndpoints
{
    public static readonly VersionedKind Organs = new(ResourceTypes.Organ, "organ", "organs");
    public static readonly VersionedKind LegalBases = new(ResourceTypes.LegalBasis, "legal basis", "legal-bases");

    private static IQueryable<Revision> PublishedRevisions(PacoDb db, Guid resourceId) =>
        db.Revisions.AsNoTracking().Where(v => v.ResourceId == resourceId
            && db.Publications.Any(p => p.ResourceId == v.ResourceId && p.RevisionNumber == v.Number && p.Action == PublicationActions.Publish));

    public static Task<Results<CachedJson<Page<RevisionSummary>>, ProblemHttpResult>> ListRevisions(
        string institution, string key, VersionedKind kind, PageQuery query, PacoDb db, PublishedCache cache, HttpContext http, CancellationToken cancellationToken) =>
        cache.GetOrComputeAsync<Page<RevisionSummary>, Results<CachedJson<Page<RevisionSummary>>, ProblemHttpResult>>(
            new(institution, "revisions", $"{kind.Type}|{key}|{query}"), answer => answer, () => ComputeRevisionsAsync(institution, key, kind, query, db, http, cancellationToken));

    private static async Task<(Results<CachedJson<Page<RevisionSummary>>, ProblemHttpResult>, Guid, Guid)> ComputeRevisionsAsync(
        string institution, string key, VersionedKind kind, PageQuery query, PacoDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var resource = await db.EverPublished(institution, kind.Type, key).Select(r => new { r.Id, r.InstitutionId, r.PublishedRevision, r.RenderedAt }).SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return (await db.MissingAsync(institution, kind, key, cancellationToken), Guid.Empty, Guid.Empty);
        }
        var (page, pageSize) = query.PageAndSize();
        var published = await db.Publications.AsNoTracking()
            .Where(p => p.ResourceId == resource.Id && p.Action == PublicationActions.Publish)
            .GroupBy(p => p.RevisionNumber!.Value)
            .Select(g => new { Number = g.Key, FirstPublishedAt = g.Min(p => p.At) })
            .ToListAsync(cancellationToken);
        var firstPublished = published.ToDictionary(p => p.Number, p => p.FirstPublishedAt);
        var numbers = firstPublished.Keys.OrderDescending().Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var revisions = await db.Revisions.AsNoTracking()
            .Where(v => v.ResourceId == resource.Id && numbers.Contains(v.Number))
            .Select(v => new { v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash })
            .ToListAsync(cancellationToken);
        var items = revisions.OrderByDescending(v => v.Number)
            .Select(v => new RevisionSummary(v.Number, v.CreatedAt, v.Author, v.Note, v.ContentHash, firstPublished[v.Number], v.Number == resource.PublishedRevision))
            .ToList();
        var total = firstPublished.Count;
        return (CachedJson<Page<RevisionSummary>>.From(new Page<RevisionSummary>(items, page, pageSize, total), resource.RenderedAt ?? DateTimeOffset.UnixEpoch,
            headers: Paging.Links(http, page, pageSize, total)), resource.InstitutionId, resource.Id);
    }

    public static Task<Results<CachedJson<RevisionResponse<TDocument>>, ProblemHttpResult>> GetRevision<TDocument>(
        string institution, string key, int number, VersionedKind kind, PacoDb db, PublishedCache cache, HttpContext http, CancellationToken cancellationToken) =>
        cache.GetOrComputeAsync<RevisionResponse<TDocument>, Results<CachedJson<RevisionResponse<TDocument>>, ProblemHttpResult>>(
            new(institution, "revision", $"{kind.Type}|{key}|{number}"), answer => answer, () => ComputeRevisionAsync<TDocument>(institution, key, number, kind, db, cancellationToken));

    private static async Task<(Results<CachedJson<RevisionResponse<TDocument>>, ProblemHttpResult>, Guid, Guid)> ComputeRevisionAsync<TDocument>(
        string institution, string key, int number, VersionedKind kind, PacoDb db, CancellationToken cancellationToken)
    {
        var resource = await db.EverPublished(institution, kind.Type, key).Select(r => new { r.Id, r.InstitutionId }).SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return (await db.MissingAsync(institution, kind, key, cancellationToken), Guid.Empty, Guid.Empty);
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
            return (Problems.NotFound($"There is no published revision {number} of '{key}'. GET /api/v1/institutions/{institution}/{kind.Path}/{key}/revisions lists them."), Guid.Empty, Guid.Empty);
        }
        var response = new RevisionResponse<TDocument>(resource.Id, revision.Number, revision.CreatedAt, revision.Author, revision.Note,
            revision.ContentHash, revision.FirstPublishedAt, PacoJson.Deserialize<TDocument>(revision.Document));
        return (CachedJson<RevisionResponse<TDocument>>.From(response, revision.FirstPublishedAt, CachePolicy.Immutable), resource.InstitutionId, resource.Id);
    }
}
