using Microsoft.EntityFrameworkCore;

namespace Paco.Api.Data;

/// <summary>The tenant look-ups every route under an institution shares.</summary>
public static class InstitutionLookups
{
    public static Task<Guid?> InstitutionIdAsync(this PacoDb db, string slug, CancellationToken cancellationToken) =>
        db.Institutions.AsNoTracking().Where(i => i.Slug == slug).Select(i => (Guid?)i.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The institution and its state: what a look-up needs to read only that state's search entries (migration 0014).</summary>
    public static Task<InstitutionAndState?> InstitutionAndStateAsync(this PacoDb db, string slug, CancellationToken cancellationToken) =>
        db.Institutions.AsNoTracking().Where(i => i.Slug == slug).Select(i => new InstitutionAndState(i.Id, i.Uf)).SingleOrDefaultAsync(cancellationToken);

    public static string UnknownInstitution(string slug) =>
        $"There is no institution '{slug}'. GET /api/v1/institutions lists them.";
}

public sealed record InstitutionAndState(Guid Id, string? Uf);
