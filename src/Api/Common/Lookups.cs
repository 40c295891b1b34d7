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

    /// <summary>The published, not archived resource of an institution, or null.</summary>
    public static IQueryable<Resource> Published(this PacoDb db, string institution, string type, string key) =>
        db.Resources.AsNoTracking()
            .Where(Addressed(key))
            .Where(r => r.Type == type && r.PublishedRevision != null && r.ArchivedAt == null)
            .Where(r => db.Institutions.Any(i => i.Id == r.InstitutionId && i.Slug == institution));

    /// <summary>The 404 for a resource that is missing: says whether the institution or the resource is unknown.</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult> MissingAsync(
        this PacoDb db, string institution, string what, string key, string listPath, CancellationToken cancellationToken) =>
        await db.InstitutionIdAsync(institution, cancellationToken) is null
            ? Problems.NotFound(UnknownInstitution(institution))
            : Problems.NotFound($"Institution '{institution}' has no published {what} '{key}'. GET /api/v1/institutions/{institution}/{listPath} lists them.");
}
