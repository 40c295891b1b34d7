using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Revisions;

internal sealed record StoredRepresentation(Guid Id, byte[] Body, string ETag, DateTimeOffset RenderedAt);

internal static class PublishedRepresentations
{
    private sealed record Row(Guid Id, string Json, string ETag, DateTimeOffset RenderedAt);

    private static readonly Func<PacoDb, string, string, Guid, string, Task<Row?>> Query =
        EF.CompileAsyncQuery((PacoDb db, string institution, string slug, Guid id, string type) =>
            db.Resources.AsNoTracking()
                .Where(r => (r.Slug == slug || r.Id == id) && r.Type == type && r.PublishedRevision != null && r.ArchivedAt == null)
                .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
                .Select(r => new Row(r.Id, r.PublishedJson!, r.PublishedEtag!, r.RenderedAt!.Value))
                .FirstOrDefault());

    /// <summary>
    /// The stored representation of a published resource, addressed by slug or id: from the in-memory cache, or one
    /// indexed look-up served as stored (and then cached).
    /// </summary>
    public static async Task<StoredRepresentation?> FindAsync(PacoDb db, PublishedCache cache, string institution, string type, string key)
    {
        var cacheKey = new PublishedCache.CacheKey(institution, type, key);
        if (cache.TryGet(cacheKey, out var hit))
        {
            return new StoredRepresentation(hit.ResourceId, hit.Body, hit.ETag, hit.LastModified);
        }
        var generation = cache.Generation;
        var row = Guid.TryParse(key, out var id)
            ? await Query(db, institution, "", id, type) // no slug is empty (schema check), so only the id matches
            : await Query(db, institution, key, Guid.Empty, type);
        if (row is null)
        {
            return null;
        }
        var stored = new StoredRepresentation(row.Id, System.Text.Encoding.UTF8.GetBytes(row.Json), row.ETag, row.RenderedAt);
        cache.Set(cacheKey, new PublishedCache.CacheEntry(stored.Id, stored.Body, stored.ETag, stored.RenderedAt), generation);
        return stored;
    }

    /// <summary>
    /// The resource as the public saw it at <paramref name="at"/>: the revision published then, rendered with today's
    /// names of the things it refers to. 404 if it was not published at that instant.
    /// </summary>
    public static async Task<Results<CachedJson<TResponse>, ProblemHttpResult>> AtAsync<TResponse>(
        PacoDb db, string institution, VersionedKind kind, string key, DateTimeOffset at, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (at > clock.GetUtcNow())
        {
            return Problems.BadRequest($"'at' ({at:O}) is in the future; point-in-time reads look at the past.");
        }
        var resource = await db.Resources.AsNoTracking()
            .Where(Lookups.Addressed(key))
            .Where(r => r.Type == kind.Type && db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
            .Select(r => new { r.Id, r.InstitutionId })
            .SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return await db.MissingAsync(institution, kind, key, cancellationToken);
        }
        var last = await db.Publications.AsNoTracking()
            .Where(p => p.ResourceId == resource.Id && p.At <= at)
            .OrderByDescending(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (last is not { Action: PublicationActions.Publish, RevisionNumber: int number })
        {
            return Problems.NotFound($"The {kind.Name} '{key}' was not published at {at:O}.");
        }
        var revision = await db.Revisions.AsNoTracking().SingleAsync(v => v.ResourceId == resource.Id && v.Number == number, cancellationToken);
        var context = await RenderContext.LoadAsync(db, resource.InstitutionId, cancellationToken);
        var info = new RevisionInfo(number, last.At, revision.ContentHash);
        object rendered = kind.Type == ResourceTypes.Organ
            ? context.RenderOrgan(resource.Id, PacoJson.Deserialize<OrganDocument>(revision.Document), info)
            : context.RenderLegalBasis(resource.Id, PacoJson.Deserialize<LegalBasisDocument>(revision.Document), info);
        return CachedJson<TResponse>.From((TResponse)rendered, last.At);
    }
}
