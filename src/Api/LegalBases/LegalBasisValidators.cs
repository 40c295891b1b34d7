using FluentValidation;
using Paco.Api.Common;

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
            .WithMessage("'date' must fall in 'year'.", "'date' deve cair no ano 'year'.");
        RuleFor(l => l.Title).NotEmpty().MaximumLength(Limits.TitleLength);
        RuleFor(l => l.Summary).MaximumLength(Limits.SummaryLength);
        RuleFor(l => l.Url).HttpUrl();
        RuleFor(l => l.Status).NotEmpty().OneOf(LegalBasisStatuses.All);
    }
}
