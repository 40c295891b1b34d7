using Paco.Api.Common;

namespace Paco.Api.LegalBases;

/// <summary>A legal basis as stored in each of its revisions.</summary>
public sealed record LegalBasisDocument(
    string Slug,
    [property: ClosedSet(typeof(LegalBasisKinds))] string Kind,
    string? Number,
    int? Year,
    DateOnly? Date,
    string Title,
    string? Summary,
    string? Url,
    [property: ClosedSet(typeof(LegalBasisStatuses))] string Status,
    SourceProvenance? Source);

public static class LegalBasisKinds
{
    public static readonly IReadOnlyList<string> All =
    [
        "constituicao", "lei", "lei-complementar", "lei-organica", "decreto", "estatuto", "regimento",
        "portaria", "resolucao", "instrucao-normativa", "deliberacao", "outro",
    ];
}

public static class LegalBasisStatuses
{
    public const string InForce = "inForce";
    public const string Revoked = "revoked";
    public static readonly IReadOnlyList<string> All = [InForce, Revoked];
}

/// <summary>Enough of a legal basis to cite and link it.</summary>
public sealed record LegalBasisSummary(
    Guid Id,
    string Slug,
    [property: ClosedSet(typeof(LegalBasisKinds))] string Kind,
    string? Number,
    int? Year,
    string Title,
    [property: ClosedSet(typeof(LegalBasisStatuses))] string Status,
    string? Url,
    string? Urn);

/// <summary>The public representation of a legal basis's published revision, with who cites it.</summary>
public sealed record LegalBasisResponse(
    Guid Id,
    string Slug,
    InstitutionRef Institution,
    [property: ClosedSet(typeof(LegalBasisKinds))] string Kind,
    string? Number,
    int? Year,
    DateOnly? Date,
    string Title,
    string? Summary,
    string? Url,
    string? Urn,
    [property: ClosedSet(typeof(LegalBasisStatuses))] string Status,
    SourceProvenance? Source,
    IReadOnlyList<CitingOrgan> CitedBy,
    RevisionInfo Revision,
    ResourceLinks Links);

public sealed record CitingOrgan(OrganRef Organ, IReadOnlyList<string> Roles, IReadOnlyList<CitingCompetence> Competences);

public sealed record CitingCompetence(Guid Id, string? Label, string Group, string? Article, string? Paragraph, string? Item, string? Urn);

public sealed record LegalBasisListItem(
    Guid Id,
    string Slug,
    [property: ClosedSet(typeof(LegalBasisKinds))] string Kind,
    string? Number,
    int? Year,
    string Title,
    [property: ClosedSet(typeof(LegalBasisStatuses))] string Status,
    int Revision,
    DateTimeOffset PublishedAt,
    ResourceLinks Links);
