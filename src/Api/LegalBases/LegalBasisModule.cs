using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.LegalBases;

/// <summary>What the public needs to render legal bases: who cites each (the citations of published organs).</summary>
public sealed record LegalBasisRenderData(ILookup<Guid, CitationRow> CitationsByLegalBasis);

/// <summary>Legal bases as a versioned type: publishing projects them for lists, and re-renders the organs that cite them.</summary>
public sealed class LegalBasisModule(IValidator<LegalBasisDocument> validator) : ResourceModule<LegalBasisDocument, LegalBasisResponse, LegalBasisRenderData>(validator)
{
    public const string TypeName = "legal_basis";

    public static readonly ResourceKind LegalBases = new(TypeName, "legal basis", "a", "legal-bases", "legalBasis", "LegalBasis", "Legal bases");

    public override ResourceKind Kind => LegalBases;

    protected override string SlugOf(LegalBasisDocument document) => document.Slug;

    protected override async Task<IReadOnlyCollection<Guid>> ProjectAsync(PacoDb db, InstitutionInfo institution, Resource resource, LegalBasisDocument document, CancellationToken cancellationToken)
    {
        var row = await db.LegalBases.AsTracking().SingleOrDefaultAsync(l => l.ResourceId == resource.Id, cancellationToken);
        if (row is null)
        {
            row = new LegalBasisRow { ResourceId = resource.Id, InstitutionId = institution.Id, Slug = document.Slug, Kind = document.Kind, Title = document.Title, Status = document.Status };
            db.LegalBases.Add(row);
        }
        row.Slug = document.Slug;
        row.Kind = document.Kind;
        row.Number = document.Number;
        row.Year = document.Year;
        row.Title = document.Title;
        row.Status = document.Status;
        // The organs citing it show its title, number and URN.
        return await db.Citations.Where(c => c.LegalBasisId == resource.Id).Select(c => c.OrganId).Distinct().ToListAsync(cancellationToken);
    }

    public override Task RemoveProjectionAsync(PacoDb db, Guid resourceId, CancellationToken cancellationToken) =>
        db.LegalBases.Where(l => l.ResourceId == resourceId).ExecuteDeleteAsync(cancellationToken);

    protected override async Task<LegalBasisRenderData> LoadRenderDataTypedAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken)
    {
        // Citations exist for published organs only; an archived legal basis read ?at= an instant still shows who cites it.
        var citations = await db.Citations.AsNoTracking()
            .Where(c => db.Resources.Any(r => r.Id == c.OrganId && r.InstitutionId == institution.Id))
            .ToListAsync(cancellationToken);
        return new LegalBasisRenderData(citations.ToLookup(c => c.LegalBasisId));
    }

    private static readonly StringComparer PortugueseNames = StringComparer.Create(new System.Globalization.CultureInfo("pt-BR"), ignoreCase: true);

    public override LegalBasisResponse Render(LegalBasisRenderData data, InstitutionInfo institution, Guid id, LegalBasisDocument document, RevisionInfo revision)
    {
        var urn = LexmlUrn.ForNorm(institution.Uf, institution.Municipality, document.Kind, document.Number, document.Year, document.Date);
        var citedBy = data.CitationsByLegalBasis[id]
            .GroupBy(c => c.OrganId)
            .Select(g => new CitingOrgan(
                new OrganRef(g.Key, g.First().OrganSlug, g.First().OrganName),
                g.Where(c => c.CompetenceId is null && c.Role is not null).Select(c => c.Role!).Distinct().ToList(),
                g.Where(c => c.CompetenceId is not null)
                    .OrderBy(c => c.Id)
                    .Select(c => new CitingCompetence(c.CompetenceId!.Value, c.CompetenceLabel, c.CompetenceGroup ?? "competences", c.Article, c.Paragraph, c.Item,
                        urn is null ? null : urn + LexmlUrn.Fragment(c.Article, c.Paragraph, c.Item)))
                    .ToList()))
            .OrderBy(o => o.Organ.Name, PortugueseNames)
            .ToList();
        return new LegalBasisResponse(id, document.Slug, institution.Ref, document.Kind, document.Number, document.Year, document.Date, document.Title,
            document.Summary, document.Url, urn, document.Status, document.Source, citedBy, revision,
            PublicUrls.LinksTo($"{Kind.Collection(institution.Slug)}/{document.Slug}"));
    }
}

/// <summary>How other resources show a legal basis they cite: its summary, with its LexML URN.</summary>
public static class LegalBasisSummaries
{
    private sealed record Row(Guid Id, string Slug, string Kind, string? Number, int? Year, string Title, string Status, string Document);

    /// <summary>The institution's published legal bases, by id (the public never sees a draft or archived one cited).</summary>
    public static async Task<IReadOnlyDictionary<Guid, LegalBasisSummary>> LoadAsync(PacoDb db, InstitutionInfo institution, CancellationToken cancellationToken)
    {
        var rows = await db.LegalBases.AsNoTracking()
            .Where(l => l.InstitutionId == institution.Id)
            .Join(db.Resources, l => l.ResourceId, r => r.Id, (l, r) => new { Row = l, r.PublishedRevision })
            .Join(db.Revisions, x => new { Id = x.Row.ResourceId, Number = x.PublishedRevision!.Value }, v => new { Id = v.ResourceId, v.Number },
                (x, v) => new Row(x.Row.ResourceId, x.Row.Slug, x.Row.Kind, x.Row.Number, x.Row.Year, x.Row.Title, x.Row.Status, v.Document))
            .ToListAsync(cancellationToken);
        return rows.Select(r => Summary(institution, r.Id, PacoJson.Deserialize<LegalBasisDocument>(r.Document))).ToDictionary(l => l.Id);
    }

    public static LegalBasisSummary Summary(InstitutionInfo institution, Guid id, LegalBasisDocument document) => new(
        id, document.Slug, document.Kind, document.Number, document.Year, document.Title, document.Status, document.Url,
        LexmlUrn.ForNorm(institution.Uf, institution.Municipality, document.Kind, document.Number, document.Year, document.Date));
}
