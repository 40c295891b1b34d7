using Paco.Api.Common;

namespace Paco.Api.Organs;

/// <summary>
/// An organ as stored in each of its revisions: what editors write. References to other resources are by id;
/// the public representation (<see cref="OrganResponse"/>) resolves them.
/// </summary>
public sealed record OrganDocument(
    string Slug,
    string Name,
    string? Acronym,
    [property: ClosedSet(typeof(OrganKinds))] string Kind,
    Guid? ParentId,
    int DisplayOrder,
    Statements Statements,
    IReadOnlyList<string> Values,
    IReadOnlyList<Competence> Competences,
    Head? Head,
    Contact? Contact,
    IReadOnlyList<LegalBasisLink> LegalBases,
    EffectivePeriod? Effective,
    SourceProvenance? Source);

/// <summary>One numbered "atribuição". Its id survives edits, so diffs and links follow the competence, not its position.</summary>
public sealed record Competence(
    Guid Id,
    string? Label,
    string Text,
    [property: ClosedSet(typeof(CompetenceGroups))] string Group,
    Guid? PerformedById,
    IReadOnlyList<Citation> Citations);

/// <summary>A citation of a legal basis, down to article, paragraph and item ("art. 11, inciso III").</summary>
public sealed record Citation(Guid LegalBasisId, string? Article, string? Paragraph, string? Item);

/// <summary>A legal basis that creates, structures or regulates the organ.</summary>
public sealed record LegalBasisLink(Guid LegalBasisId, [property: ClosedSet(typeof(LegalBasisRoles))] string Role);

public static class OrganKinds
{
    public static readonly IReadOnlyList<string> All =
    [
        "gabinete", "secretaria", "departamento", "divisao", "nucleo", "coordenadoria", "conselho",
        "fundo", "colegiado", "assessoria", "autarquia", "fundacao", "procuradoria", "controladoria", "outro",
    ];
}

public static class CompetenceGroups
{
    /// <summary>The organ's own competences.</summary>
    public const string Competences = "competences";

    /// <summary>The attributions of the organ's head (secretário, gestor).</summary>
    public const string HeadAttributions = "headAttributions";

    /// <summary>An association's aims (finalidades).</summary>
    public const string Aims = "aims";

    /// <summary>What an association proposes to do to reach its aims.</summary>
    public const string Actions = "actions";

    public static readonly IReadOnlyList<string> All = [Competences, HeadAttributions, Aims, Actions];
}

public static class LegalBasisRoles
{
    public static readonly IReadOnlyList<string> All = ["creates", "structures", "regulates", "cites"];
}
