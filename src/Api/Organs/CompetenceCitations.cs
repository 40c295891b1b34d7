using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Revisions;

namespace Paco.Api.Organs;

/// <summary>
/// The citations of published competences as their organs show them, read from the citation rows and the cited laws'
/// published revisions: a search page shows the citations of its hits without reading whole organ documents.
/// </summary>
public static class CompetenceCitations
{
    private sealed record Row(
        Guid CompetenceId, Guid LegalBasisId, string? Article, string? Paragraph, string? Item, string Document,
        Guid InstitutionId, string InstitutionSlug, string InstitutionName, string? Uf, string? Municipality);

    /// <summary>
    /// Each competence's citations, in the order its organ lists them (the rows are written in that order), of the laws
    /// published now: what rendering the organ gives (<see cref="OrganModule.Cite"/>, the same function).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, List<CitationResponse>>> LoadAsync(
        PacoDb db, IReadOnlyCollection<Guid> organIds, IReadOnlyCollection<Guid> competenceIds, CancellationToken cancellationToken)
    {
        if (competenceIds.Count == 0)
        {
            return new Dictionary<Guid, List<CitationResponse>>();
        }
        var organs = organIds.ToArray();
        var competences = competenceIds.ToArray();
        var rows = await db.Database.SqlQuery<Row>($"""
            select c.competence_id as "CompetenceId", c.legal_basis_id as "LegalBasisId", c.article as "Article", c.paragraph as "Paragraph",
                   c.item as "Item", v.document::text as "Document", i.id as "InstitutionId", i.slug as "InstitutionSlug",
                   i.name as "InstitutionName", i.uf as "Uf", i.municipality as "Municipality"
            from citations c
            join resources r on r.id = c.legal_basis_id and r.published_revision is not null
            join revisions v on v.resource_id = r.id and v.number = r.published_revision
            join institutions i on i.id = r.institution_id
            where c.organ_id = any({organs}) and c.competence_id = any({competences})
            order by c.id
            """).ToListAsync(cancellationToken);
        var summaries = new Dictionary<Guid, LegalBasisSummary>();
        var citations = new Dictionary<Guid, List<CitationResponse>>();
        foreach (var row in rows)
        {
            if (!summaries.TryGetValue(row.LegalBasisId, out var summary))
            {
                var institution = new InstitutionInfo(row.InstitutionId, row.InstitutionSlug, row.InstitutionName, row.Uf?.Trim(), row.Municipality);
                summaries[row.LegalBasisId] = summary = LegalBasisSummaries.Summary(institution, row.LegalBasisId, PacoJson.Deserialize<LegalBasisDocument>(row.Document));
            }
            if (!citations.TryGetValue(row.CompetenceId, out var list))
            {
                citations[row.CompetenceId] = list = [];
            }
            list.Add(OrganModule.Cite(summary, row.Article, row.Paragraph, row.Item));
        }
        return citations;
    }
}
