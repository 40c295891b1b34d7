using Paco.Api.Common;
using Paco.Api.Institutions;
using Paco.Api.Organs;

namespace Paco.Api.Search;

/// <summary>One thing found: a competence of an organ, or the organ itself (its name, acronym, statements or values).</summary>
/// <param name="Match">What matched: "competence" (then <paramref name="Competence"/> says which) or "organ".</param>
/// <param name="Snippet">
/// The matching passage, HTML-escaped, with each matching word wrapped in &lt;mark&gt;…&lt;/mark&gt;: safe to insert as
/// HTML as it is, and nothing else in it is markup.
/// </param>
/// <param name="Rank">Relevance (higher first); comparable only within one answer.</param>
/// <param name="Href">The organ's URL in this API.</param>
public sealed record SearchHit(
    [property: ClosedSet(typeof(SearchMatches))] string Match,
    SearchOrgan Organ,
    SearchInstitution Institution,
    SearchCompetence? Competence,
    string Snippet,
    double Rank,
    string Href);

public sealed record SearchOrgan(Guid Id, string Slug, string Name, string? Acronym, [property: ClosedSet(typeof(OrganKinds))] string Kind);

public sealed record SearchInstitution(Guid Id, string Slug, string Name, [property: ClosedSet(typeof(InstitutionKinds))] string Kind, string? Uf);

/// <summary>The competence found, as the organ publishes it: its label, group, full text and citations of its legal basis.</summary>
/// <param name="Position">1-based, its place among the organ's competences.</param>
public sealed record SearchCompetence(
    Guid Id,
    int Position,
    string? Label,
    [property: ClosedSet(typeof(CompetenceGroups))] string Group,
    string Text,
    IReadOnlyList<CitationResponse> Citations);

public static class SearchMatches
{
    public const string Competence = "competence";
    public const string Organ = "organ";

    public static readonly IReadOnlyList<string> All = [Competence, Organ];
}
