using Paco.Api.Common;

namespace Paco.Api.Institutions;

/// <summary>The parts of an institution kept as a JSON document beside its columns.</summary>
public sealed record InstitutionDocument(Statements Statements, IReadOnlyList<string> Values, SourceProvenance? Source);

/// <summary>The tenant: a prefeitura, a câmara, an association. Every other resource belongs to exactly one.</summary>
public sealed record InstitutionResponse(
    Guid Id,
    string Slug,
    string Name,
    [property: ClosedSet(typeof(InstitutionKinds))] string Kind,
    string? IbgeCode,
    string? Uf,
    string? Municipality,
    string? Website,
    Statements Statements,
    IReadOnlyList<string> Values,
    SourceProvenance? Source,
    InstitutionCounts Counts,
    DateTimeOffset UpdatedAt,
    ResourceLinks Links);

public sealed record InstitutionCounts(int Organs, int LegalBases);

public sealed record InstitutionSummary(Guid Id, string Slug, string Name, [property: ClosedSet(typeof(InstitutionKinds))] string Kind, string? IbgeCode, string? Uf, string? Municipality,
    ResourceLinks Links);

public static class InstitutionKinds
{
    public static readonly IReadOnlyList<string> All =
        ["prefeitura", "camara", "associacao", "consorcio", "autarquia", "fundacao", "outro"];
}
