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
    private sealed record Row(Guid Id, Guid InstitutionId, string Json, string ETag, DateTimeOffset RenderedAt);

    private static readonly Func<PacoDb, string, string, Guid, string, Task<Row?>> Query =
        EF.CompileAsyncQuery((PacoDb db, string institution, string slug, Guid id, string type) =>
            db.Resources.AsNoTracking()
                .Where(r => (r.Slug == slug || r.Id == id) && r.Type == type && r.PublishedRevision != null && r.ArchivedAt == null)
                .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
                .Select(r => new Row(r.Id, r.InstitutionId, r.PublishedJson!, r.PublishedEtag!, r.RenderedAt!.Value))
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
        cache.Set(cacheKey, new PublishedCache.CacheEntry(row.InstitutionId, stored.Id, stored.Body, stored.ETag, stored.RenderedAt), generation);
        return stored;
    }

    /// <summary>
    /// The resource as the public saw it at <paramref name="at"/>: the revision published then, rendered with today's
    /// names of the things it refers to. 404 if it was not published at that instant.
    /// </summary>
    public static Task<Results<CachedJson<TResponse>, ProblemHttpResult>> AtAsync<TResponse>(
        PacoDb db, PublishedCache cache, HttpContext http, string institution, VersionedKind kind, string key, DateTimeOffset at, TimeProvider clock, CancellationToken cancellationToken) =>
        at > clock.GetUtcNow()
            ? Task.FromResult<Results<CachedJson<TResponse>, ProblemHttpResult>>(Problems.BadRequest($"'at' ({at:O}) is in the future; point-in-time reads look at the past."))
            : cache.GetOrComputeAsync<TResponse, Results<CachedJson<TResponse>, ProblemHttpResult>>(
                new(institution, "at", $"{kind.Type}|{key}|{at.UtcTicks}"), answer => answer, () => ComputeAtAsync<TResponse>(db, institution, kind, key, at, cancellationToken));

    private static async Task<(Results<CachedJson<TResponse>, ProblemHttpResult>, Guid, Guid)> ComputeAtAsync<TResponse>(
        PacoDb db, string institution, VersionedKind kind, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var resource = await db.Resources.AsNoTracking()
            .Where(Lookups.Addressed(key))
            .Where(r => r.Type == kind.Type && db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
            .Select(r => new { r.Id, r.InstitutionId })
            .SingleOrDefaultAsync(cancellationToken);
        if (resource is null)
        {
            return (await db.MissingAsync(institution, kind, key, cancellationToken), Guid.Empty, Guid.Empty);
        }
        var last = await db.Publications.AsNoTracking()
            .Where(p => p.ResourceId == resource.Id && p.At <= at)
            .OrderByDescending(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (last is not { Action: PublicationActions.Publish, RevisionNumber: int number })
        {
            return (Problems.NotFound($"The {kind.Name} '{key}' was not published at {at:O}."), Guid.Empty, Guid.Empty);
        }
        var revision = await db.Revisions.AsNoTracking().SingleAsync(v => v.ResourceId == resource.Id && v.Number == number, cancellationToken);
        var info = new RevisionInfo(number, last.At, revision.ContentHash);
        object rendered;
        if (kind.Type == ResourceTypes.Organ)
        {
            var document = PacoJson.Deserialize<OrganDocument>(revision.Document);
            // Only what this document refers to: its parent, the organs performing its competences, the legal bases it cites.
            var organs = document.Competences.Select(c => c.PerformedById).Append(document.ParentId).OfType<Guid>().ToHashSet();
            var legalBases = document.LegalBases.Select(l => l.LegalBasisId).Concat(document.Competences.SelectMany(c => c.Citations.Select(x => x.LegalBasisId))).ToHashSet();
            var context = await RenderContext.LoadAsync(db, resource.InstitutionId, cancellationToken, organs, legalBases, citationsOf: []);
            rendered = context.RenderOrgan(resource.Id, document, info);
        }
        else
        {
            var context = await RenderContext.LoadAsync(db, resource.InstitutionId, cancellationToken, citationsOf: [resource.Id]);
            rendered = context.RenderLegalBasis(resource.Id, PacoJson.Deserialize<LegalBasisDocument>(revision.Document), info);
        }
        return (CachedJson<TResponse>.From((TResponse)rendered, last.At), resource.InstitutionId, Guid.Empty);
    }
}
