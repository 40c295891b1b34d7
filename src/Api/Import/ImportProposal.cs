using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Import;

/// <summary>
/// What an imported text would become: the legal basis the text is, the organs it describes with their statements,
/// values and competences (each with the span of the source it came from), and what a reviewer should look at.
/// Nothing is written until the (possibly edited) proposal is sent to …/imports/apply.
/// </summary>
/// <param name="Institution">The slug of the institution the drafts are for.</param>
/// <param name="Source">The text read: its hash, length and media type.</param>
/// <param name="LegalBasis">The norm the text is (a lei, a decreto, an estatuto), when it says so; null for organ pages.</param>
/// <param name="CitedLegalBases">Other norms the text cites for its competences ("artigo 11 da Lei nº 473/99").</param>
/// <param name="Organs">The organs found, parents before children.</param>
/// <param name="InstitutionAbout">A description of the institution itself found in the text ("Quem somos"); never applied (institutions are changed with PUT by admins).</param>
/// <param name="Warnings">What the reviewer should check: duplicated blocks, unlabeled items, names that match existing organs, suspected typos, unrecognised text.</param>
public sealed record ImportProposal(
    string Institution,
    ImportSource Source,
    ProposedLegalBasis? LegalBasis,
    IReadOnlyList<ProposedLegalBasis> CitedLegalBases,
    IReadOnlyList<ProposedOrgan> Organs,
    string? InstitutionAbout,
    IReadOnlyList<ImportWarning> Warnings);

/// <param name="Sha256">The SHA-256 of the body as sent (hex): recorded in every draft's provenance.</param>
/// <param name="Characters">The length of the source text, in UTF-16 code units: spans are offsets into it.</param>
/// <param name="MediaType">text/plain or text/html.</param>
public sealed record ImportSource(string Sha256, int Characters, string MediaType);

/// <summary>Where in the source text an item came from: characters [start, start + length).</summary>
public sealed record SourceSpan(int Start, int Length);

/// <param name="Slug">Its address; how organs' citations name it in the proposal.</param>
/// <param name="Existing">The legal basis of the institution it is (matched by kind, number and year, or by slug); null: a new one.</param>
/// <param name="Urn">Its LexML URN, when the institution's state and municipality are known.</param>
/// <param name="Span">Where the text names it.</param>
public sealed record ProposedLegalBasis(
    string Slug,
    [property: ClosedSet(typeof(LegalBasisKinds))] string Kind,
    string? Number,
    int? Year,
    DateOnly? Date,
    string Title,
    string? Summary,
    string? Urn,
    [property: ClosedSet(typeof(LegalBasisStatuses))] string Status,
    ExistingResource? Existing,
    SourceSpan? Span);

/// <param name="Parent">The slug of its parent organ (another organ of the proposal, or one of the institution's); null: top level.</param>
/// <param name="Existing">The organ of the institution it is (matched by slug or name): applying makes a new draft revision of it, if it has not changed since.</param>
/// <param name="Corrections">Typos corrected in its texts (original, corrected, why): recorded in the draft's provenance.</param>
public sealed record ProposedOrgan(
    string Slug,
    string Name,
    string? Acronym,
    [property: ClosedSet(typeof(OrganKinds))] string Kind,
    string? Parent,
    int DisplayOrder,
    Statements Statements,
    IReadOnlyList<string> Values,
    IReadOnlyList<ProposedCompetence> Competences,
    IReadOnlyList<ProposedLegalBasisLink> LegalBases,
    ExistingResource? Existing,
    SourceSpan? Span,
    IReadOnlyList<Correction> Corrections);

/// <param name="Id">The id of the existing competence it is (same text in the same group): kept when applied; null: a new competence.</param>
/// <param name="Label">"I", "II", "a", "1.2" as the text numbers it; null when unlabeled.</param>
/// <param name="PerformedBy">The slug of the organ that carries it out ("por meio do Núcleo de …").</param>
/// <param name="AmendedBy">The norm that gave the item its current wording ("(Redação dada pela Lei nº 1.500, de 2018)"), when the text says so.</param>
public sealed record ProposedCompetence(
    Guid? Id,
    string? Label,
    string Text,
    [property: ClosedSet(typeof(CompetenceGroups))] string Group,
    string? PerformedBy,
    IReadOnlyList<ProposedCitation> Citations,
    string? AmendedBy,
    SourceSpan? Span);

/// <summary>Where a competence comes from: a legal basis of the proposal (by slug) or of the institution, down to the alínea.</summary>
/// <param name="Alinea">The alínea ("a"), kept in the proposal; the stored citation goes down to the item.</param>
public sealed record ProposedCitation(string LegalBasis, string? Article, string? Paragraph, string? Item, string? Alinea);

public sealed record ProposedLegalBasisLink(string LegalBasis, [property: ClosedSet(typeof(LegalBasisRoles))] string Role);

/// <summary>The resource as it was when the proposal was made: applying refuses (409) if it changed since.</summary>
public sealed record ExistingResource(Guid Id, string Slug, int Revision, string ContentHash);

/// <param name="Code">duplicatedBlock, unlabeledItems, existingOrgan, suspectedTypo, inferredName, unrecognisedText, revokedItem, noStructure, scriptsRemoved.</param>
public sealed record ImportWarning([property: ClosedSet(typeof(ImportWarnings), "ImportWarningCode")] string Code, string Message, SourceSpan? Span);

public static class ImportWarnings
{
    public const string DuplicatedBlock = "duplicatedBlock";
    public const string UnlabeledItems = "unlabeledItems";
    public const string ExistingOrgan = "existingOrgan";
    public const string SuspectedTypo = "suspectedTypo";
    public const string InferredName = "inferredName";
    public const string UnrecognisedText = "unrecognisedText";
    public const string RevokedItem = "revokedItem";
    public const string NoStructure = "noStructure";
    public const string ScriptsRemoved = "scriptsRemoved";

    public static readonly IReadOnlyList<string> All =
        [DuplicatedBlock, UnlabeledItems, ExistingOrgan, SuspectedTypo, InferredName, UnrecognisedText, RevokedItem, NoStructure, ScriptsRemoved];
}

/// <summary>What applying a proposal wrote: one draft per organ and new legal basis.</summary>
public sealed record ImportResult(IReadOnlyList<AppliedDraft> LegalBases, IReadOnlyList<AppliedDraft> Organs);

/// <param name="Created">True: a new resource (revision 1); false: a new draft revision of an existing one.</param>
/// <param name="Draft">Where its draft is read (and its ETag, for publishing).</param>
public sealed record AppliedDraft(Guid Id, string Slug, int Revision, bool Created, string Draft);
