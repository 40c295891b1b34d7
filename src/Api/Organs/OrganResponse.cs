using Paco.Api.Common;
using Paco.Api.LegalBases;

namespace Paco.Api.Organs;

/// <summary>The public representation of an organ's published revision, stored rendered and served as is.</summary>
public sealed record OrganResponse(
    Guid Id,
    string Slug,
    InstitutionRef Institution,
    string Name,
    string? Acronym,
    [property: ClosedSet(typeof(OrganKinds))] string Kind,
    OrganRef? Parent,
    int DisplayOrder,
    Statements Statements,
    IReadOnlyList<string> Values,
    IReadOnlyList<CompetenceResponse> Competences,
    Head? Head,
    Contact? Contact,
    IReadOnlyList<LegalBasisLinkResponse> LegalBases,
    EffectivePeriod? Effective,
    SourceProvenance? Source,
    RevisionInfo Revision,
    ResourceLinks Links);

public sealed record CompetenceResponse(
    Guid Id,
    int Position,
    string? Label,
    string Text,
    [property: ClosedSet(typeof(CompetenceGroups))] string Group,
    OrganRef? PerformedBy,
    IReadOnlyList<CitationResponse> Citations);

/// <summary>A resolved citation: the legal basis summary, the fragment, its text and its LexML URN when one can be formed.</summary>
public sealed record CitationResponse(
    LegalBasisSummary LegalBasis,
    string? Article,
    string? Paragraph,
    string? Item,
    string Text,
    string? Urn);

public sealed record LegalBasisLinkResponse([property: ClosedSet(typeof(LegalBasisRoles))] string Role, LegalBasisSummary LegalBasis);

/// <summary>An organ in a list: what a portal needs to show and link it.</summary>
public sealed record OrganSummary(
    Guid Id,
    string Slug,
    string Name,
    string? Acronym,
    [property: ClosedSet(typeof(OrganKinds))] string Kind,
    Guid? ParentId,
    int DisplayOrder,
    int Revision,
    DateTimeOffset PublishedAt,
    ResourceLinks Links);

/// <summary>A node of the organ hierarchy.</summary>
public sealed record OrganTreeNode(
    Guid Id,
    string Slug,
    string Name,
    string? Acronym,
    [property: ClosedSet(typeof(OrganKinds))] string Kind,
    int DisplayOrder,
    IReadOnlyList<OrganTreeNode> Children,
    ResourceLinks Links);

public sealed record OrganTree(InstitutionRef Institution, int Total, IReadOnlyList<OrganTreeNode> Organs);

public sealed record CompetenceList(OrganRef Organ, int Revision, IReadOnlyList<CompetenceResponse> Items);

public sealed record ValueList(OrganRef Organ, int Revision, IReadOnlyList<string> Items);
