using FluentValidation;
using Paco.Api.Common;

namespace Paco.Api.Organs;

/// <summary>The shape of an organ document: every error names the JSON path of the field.</summary>
public sealed class OrganDocumentValidator : AbstractValidator<OrganDocument>
{
    private static bool HasNoNullItems(OrganDocument o) =>
        (o.Competences ?? []).All(c => c is not null && (c.Citations ?? []).All(x => x is not null))
        && (o.LegalBases ?? []).All(l => l is not null) && (o.Values ?? []).All(v => v is not null);

    public OrganDocumentValidator()
    {
        // Lists with null items are refused first: the other rules look inside them, so they run only without.
        RuleFor(o => o).Must(o => o.Competences is null || o.Competences.All(c => c is not null && (c.Citations is null || c.Citations.All(x => x is not null))))
            .OverridePropertyName("competences").WithMessage("'competences' and their 'citations' must not contain null items.", "'competences' e suas 'citations' não podem ter itens nulos.");
        RuleFor(o => o).Must(o => (o.LegalBases ?? []).All(l => l is not null) && (o.Values ?? []).All(v => v is not null))
            .OverridePropertyName("legalBases").WithMessage("'legalBases' and 'values' must not contain null items.", "'legalBases' e 'values' não podem ter itens nulos.");
        When(HasNoNullItems, () =>
        {
            RuleFor(o => o.Slug).Slug();
            RuleFor(o => o.Name).NotEmpty().MaximumLength(Limits.NameLength);
            RuleFor(o => o.Acronym).MaximumLength(Limits.AcronymLength);
            RuleFor(o => o.Kind).NotEmpty().OneOf(OrganKinds.All);
            RuleFor(o => o.DisplayOrder).InclusiveBetween(0, 10_000);
            RuleFor(o => o.Statements).NotNull();
            RuleFor(o => o.Statements.About).MaximumLength(Limits.StatementLength).When(o => o.Statements is not null);
            RuleFor(o => o.Statements.Mission).MaximumLength(Limits.StatementLength).When(o => o.Statements is not null);
            RuleFor(o => o.Statements.Vision).MaximumLength(Limits.StatementLength).When(o => o.Statements is not null);
            RuleFor(o => o.Statements.Purpose).MaximumLength(Limits.StatementLength).When(o => o.Statements is not null);
            RuleFor(o => o.Values).NotNull()
                .Must(v => v is null || v.Count <= Limits.Values).WithMessage($"'values' may have at most {Limits.Values} items.", $"'values' pode ter no máximo {Limits.Values} itens.")
                .Must(v => v is null || v.Distinct(StringComparer.OrdinalIgnoreCase).Count() == v.Count).WithMessage("'values' must not repeat a value.", "'values' não pode repetir um valor.");
            RuleForEach(o => o.Values).NotEmpty().MaximumLength(Limits.ValueLength);
            RuleFor(o => o.Competences).NotNull()
                .Must(c => c is null || c.Count <= Limits.Competences).WithMessage($"'competences' may have at most {Limits.Competences} items.", $"'competences' pode ter no máximo {Limits.Competences} itens.")
                .Must(c => c is null || c.Select(x => x.Id).Distinct().Count() == c.Count).WithMessage("Each competence id must appear once.", "O id de cada competência deve aparecer uma só vez.");
            RuleForEach(o => o.Competences).SetValidator(new CompetenceValidator());
            RuleForEach(o => o.Competences)
                .Must((organ, competence) => competence.Label is null
                    || organ.Competences.Count(c => c.Group == competence.Group && c.Label == competence.Label) == 1)
                .WithMessage((_, competence) => $"The label '{competence.Label}' appears more than once in group '{competence.Group}'; labels are unique within a group.",
                    (_, competence) => $"O rótulo '{competence.Label}' aparece mais de uma vez no grupo '{competence.Group}'; cada rótulo é único no seu grupo.");
            RuleFor(o => o.Head!.Title).NotEmpty().MaximumLength(Limits.NameLength).When(o => o.Head is not null);
            RuleFor(o => o.Head!.Name).MaximumLength(Limits.NameLength).When(o => o.Head is not null);
            RuleFor(o => o.Contact!).SetValidator(new ContactValidator()).When(o => o.Contact is not null);
            RuleFor(o => o.LegalBases).NotNull()
                .Must(l => l is null || l.Select(x => (x.LegalBasisId, x.Role)).Distinct().Count() == l.Count).WithMessage("Each legal basis and role appear once.", "Cada base legal aparece uma só vez com cada papel.");
            RuleForEach(o => o.LegalBases).ChildRules(link => link.RuleFor(l => l.Role).NotEmpty().OneOf(LegalBasisRoles.All));
            RuleFor(o => o.Effective).Must(e => e is null || e.CreatedOn is null || e.ExtinctOn is null || e.ExtinctOn >= e.CreatedOn)
                .WithMessage("'effective.extinctOn' cannot be before 'effective.createdOn'.", "'effective.extinctOn' não pode ser anterior a 'effective.createdOn'.");
        });
    }
}

public sealed class CompetenceValidator : AbstractValidator<Competence>
{
    public CompetenceValidator()
    {
        RuleFor(c => c.Text).NotEmpty().MaximumLength(Limits.CompetenceTextLength);
        RuleFor(c => c.Label).MaximumLength(Limits.LabelLength);
        RuleFor(c => c.Group).NotEmpty().OneOf(CompetenceGroups.All);
        RuleFor(c => c.Citations).NotNull().Must(c => c is null || c.Count <= Limits.Citations).WithMessage($"At most {Limits.Citations} citations.", $"No máximo {Limits.Citations} citações.");
        RuleForEach(c => c.Citations).ChildRules(citation =>
        {
            citation.RuleFor(x => x.Article).MaximumLength(Limits.FragmentLength);
            citation.RuleFor(x => x.Paragraph).MaximumLength(Limits.FragmentLength);
            citation.RuleFor(x => x.Item).MaximumLength(Limits.FragmentLength);
        });
    }
}

public sealed class ContactValidator : AbstractValidator<Common.Contact>
{
    public ContactValidator()
    {
        RuleFor(c => c.Addresses).NotNull();
        RuleForEach(c => c.Addresses).ChildRules(address =>
        {
            address.RuleFor(a => a.Street).NotEmpty().MaximumLength(Limits.NameLength);
            address.RuleFor(a => a.Uf).Uf();
            address.RuleFor(a => a.PostalCode).Matches(@"^\d{5}-?\d{3}$").WithMessage("'{PropertyName}' must be a CEP like 30130-010.", "'{PropertyName}' deve ser um CEP como 30130-010.");
            address.RuleFor(a => a.OpeningHours).MaximumLength(Limits.NameLength);
            address.RuleFor(a => a.OpeningHoursSpecification).Must(h => h is null || h.Count <= Limits.OpeningHoursEntries)
                .WithMessage($"'openingHoursSpecification' may have at most {Limits.OpeningHoursEntries} entries.", $"'openingHoursSpecification' pode ter no máximo {Limits.OpeningHoursEntries} entradas.");
            address.RuleForEach(a => a.OpeningHoursSpecification).SetValidator(new OpeningHoursValidator(exception: false));
            address.RuleFor(a => a.SpecialOpeningHoursSpecification).Must(h => h is null || h.Count <= Limits.OpeningHoursEntries)
                .WithMessage($"'specialOpeningHoursSpecification' may have at most {Limits.OpeningHoursEntries} entries.", $"'specialOpeningHoursSpecification' pode ter no máximo {Limits.OpeningHoursEntries} entradas.");
            address.RuleForEach(a => a.SpecialOpeningHoursSpecification).SetValidator(new OpeningHoursValidator(exception: true));
        });
        RuleFor(c => c.Phones).NotNull();
        RuleForEach(c => c.Phones).ChildRules(phone => phone.RuleFor(p => p.Number).NotEmpty().Matches(@"^[+0-9 ()\-]{8,25}$")
            .WithMessage("'{PropertyName}' must be a phone number: digits, spaces, +, - and parentheses.", "'{PropertyName}' deve ser um telefone: algarismos, espaços, +, - e parênteses."));
        RuleFor(c => c.Emails).NotNull();
        RuleForEach(c => c.Emails).NotEmpty().EmailAddress();
        RuleFor(c => c.Website).HttpUrl();
    }
}

/// <summary>One schema.org OpeningHoursSpecification: known days, "HH:mm" times in order, a period in order; an exception needs its first day.</summary>
public sealed class OpeningHoursValidator : AbstractValidator<OpeningHoursSpecification>
{
    private static readonly System.Text.RegularExpressions.Regex Time = new(@"^(([01]\d|2[0-3]):[0-5]\d|24:00)$");

    public OpeningHoursValidator(bool exception)
    {
        RuleFor(h => h.DayOfWeek).NotNull().WithMessage("'dayOfWeek' must be a list of days (Monday … Sunday, PublicHolidays).", "'dayOfWeek' deve ser uma lista de dias (Monday … Sunday, PublicHolidays).");
        RuleForEach(h => h.DayOfWeek).NotEmpty().OneOf(DaysOfWeek.All);
        RuleFor(h => h.DayOfWeek).Must(d => d is null || d.Distinct().Count() == d.Count).WithMessage("'dayOfWeek' must not repeat a day.", "'dayOfWeek' não pode repetir um dia.");
        if (!exception)
        {
            RuleFor(h => h.DayOfWeek).Must(d => d is null || d.Count > 0)
                .WithMessage("'dayOfWeek' must name at least one day; a period without days belongs in 'specialOpeningHoursSpecification'.",
                    "'dayOfWeek' deve ter ao menos um dia; um período sem dias vai em 'specialOpeningHoursSpecification'.");
        }
        RuleFor(h => h.Opens).NotEmpty().Matches(Time).WithMessage("'opens' must be a local time such as 08:00.", "'opens' deve ser um horário como 08:00.");
        RuleFor(h => h.Closes).NotEmpty().Matches(Time).WithMessage("'closes' must be a local time such as 17:00 (24:00 for midnight).", "'closes' deve ser um horário como 17:00 (24:00 para meia-noite).");
        RuleFor(h => h).Must(h => h.IsClosed || string.CompareOrdinal(h.Opens, h.Closes) < 0)
            .When(h => h.Opens is not null && h.Closes is not null && Time.IsMatch(h.Opens) && Time.IsMatch(h.Closes))
            .OverridePropertyName("closes").WithMessage((h, _) => $"'closes' ({h.Closes}) must be after 'opens' ({h.Opens}); closed all day is opens = closes = 00:00.",
                (h, _) => $"'closes' ({h.Closes}) deve ser depois de 'opens' ({h.Opens}); fechado o dia todo é opens = closes = 00:00.");
        RuleFor(h => h).Must(h => h.ValidFrom is null || h.ValidThrough is null || h.ValidFrom <= h.ValidThrough)
            .OverridePropertyName("validThrough").WithMessage("'validThrough' cannot be before 'validFrom'.", "'validThrough' não pode ser anterior a 'validFrom'.");
        RuleFor(h => h.Description).MaximumLength(Limits.NameLength);
        if (exception)
        {
            RuleFor(h => h.ValidFrom).NotNull().WithMessage("An exception needs 'validFrom', the first day it applies.", "Uma exceção precisa de 'validFrom', o primeiro dia em que vale.");
        }
    }
}
