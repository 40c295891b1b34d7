using System.Text.Json.Serialization;

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
    string? OpeningHours,
    // Left out when null, so documents and answers written before structured hours existed keep their exact bytes (and ETags).
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OpeningHoursSpecification>? OpeningHoursSpecification = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OpeningHoursSpecification>? SpecialOpeningHoursSpecification = null);

/// <summary>
/// When an address serves the public, as schema.org's OpeningHoursSpecification: the regular week in
/// <see cref="Address.OpeningHoursSpecification"/> (one entry per interval, so 08:00–12:00 and 13:00–17:00 are two), and
/// exceptions (holidays, recess) in <see cref="Address.SpecialOpeningHoursSpecification"/>, dated with validFrom/validThrough.
/// Closed all day is opens = closes = "00:00", as schema.org says. The free-text <see cref="Address.OpeningHours"/> stays
/// beside it: documents written before it existed keep theirs, and both may be given.
/// </summary>
/// <param name="DayOfWeek">schema.org day names: Monday … Sunday, and PublicHolidays. May be empty in a dated exception (every day of its period).</param>
/// <param name="Opens">Local time "HH:mm".</param>
/// <param name="Closes">Local time "HH:mm", after <paramref name="Opens"/> ("24:00" is midnight at the end of the day).</param>
/// <param name="ValidFrom">First day it applies (required in exceptions).</param>
/// <param name="ValidThrough">Last day it applies (inclusive).</param>
/// <param name="Description">What the exception is ("Carnaval", "Recesso de fim de ano").</param>
public sealed record OpeningHoursSpecification(
    [property: ClosedSet(typeof(DaysOfWeek))] IReadOnlyList<string> DayOfWeek,
    string Opens,
    string Closes,
    DateOnly? ValidFrom = null,
    DateOnly? ValidThrough = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null)
{
    /// <summary>Closed for the whole day (schema.org: opens and closes at 00:00).</summary>
    [JsonIgnore]
    public bool IsClosed => Opens == "00:00" && Closes == "00:00";
}

/// <summary>The day names of schema.org's DayOfWeek, as OpeningHoursSpecification uses them.</summary>
public static class DaysOfWeek
{
    public const string PublicHolidays = "PublicHolidays";

    public static readonly IReadOnlyList<string> All = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", PublicHolidays];
}

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
