using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Revisions;

/// <summary>What rendering needs to resolve references: the institution, its published organs and legal bases, and the citations.</summary>
internal sealed class RenderContext
{
    private readonly InstitutionRef _institution;
    private readonly Dictionary<Guid, OrganRef> _organs;
    private readonly Dictionary<Guid, LegalBasisSummary> _legalBases;
    private readonly ILookup<Guid, CitationRow> _citationsByLegalBasis;

    /// <summary>A context over data already in memory (the benchmark generator renders without a round trip per resource).</summary>
    internal static RenderContext FromMemory(InstitutionRef institution, IEnumerable<OrganRef> organs, IEnumerable<LegalBasisSummary> legalBases, IEnumerable<CitationRow> citations) =>
        new(institution, organs.ToDictionary(o => o.Id), legalBases.ToDictionary(l => l.Id), citations.ToLookup(c => c.LegalBasisId));

    private RenderContext(InstitutionRef institution, Dictionary<Guid, OrganRef> organs, Dictionary<Guid, LegalBasisSummary> legalBases, ILookup<Guid, CitationRow> citations)
    {
        _institution = institution;
        _organs = organs;
        _legalBases = legalBases;
        _citationsByLegalBasis = citations;
    }

    /// <param name="onlyOrgans">Load only these organs (null: all of the institution).</param>
    /// <param name="onlyLegalBases">Load only these legal bases (null: all).</param>
    /// <param name="citationsOf">Load only the citations of these legal bases (null: all).</param>
    public static async Task<RenderContext> LoadAsync(PacoDb db, Guid institutionId, CancellationToken cancellationToken,
        IReadOnlyCollection<Guid>? onlyOrgans = null, IReadOnlyCollection<Guid>? onlyLegalBases = null, IReadOnlyCollection<Guid>? citationsOf = null)
    {
        var institution = await db.Institutions.AsNoTracking()
            .Where(i => i.Id == institutionId)
            .Select(i => new { Ref = new InstitutionRef(i.Id, i.Slug, i.Name), i.Uf, i.Municipality })
            .SingleAsync(cancellationToken);
        // Only what the public can see is referenced: unpublished and archived resources are left out.
        var visible = db.Resources.Where(r => r.InstitutionId == institutionId && r.PublishedRevision != null && r.ArchivedAt == null).Select(r => r.Id);
        var citations = citationsOf is { Count: 0 }
            ? []
            : await db.Citations.AsNoTracking()
                .Where(c => db.Organs.Any(o => o.ResourceId == c.OrganId && o.InstitutionId == institutionId))
                .Where(c => citationsOf == null || citationsOf.Contains(c.LegalBasisId))
                .ToListAsync(cancellationToken);
        if (citationsOf is not null)
        {
            onlyOrgans = [.. onlyOrgans ?? [], .. citations.Select(c => c.OrganId)];
            onlyLegalBases ??= citationsOf;
        }
        var organs = await db.Organs.AsNoTracking()
            .Where(o => o.InstitutionId == institutionId && visible.Contains(o.ResourceId))
            .Where(o => onlyOrgans == null || onlyOrgans.Contains(o.ResourceId))
            .Select(o => new OrganRef(o.ResourceId, o.Slug, o.Name))
            .ToDictionaryAsync(o => o.Id, cancellationToken);
        var legalBases = (await db.LegalBases.AsNoTracking()
                .Where(l => l.InstitutionId == institutionId && visible.Contains(l.ResourceId))
                .Where(l => onlyLegalBases == null || onlyLegalBases.Contains(l.ResourceId))
                .Join(db.Resources, l => l.ResourceId, r => r.Id, (l, r) => new { Row = l, r.PublishedRevision })
                .Join(db.Revisions, x => new { Id = x.Row.ResourceId, Number = x.PublishedRevision!.Value }, v => new { Id = v.ResourceId, v.Number },
                    (x, v) => new { x.Row, v.Document })
                .ToListAsync(cancellationToken))
            .Select(x =>
            {
                var document = PacoJson.Deserialize<LegalBasisDocument>(x.Document);
                return new LegalBasisSummary(x.Row.ResourceId, x.Row.Slug, x.Row.Kind, x.Row.Number, x.Row.Year, x.Row.Title, x.Row.Status, document.Url,
                    LexmlUrn.ForNorm(institution.Uf, institution.Municipality, document.Kind, document.Number, document.Year, document.Date));
            })
            .ToDictionary(l => l.Id);
        return new RenderContext(institution.Ref, organs, legalBases, citations.ToLookup(c => c.LegalBasisId));
    }

    public OrganResponse RenderOrgan(Guid id, OrganDocument document, RevisionInfo revision) => new(
        id,
        document.Slug,
        _institution,
        document.Name,
        document.Acronym,
        document.Kind,
        document.ParentId is { } parent ? _organs.GetValueOrDefault(parent) : null,
        document.DisplayOrder,
        document.Statements,
        document.Values,
        document.Competences.Select((c, index) => new CompetenceResponse(
                c.Id,
                index + 1,
                c.Label,
                c.Text,
                c.Group,
                c.PerformedById is { } performer ? _organs.GetValueOrDefault(performer) : null,
                c.Citations
                    .Where(x => _legalBases.ContainsKey(x.LegalBasisId))
                    .Select(x => Cite(_legalBases[x.LegalBasisId], x.Article, x.Paragraph, x.Item))
                    .ToList()))
            .ToList(),
        document.Head,
        document.Contact,
        document.LegalBases
            .Where(l => _legalBases.ContainsKey(l.LegalBasisId))
            .Select(l => new LegalBasisLinkResponse(l.Role, _legalBases[l.LegalBasisId]))
            .ToList(),
        document.Effective,
        document.Source,
        revision);

    public LegalBasisResponse RenderLegalBasis(Guid id, LegalBasisDocument document, RevisionInfo revision)
    {
        var urn = _legalBases.TryGetValue(id, out var summary) ? summary.Urn : null;
        var citedBy = _citationsByLegalBasis[id]
            .Where(c => _organs.ContainsKey(c.OrganId))
            .GroupBy(c => c.OrganId)
            .Select(g => new CitingOrgan(
                _organs[g.Key],
                g.Where(c => c.CompetenceId is null && c.Role is not null).Select(c => c.Role!).Distinct().ToList(),
                g.Where(c => c.CompetenceId is not null)
                    .OrderBy(c => c.Id)
                    .Select(c => new CitingCompetence(c.CompetenceId!.Value, c.CompetenceLabel, c.CompetenceGroup ?? CompetenceGroups.Competences, c.Article, c.Paragraph, c.Item,
                        urn is null ? null : urn + LexmlUrn.Fragment(c.Article, c.Paragraph, c.Item)))
                    .ToList()))
            .OrderBy(o => o.Organ.Name, StringComparer.Create(new System.Globalization.CultureInfo("pt-BR"), ignoreCase: true))
            .ToList();
        return new LegalBasisResponse(id, document.Slug, _institution, document.Kind, document.Number, document.Year, document.Date, document.Title,
            document.Summary, document.Url, urn, document.Status, document.Source, citedBy, revision);
    }

    private static CitationResponse Cite(LegalBasisSummary legalBasis, string? article, string? paragraph, string? item) => new(
        legalBasis,
        article,
        paragraph,
        item,
        LexmlUrn.CitationText(legalBasis.Title, article, paragraph, item),
        legalBasis.Urn is null ? null : legalBasis.Urn + LexmlUrn.Fragment(article, paragraph, item));
}
