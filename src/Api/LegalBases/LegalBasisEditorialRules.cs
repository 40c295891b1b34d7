using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Paco.Api.Common;
using Paco.Api.Data;
using Paco.Api.Revisions;

namespace Paco.Api.LegalBases;

public sealed class LegalBasisDocumentValidator : AbstractValidator<LegalBasisDocument>
{
    public LegalBasisDocumentValidator()
    {
        RuleFor(l => l.Slug).Slug();
        RuleFor(l => l.Kind).NotEmpty().OneOf(LegalBasisKinds.All);
        RuleFor(l => l.Number).MaximumLength(50);
        RuleFor(l => l.Year).InclusiveBetween(1500, 2200);
        RuleFor(l => l.Date).Must((l, date) => date is null || l.Year is null || date.Value.Year == l.Year)
            .WithMessage("'date' must fall in 'year'.");
        RuleFor(l => l.Title).NotEmpty().MaximumLength(Limits.TitleLength);
        RuleFor(l => l.Summary).MaximumLength(Limits.SummaryLength);
        RuleFor(l => l.Url).HttpUrl();
        RuleFor(l => l.Status).NotEmpty().OneOf(LegalBasisStatuses.All);
    }
}

public sealed class LegalBasisEditorialRules : IEditorialRules<LegalBasisDocument>
{
    public VersionedKind Kind => RevisionEndpoints.LegalBases;

    public string SlugOf(LegalBasisDocument document) => document.Slug;

    public LegalBasisDocument Prepare(LegalBasisDocument document) => document;

    public async Task<Dictionary<string, string[]>> CheckReferencesAsync(PacoDb db, Guid institutionId, Guid? resourceId, LegalBasisDocument document, CancellationToken cancellationToken)
    {
        // Every slug another legal basis holds or will hold: its address now, its draft's, its published one.
        var taken = (await db.Database.SqlQuery<bool>($"""
            select exists (
              select 1 from resources r
              join revisions v on v.resource_id = r.id and v.number = r.latest_revision
              left join legal_bases l on l.resource_id = r.id
              where r.institution_id = {institutionId} and r.type = 'legal_basis' and r.id is distinct from {resourceId}
                and (r.slug = {document.Slug} or v.document ->> 'slug' = {document.Slug} or l.slug = {document.Slug})) as "Value"
            """).ToListAsync(cancellationToken)).Single();
        return taken
            ? new Dictionary<string, string[]> { ["slug"] = [$"Another legal basis of this institution already has the slug '{document.Slug}'."] }
            : [];
    }
}
