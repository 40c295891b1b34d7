using Microsoft.EntityFrameworkCore;

namespace Paco.Api.Data;

/// <summary>The tenant look-ups every route under an institution shares.</summary>
public static class InstitutionLookups
{
    public static Task<Guid?> InstitutionIdAsync(this PacoDb db, string slug, CancellationToken cancellationToken) =>
        db.Institutions.AsNoTracking().Where(i => i.Slug == slug).Select(i => (Guid?)i.Id).SingleOrDefaultAsync(cancellationToken);

    public static string UnknownInstitution(string slug) =>
        $"There is no institution '{slug}'. GET /api/v1/institutions lists them.";
}
