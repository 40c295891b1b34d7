using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.Common;

/// <summary>The look-ups every route under an institution shares.</summary>
public static class Lookups
{
    public static Task<Guid?> InstitutionIdAsync(this PacoDb db, string slug, CancellationToken cancellationToken) =>
        db.Institutions.AsNoTracking().Where(i => i.Slug == slug).Select(i => (Guid?)i.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A resource is addressed by its slug or by its id.</summary>
    public static Expression<Func<Resource, bool>> Addressed(string key) =>
        Guid.TryParse(key, out var id) ? r => r.Id == id : r => r.Slug == key;

    public static string UnknownInstitution(string slug) =>
        $"There is no institution '{slug}'. GET /api/v1/institutions lists them.";

    /// <summary>
    /// The answer for a resource that is not published: 410 Gone with when and why if it was archived,
    /// otherwise 404 saying whether the institution or the resource is unknown.
    /// </summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult> MissingAsync(
        this PacoDb db, string institution, VersionedKind kind, string key, CancellationToken cancellationToken)
    {
        if (await db.InstitutionIdAsync(institution, cancellationToken) is not Guid institutionId)
        {
            return Problems.NotFound(UnknownInstitution(institution));
        }
        var archived = await db.Resources.AsNoTracking()
            .Where(Addressed(key))
            .Where(r => r.InstitutionId == institutionId && r.Type == kind.Type && r.ArchivedAt != null)
            .Select(r => new { r.ArchivedAt, r.ArchivedReason })
            .FirstOrDefaultAsync(cancellationToken);
        return archived is null
            ? Problems.NotFound($"Institution '{institution}' has no published {kind.Name} '{key}'. GET /api/v1/institutions/{institution}/{kind.Path} lists them.")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "Gone",
                detail: $"The {kind.Name} '{key}' was archived on {archived.ArchivedAt:yyyy-MM-dd}: {archived.ArchivedReason} Its published revisions stay readable under …/revisions.",
                extensions: new Dictionary<string, object?> { ["archivedAt"] = archived.ArchivedAt, ["reason"] = archived.ArchivedReason });
    }

    /// <summary>A resource that has been published at least once (its published revisions stay readable forever).</summary>
    public static IQueryable<Resource> EverPublished(this PacoDb db, string institution, string type, string key) =>
        db.Resources.AsNoTracking()
            .Where(Addressed(key))
            .Where(r => r.Type == type && db.Publications.Any(p => p.ResourceId == r.Id && p.Action == PublicationActions.Publish))
            .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution));
}
