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
        var taken = await db.Resources.AnyAsync(r => r.InstitutionId == institutionId && r.Type == ResourceTypes.LegalBasis
            && r.Slug == document.Slug && r.Id != resourceId, cancellationToken);
        return taken
            ? new Dictionary<string, string[]> { ["slug"] = [$"Another legal basis of this institution already has the slug '{document.Slug}'."] }
            : [];
    }
}
