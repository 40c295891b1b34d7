using Microsoft.EntityFrameworkCore;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

internal sealed record StoredRepresentation(string Json, string ETag, DateTimeOffset RenderedAt);

internal static class PublishedRepresentations
{
    private static readonly Func<PacoDb, string, string, Guid, string, Task<StoredRepresentation?>> Query =
        EF.CompileAsyncQuery((PacoDb db, string institution, string slug, Guid id, string type) =>
            db.Resources.AsNoTracking()
                .Where(r => (r.Slug == slug || r.Id == id) && r.Type == type && r.PublishedRevision != null && r.ArchivedAt == null)
                .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
                .Select(r => new StoredRepresentation(r.PublishedJson!, r.PublishedEtag!, r.RenderedAt!.Value))
                .FirstOrDefault());

    /// <summary>The stored representation of a published resource, addressed by slug or id: one indexed look-up, served as stored.</summary>
    public static Task<StoredRepresentation?> FindAsync(PacoDb db, string institution, string type, string key) =>
        Guid.TryParse(key, out var id)
            ? Query(db, institution, "", id, type) // no slug is empty (schema check), so only the id matches
            : Query(db, institution, key, Guid.Empty, type);
}
