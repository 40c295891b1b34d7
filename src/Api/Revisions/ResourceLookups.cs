using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;

namespace Paco.Api.Revisions;

/// <summary>How routes find a resource, and what they answer when it is not there.</summary>
public static class ResourceLookups
{
    /// <summary>A resource is addressed by its slug or by its id.</summary>
    public static Expression<Func<Resource, bool>> Addressed(string key) =>
        Guid.TryParse(key, out var id) ? r => r.Id == id : r => r.Slug == key;

    /// <summary>
    /// A resource as the public addresses it: by the slug it was last published under, or by its id once it has been
    /// published. A draft's slug, or the id of something never published, finds nothing.
    /// </summary>
    public static Expression<Func<Resource, bool>> AddressedPublicly(string key) =>
        Guid.TryParse(key, out var id) ? r => r.Id == id && r.PublicSlug != null : r => r.PublicSlug == key;

    /// <summary>The key as SQL parameters: (slug, null) or (null, id), so "slug = @slug or id = @id" matches one way only.</summary>
    public static (string? Slug, Guid? Id) AddressOf(string key) => Guid.TryParse(key, out var id) ? (null, id) : (key, null);

    /// <summary>
    /// The answer for a resource that is not published: 410 Gone with when and why if it was archived,
    /// otherwise 404 saying whether the institution or the resource is unknown.
    /// </summary>
    public static async Task<ProblemHttpResult> MissingAsync(this PacoDb db, string institution, ResourceKind kind, string key, CancellationToken cancellationToken)
    {
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(InstitutionLookups.UnknownInstitution(institution));
        }
        // Only when nothing published holds the address: then the most recently archived resource that the public knew there.
        var archived = await db.Resources.AsNoTracking()
            .Where(AddressedPublicly(key))
            .Where(r => r.InstitutionId == institutionId && r.Type == kind.Type)
            .OrderByDescending(r => r.PublishedRevision != null).ThenByDescending(r => r.ArchivedAt)
            .Select(r => new { r.ArchivedAt, r.ArchivedReason, Published = r.PublishedRevision != null })
            .FirstOrDefaultAsync(cancellationToken);
        if (archived is { Published: true } or { ArchivedAt: null })
        {
            archived = null;
        }
        return archived is null
            ? Problems.NotFound($"Institution '{institution}' has no published {kind.Name} '{key}'. GET {kind.Collection(institution)} lists them.")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "Gone",
                detail: $"The {kind.Name} '{key}' was archived on {archived.ArchivedAt:yyyy-MM-dd}: {archived.ArchivedReason} Its published revisions stay readable under …/revisions.",
                extensions: new Dictionary<string, object?> { ["archivedAt"] = archived.ArchivedAt, ["reason"] = archived.ArchivedReason });
    }

    /// <summary>An editor's look-up that found nothing: the institution or the resource is unknown.</summary>
    public static async Task<ProblemHttpResult> UnknownAsync(this PacoDb db, string institution, ResourceKind kind, string key, CancellationToken cancellationToken) =>
        await db.InstitutionIdAsync(institution, cancellationToken) is null
            ? Problems.NotFound(InstitutionLookups.UnknownInstitution(institution))
            : Problems.NotFound($"Institution '{institution}' has no {kind.Name} '{key}'.");

    /// <summary>
    /// A resource that has been published at least once, at the address the public knows (its published revisions stay
    /// readable forever). When two have held the same public slug, the one published now, else the one published last.
    /// </summary>
    public static IQueryable<Resource> EverPublished(this PacoDb db, string institution, string type, string key) =>
        db.Resources.AsNoTracking()
            .Where(AddressedPublicly(key))
            .Where(r => r.Type == type && db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution))
            .OrderByDescending(r => r.PublishedRevision != null).ThenByDescending(r => r.RenderedAt);

    /// <summary>
    /// When anything of this type in the institution last changed for the public, unpublished and archived included
    /// (their RenderedAt moves when they leave), so a list's Last-Modified never goes backwards.
    /// </summary>
    public static async Task<DateTimeOffset> LastPublicChangeAsync(this PacoDb db, Guid institutionId, string? type, CancellationToken cancellationToken) =>
        await db.Resources.Where(r => r.InstitutionId == institutionId && (type == null || r.Type == type)).MaxAsync(r => r.RenderedAt, cancellationToken)
            ?? DateTimeOffset.UnixEpoch;

    /// <summary>The resources the public sees: published and not archived.</summary>
    public static IQueryable<Resource> Visible(this PacoDb db) => db.Resources.Where(r => r.ArchivedAt == null && r.PublishedRevision != null);
}
