namespace Paco.Api.Common;

// Shapes shared by institutions, organs and legal bases. Field names in English, content in Portuguese.

/// <summary>What an institution or organ says of itself. Any of them may be missing in the source.</summary>
public sealed record Statements(string? About, string? Mission, string? Vision, string? Purpose)
{
    public static readonly Statements None = new(null, null, null, null);
}

/// <summary>Who heads the organ: the post, the person (when published) and since when.</summary>
public sealed record Head(string Title, string? Name, DateOnly? Since);

public sealed record Contact(
    IReadOnlyList<Address> Addresses,
    IReadOnlyList<Phone> Phones,
    IReadOnlyList<string> Emails,
    string? Website);

public sealed record Address(
    string Street,
    string? Number,
    string? Complement,
    string? District,
    string? City,
    string? Uf,
    string? PostalCode,
    string? OpeningHours);

public sealed record Phone(string Number, string? Description);

/// <summary>When the organ was created and, if it was, extinguished.</summary>
public sealed record EffectivePeriod(DateOnly? CreatedOn, DateOnly? ExtinctOn);

/// <summary>Where the content came from, and every correction made while structuring it.</summary>
public sealed record SourceProvenance(IReadOnlyList<string> Files, IReadOnlyList<string> Notes, IReadOnlyList<Correction> Corrections);

public sealed record Correction(string Original, string Corrected, string Reason);

/// <summary>A short reference to another organ, enough to link to it.</summary>
public sealed record OrganRef(Guid Id, string Slug, string Name);

public sealed record InstitutionRef(Guid Id, string Slug, string Name);

/// <summary>Which revision a representation comes from.</summary>
public sealed record RevisionInfo(int Number, DateTimeOffset PublishedAt, string ContentHash);
