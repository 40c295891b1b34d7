using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Compliance;

/// <summary>A published legal basis of the institution, as the rules see it.</summary>
public sealed record LegalBasisFact(Guid Id, string Slug, string Title, string Status)
{
    public bool InForce => Status == LegalBasisStatuses.InForce;
}

/// <summary>
/// What a field holds, for a check: <see cref="Signature"/> null when it is missing, otherwise a text that changes when its
/// value does (so the report can say since when it has held it); <see cref="Outdated"/> when it rests on revoked norms.
/// </summary>
public sealed record FieldValue(string? Signature, bool Outdated = false, string? Detail = null)
{
    public static readonly FieldValue Missing = new((string?)null);

    public static FieldValue Of(string? text) => string.IsNullOrWhiteSpace(text) ? Missing : new(text.Trim());
}

/// <summary>A field the rules may name: its name (a path in the organ document, or of the institution), what it means, and how it is read.</summary>
public sealed record ComplianceField(string Name, string Scope, string Meaning,
    Func<OrganDocument, IReadOnlyDictionary<Guid, LegalBasisFact>, FieldValue>? OfOrgan = null,
    Func<IReadOnlyCollection<LegalBasisFact>, FieldValue>? OfInstitution = null);

/// <summary>The fields the rulebook can check. Adding one is code; using it in a rule (or not) is the rulebook's data.</summary>
public static class ComplianceFields
{
    public const string StructureNorm = "legalBases[role=creates|structures]";
    public const string Competences = "competences[group=competences|aims]";
    public const string HeadTitle = "head.title";
    public const string HeadName = "head.name";
    public const string Addresses = "contact.addresses";
    public const string Phones = "contact.phones";
    public const string Emails = "contact.emails";
    public const string OpeningHours = "contact.addresses[].openingHours|openingHoursSpecification";
    public const string StructuredOpeningHours = "contact.addresses[].openingHoursSpecification";
    public const string Mission = "statements.mission";
    public const string Vision = "statements.vision";
    public const string Values = "values";
    public const string InstitutionLegalBases = "institution.legalBases";

    public static readonly IReadOnlyDictionary<string, ComplianceField> All = new ComplianceField[]
    {
        new(StructureNorm, ComplianceScopes.Organ, "Published legal bases linked with role 'creates' or 'structures'; outdated when none of them is in force.",
            OfOrgan: (organ, legalBases) => Norms(organ.LegalBases.Where(l => l.Role is "creates" or "structures").Select(l => l.LegalBasisId), legalBases)),
        new(Competences, ComplianceScopes.Organ, "Competences of group 'competences' or 'aims'; outdated when every norm they cite is revoked.",
            OfOrgan: (organ, legalBases) =>
            {
                var own = organ.Competences.Where(c => c.Group is CompetenceGroups.Competences or CompetenceGroups.Aims).ToList();
                if (own.Count == 0)
                {
                    return FieldValue.Missing;
                }
                var cited = own.SelectMany(c => c.Citations).Select(c => legalBases.GetValueOrDefault(c.LegalBasisId)).OfType<LegalBasisFact>().ToList();
                var outdated = cited.Count > 0 && cited.All(l => !l.InForce);
                return new FieldValue(string.Join('\n', own.Select(c => c.Text)), outdated,
                    $"{own.Count} competences" + (outdated ? $"; they cite only revoked norms ({string.Join(", ", cited.Select(l => l.Title).Distinct())})" : ""));
            }),
        new(HeadTitle, ComplianceScopes.Organ, "The post of who heads the organ.", OfOrgan: (organ, _) => FieldValue.Of(organ.Head?.Title)),
        new(HeadName, ComplianceScopes.Organ, "The name of who holds the post now.", OfOrgan: (organ, _) => FieldValue.Of(organ.Head?.Name)),
        new(Addresses, ComplianceScopes.Organ, "At least one address.",
            OfOrgan: (organ, _) => Listed(organ.Contact?.Addresses.Select(a => $"{a.Street}, {a.Number} {a.Complement} {a.District} {a.City}/{a.Uf} {a.PostalCode}"), "addresses")),
        new(Phones, ComplianceScopes.Organ, "At least one phone number.", OfOrgan: (organ, _) => Listed(organ.Contact?.Phones.Select(p => p.Number), "phones")),
        new(Emails, ComplianceScopes.Organ, "At least one e-mail address.", OfOrgan: (organ, _) => Listed(organ.Contact?.Emails, "e-mails")),
        new(OpeningHours, ComplianceScopes.Organ, "Every address has opening hours, structured or as free text (and there is an address).",
            OfOrgan: (organ, _) => Hours(organ, structuredOnly: false)),
        new(StructuredOpeningHours, ComplianceScopes.Organ, "Every address has structured opening hours (schema.org OpeningHoursSpecification).",
            OfOrgan: (organ, _) => Hours(organ, structuredOnly: true)),
        new(Mission, ComplianceScopes.Organ, "The organ's mission.", OfOrgan: (organ, _) => FieldValue.Of(organ.Statements.Mission)),
        new(Vision, ComplianceScopes.Organ, "The organ's vision.", OfOrgan: (organ, _) => FieldValue.Of(organ.Statements.Vision)),
        new(Values, ComplianceScopes.Organ, "At least one value.", OfOrgan: (organ, _) => Listed(organ.Values, "values")),
        new(InstitutionLegalBases, ComplianceScopes.Institution, "Published legal bases of the institution; outdated when none is in force.",
            OfInstitution: legalBases => legalBases.Count == 0
                ? FieldValue.Missing
                : new FieldValue(string.Join(',', legalBases.Select(l => l.Id).Order()), legalBases.All(l => !l.InForce),
                    $"{legalBases.Count} published, {legalBases.Count(l => l.InForce)} in force")),
    }.ToDictionary(f => f.Name);

    private static FieldValue Norms(IEnumerable<Guid> ids, IReadOnlyDictionary<Guid, LegalBasisFact> legalBases)
    {
        var linked = ids.Select(legalBases.GetValueOrDefault).OfType<LegalBasisFact>().DistinctBy(l => l.Id).OrderBy(l => l.Slug, StringComparer.Ordinal).ToList();
        if (linked.Count == 0)
        {
            return FieldValue.Missing;
        }
        var inForce = linked.Where(l => l.InForce).ToList();
        return new FieldValue(string.Join(',', linked.Select(l => l.Id)), inForce.Count == 0,
            inForce.Count == 0 ? $"only revoked: {string.Join(", ", linked.Select(l => l.Title))}" : string.Join(", ", inForce.Select(l => l.Title)));
    }

    private static FieldValue Listed(IEnumerable<string>? items, string what)
    {
        var list = items?.Where(i => !string.IsNullOrWhiteSpace(i)).ToList() ?? [];
        return list.Count == 0 ? FieldValue.Missing : new FieldValue(string.Join('\n', list), Detail: $"{list.Count} {what}");
    }

    private static FieldValue Hours(OrganDocument organ, bool structuredOnly)
    {
        var addresses = organ.Contact?.Addresses ?? [];
        bool Has(Common.Address a) => a.OpeningHoursSpecification is { Count: > 0 } || (!structuredOnly && !string.IsNullOrWhiteSpace(a.OpeningHours));
        if (addresses.Count == 0 || !addresses.All(Has))
        {
            var detail = addresses.Count == 0 ? "no address" : $"{addresses.Count(a => !Has(a))} of {addresses.Count} addresses without";
            return new FieldValue((string?)null, Detail: detail);
        }
        return new FieldValue(string.Join('\n', addresses.Select(a =>
            a.OpeningHours + "|" + string.Join(';', (a.OpeningHoursSpecification ?? []).Select(h => $"{string.Join(',', h.DayOfWeek)} {h.Opens}-{h.Closes}")))));
    }
}
