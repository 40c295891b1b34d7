using System.Text.Json;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

/// <summary>
/// The citations of published competences as their organs show them, read from the citation rows and the cited laws'
/// published revisions: a search page shows the citations of its hits without reading whole organ documents, in the
/// same statement that finds them (<see cref="JsonOf"/>, read back by <see cref="Read"/>).
/// </summary>
public static class CompetenceCitations
{
    private sealed record Row(
        Guid LegalBasisId, string? Article, string? Paragraph, string? Item, JsonElement Document,
        Guid InstitutionId, string InstitutionSlug, string InstitutionName, string? Uf, string? Municipality);

    /// <summary>
    /// A SQL expression: the citations of the competence <paramref name="competence"/> of the organ <paramref name="organ"/>
    /// (column expressions of the enclosing statement), of the laws published now, as a JSON array in the order its organ
    /// lists them (the rows are written in that order); null when it cites none. The join is the function
    /// paco_competence_citations (migration 0015), whose plan each connection keeps.
    /// </summary>
    public static string JsonOf(string organ, string competence) => $"paco_competence_citations({organ}, {competence})";

    /// <summary>
    /// What <see cref="JsonOf"/> gave, as the organ renders it (<see cref="OrganModule.Cite"/>, the same function);
    /// <paramref name="summaries"/> keeps each law's summary for the other hits of the page.
    /// </summary>
    public static List<CitationResponse> Read(string? json, Dictionary<Guid, LegalBasisSummary> summaries)
    {
        if (json is null)
        {
            return [];
        }
        var citations = new List<CitationResponse>();
        foreach (var row in PacoJson.Deserialize<Row[]>(json))
        {
            if (!summaries.TryGetValue(row.LegalBasisId, out var summary))
            {
                var institution = new InstitutionInfo(row.InstitutionId, row.InstitutionSlug, row.InstitutionName, row.Uf, row.Municipality);
                summaries[row.LegalBasisId] = summary = LegalBasisSummaries.Summary(institution, row.LegalBasisId,
                    row.Document.Deserialize<LegalBasisDocument>(PacoJson.Options)!);
            }
            citations.Add(OrganModule.Cite(summary, row.Article, row.Paragraph, row.Item));
        }
        return citations;
    }
}
