using System.Text.Json;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.OpenData;

/// <summary>A column of an open-data table: its stable name (CSV header and NDJSON key), type and meaning.</summary>
public sealed record DataColumn(string Name, [property: ClosedSet(typeof(DataTypes))] string Type, string Description);

/// <summary>An open-data table: one CSV file (and one NDJSON file) per institution, and nationally.</summary>
/// <param name="Source">Which published documents its rows come from: organ or legal basis.</param>
public sealed record DataTable(string Name, string Title, string Description, string Source, IReadOnlyList<DataColumn> Columns);

public static class DataTypes
{
    public static readonly IReadOnlyList<string> All = ["uuid", "text", "integer", "date", "timestamp"];
}

/// <summary>One published document as an export reads it: whose it is, which revision (and its content hash), published when.</summary>
public sealed record ExportedDocument(string Institution, Guid Id, int Revision, DateTimeOffset PublishedAt, string Json, string ContentHash);

/// <summary>
/// The data dictionary: every table, every column, in the order files have them. Column names never change meaning;
/// new columns are only ever added at the end. Each table says how a published document becomes its rows.
/// </summary>
public static class DataDictionary
{
    public const string Version = "1";

    private static DataColumn Col(string name, string type, string description) => new(name, type, description);

    private static readonly DataColumn Institution = Col("institution", "text", "Slug of the institution (GET /api/v1/institutions/{institution}).");
    private static readonly DataColumn OrganId = Col("organ_id", "uuid", "Id of the organ (stable across revisions and slug changes).");
    private static readonly DataColumn OrganSlug = Col("organ_slug", "text", "Slug of the organ, its address under /organs.");
    private static readonly DataColumn Revision = Col("revision", "integer", "Number of the published revision the row comes from.");
    private static readonly DataColumn PublishedAt = Col("published_at", "timestamp", "When that revision was published (ISO 8601, UTC).");

    public static readonly IReadOnlyList<DataTable> Tables =
    [
        new("organs", "Órgãos", "One row per published organ: the structure (parent), the head, the statements. The one table also published as JSON-LD (organs.jsonld: schema.org, not these columns).", OrganModule.TypeName,
        [
            Institution, OrganId, OrganSlug,
            Col("name", "text", "Name of the organ."),
            Col("acronym", "text", "Acronym, if any."),
            Col("kind", "text", $"Kind of organ: {string.Join(", ", OrganKinds.All)}."),
            Col("parent_id", "uuid", "organ_id of the organ it belongs to (empty at the top of the structure)."),
            Col("display_order", "integer", "Order among its siblings."),
            Col("head_title", "text", "Post of who heads it."),
            Col("head_name", "text", "Name of who holds the post (empty when not published)."),
            Col("head_since", "date", "Since when (ISO 8601)."),
            Col("mission", "text", "Mission statement."),
            Col("vision", "text", "Vision statement."),
            Col("values", "text", "Values, separated by \" | \"."),
            Col("created_on", "date", "When the organ was created."),
            Col("extinct_on", "date", "When it was extinguished, if it was."),
            Revision, PublishedAt,
        ]),
        new("competences", "Competências", "One row per competence (atribuição) of a published organ, in the organ's order.", OrganModule.TypeName,
        [
            Institution, OrganId, OrganSlug,
            Col("competence_id", "uuid", "Id of the competence (stable across revisions)."),
            Col("position", "integer", "1-based position in the organ's list."),
            Col("label", "text", "Its label in the norm (I, II, a)…)."),
            Col("group", "text", $"Group: {string.Join(", ", CompetenceGroups.All)}."),
            Col("text", "text", "The competence as the norm words it."),
            Col("performed_by_id", "uuid", "organ_id of the organ that performs it, when another one does."),
            Revision,
        ]),
        new("citations", "Citações", "One row per citation of a legal basis: by the organ itself (competence_id empty, with its role) or by one of its competences (down to article, paragraph, item).", OrganModule.TypeName,
        [
            Institution, OrganId, OrganSlug,
            Col("competence_id", "uuid", "The competence citing it; empty when the organ itself links the legal basis."),
            Col("legal_basis_id", "uuid", "legal_basis_id in the legal-bases table."),
            Col("role", "text", $"For the organ's own links: {string.Join(", ", LegalBasisRoles.All)}; 'competence' for a competence's citation."),
            Col("article", "text", "Article (\"11\")."),
            Col("paragraph", "text", "Paragraph (\"2º\", \"único\")."),
            Col("item", "text", "Item (inciso \"III\", alínea \"a\")."),
            Revision,
        ]),
        new("legal-bases", "Bases legais", "One row per published legal basis (lei, decreto, estatuto…).", LegalBasisModule.TypeName,
        [
            Institution,
            Col("legal_basis_id", "uuid", "Id of the legal basis."),
            Col("slug", "text", "Slug, its address under /legal-bases."),
            Col("kind", "text", $"Kind: {string.Join(", ", LegalBasisKinds.All)}."),
            Col("number", "text", "Number (\"473\", \"12.527\")."),
            Col("year", "integer", "Year."),
            Col("date", "date", "Date of the norm."),
            Col("title", "text", "Title (\"Lei nº 473/99\")."),
            Col("status", "text", $"Status: {string.Join(", ", LegalBasisStatuses.All)}."),
            Col("url", "text", "Where its text is published."),
            Revision, PublishedAt,
        ]),
        new("contacts", "Contatos", "One row per address, phone, e-mail and website of a published organ.", OrganModule.TypeName,
        [
            Institution, OrganId, OrganSlug,
            Col("channel", "text", "address, phone, email or website."),
            Col("value", "text", "The address on one line, the number, the e-mail or the URL."),
            Col("description", "text", "What a phone is for (\"Atendimento\")."),
            Col("street", "text", "Address: street."),
            Col("number", "text", "Address: number."),
            Col("complement", "text", "Address: complement."),
            Col("district", "text", "Address: district (bairro)."),
            Col("city", "text", "Address: city."),
            Col("uf", "text", "Address: state code."),
            Col("postal_code", "text", "Address: CEP."),
            Col("opening_hours", "text", "Address: opening hours as free text."),
            Col("opening_hours_specification", "text", "Address: opening hours as a JSON array of schema.org OpeningHoursSpecification (dayOfWeek, opens, closes, validFrom, validThrough), regular then special."),
            Revision,
        ]),
    ];

    public static DataTable? Find(string name) => Tables.FirstOrDefault(t => t.Name == name);

    public static IReadOnlyList<string> TableNames => [.. Tables.Select(t => t.Name)];

    /// <summary>The rows a published document gives the table, each with one value per column, in column order.</summary>
    public static IEnumerable<object?[]> RowsOf(DataTable table, ExportedDocument exported) => table.Source == OrganModule.TypeName
        ? OrganRows(table.Name, exported, PacoJson.Deserialize<OrganDocument>(exported.Json))
        : LegalBasisRows(exported, PacoJson.Deserialize<LegalBasisDocument>(exported.Json));

    private static IEnumerable<object?[]> OrganRows(string table, ExportedDocument e, OrganDocument o)
    {
        switch (table)
        {
            case "organs":
                yield return [e.Institution, e.Id, o.Slug, o.Name, o.Acronym, o.Kind, o.ParentId, o.DisplayOrder, o.Head?.Title, o.Head?.Name, o.Head?.Since,
                    o.Statements.Mission, o.Statements.Vision, o.Values.Count == 0 ? null : string.Join(" | ", o.Values), o.Effective?.CreatedOn, o.Effective?.ExtinctOn,
                    e.Revision, e.PublishedAt];
                break;
            case "competences":
                for (var i = 0; i < o.Competences.Count; i++)
                {
                    var c = o.Competences[i];
                    yield return [e.Institution, e.Id, o.Slug, c.Id, i + 1, c.Label, c.Group, c.Text, c.PerformedById, e.Revision];
                }
                break;
            case "citations":
                foreach (var link in o.LegalBases)
                {
                    yield return [e.Institution, e.Id, o.Slug, null, link.LegalBasisId, link.Role, null, null, null, e.Revision];
                }
                foreach (var c in o.Competences)
                {
                    foreach (var x in c.Citations)
                    {
                        yield return [e.Institution, e.Id, o.Slug, c.Id, x.LegalBasisId, "competence", x.Article, x.Paragraph, x.Item, e.Revision];
                    }
                }
                break;
            case "contacts" when o.Contact is { } contact:
                foreach (var a in contact.Addresses)
                {
                    var line = string.Join(", ", new[] { a.Street, a.Number, a.Complement, a.District, a.City is null ? null : a.Uf is null ? a.City : $"{a.City}/{a.Uf}", a.PostalCode }
                        .Where(p => !string.IsNullOrWhiteSpace(p)));
                    var hours = a.OpeningHoursSpecification is null && a.SpecialOpeningHoursSpecification is null ? null
                        : JsonSerializer.Serialize((a.OpeningHoursSpecification ?? []).Concat(a.SpecialOpeningHoursSpecification ?? []), PacoJson.Options);
                    yield return [e.Institution, e.Id, o.Slug, "address", line, null, a.Street, a.Number, a.Complement, a.District, a.City, a.Uf, a.PostalCode,
                        a.OpeningHours, hours, e.Revision];
                }
                foreach (var p in contact.Phones)
                {
                    yield return [e.Institution, e.Id, o.Slug, "phone", p.Number, p.Description, null, null, null, null, null, null, null, null, null, e.Revision];
                }
                foreach (var mail in contact.Emails)
                {
                    yield return [e.Institution, e.Id, o.Slug, "email", mail, null, null, null, null, null, null, null, null, null, null, e.Revision];
                }
                if (contact.Website is { } website)
                {
                    yield return [e.Institution, e.Id, o.Slug, "website", website, null, null, null, null, null, null, null, null, null, null, e.Revision];
                }
                break;
        }
    }

    private static IEnumerable<object?[]> LegalBasisRows(ExportedDocument e, LegalBasisDocument l)
    {
        yield return [e.Institution, e.Id, l.Slug, l.Kind, l.Number, l.Year, l.Date, l.Title, l.Status, l.Url, e.Revision, e.PublishedAt];
    }
}
