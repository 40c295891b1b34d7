using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Paco.Api.Common;
using Paco.Api.Institutions;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.LinkedData;

/// <summary>
/// The one mapping of Paço's published content to schema.org (https://schema.org), for the application/ld+json
/// representations and for anything else that publishes linked data (open-data exports):
/// institution and organ → GovernmentOrganization (@id = the public URL; parentOrganization, subOrganization),
/// contact → address (PostalAddress), telephone, email, and a location (Place) per address with its
/// openingHoursSpecification; head → employee (EmployeeRole with roleName and startDate, around a Person with jobTitle);
/// legal bases, cited or linked → subjectOf (Legislation with legislationIdentifier = the LexML URN).
/// Competences have no schema.org property and are left to the JSON and HTML representations.
/// </summary>
public static class SchemaOrg
{
    public const string Context = "https://schema.org";

    // Escapes <, >, & and quotes as \u escapes, so a host can put the document in a <script type="application/ld+json"> as it is.
    private static readonly JsonSerializerOptions Written = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static readonly AlternativeRepresentation OrganRepresentation = AlternativeRepresentation.Of<OrganResponse>(MediaRepresentation.JsonLd,
        (organ, baseUrl) => Serialize(Organ(organ, baseUrl)), """
        {"@context":"https://schema.org","@type":"GovernmentOrganization","@id":"https://paco.example.gov.br/api/v1/institutions/amostra/organs/secretaria-de-saude",
         "url":"https://paco.example.gov.br/api/v1/institutions/amostra/organs/secretaria-de-saude","name":"Secretaria Municipal de Saúde","alternateName":"SMS",
         "parentOrganization":{"@type":"GovernmentOrganization","@id":"https://paco.example.gov.br/api/v1/institutions/amostra","name":"Município de Exemplo"},
         "employee":{"@type":"EmployeeRole","roleName":"Secretário Municipal de Saúde","startDate":"2025-01-02","employee":{"@type":"Person","name":"Maria da Silva","jobTitle":"Secretário Municipal de Saúde"}},
         "address":[{"@type":"PostalAddress","streetAddress":"Rua Direita, 100","addressLocality":"Exemplo","addressRegion":"MG","postalCode":"30000-000","addressCountry":"BR"}],
         "telephone":["(31) 3333-0000"],"email":["saude@exemplo.mg.gov.br"],
         "location":[{"@type":"Place","address":{"@type":"PostalAddress","streetAddress":"Rua Direita, 100","addressLocality":"Exemplo","addressRegion":"MG","postalCode":"30000-000","addressCountry":"BR"},
           "openingHoursSpecification":[{"@type":"OpeningHoursSpecification","dayOfWeek":["https://schema.org/Monday","https://schema.org/Friday"],"opens":"08:00","closes":"17:00"}]}],
         "subjectOf":[{"@type":"Legislation","@id":"https://paco.example.gov.br/api/v1/institutions/amostra/legal-bases/lei-473-1999","url":"https://paco.example.gov.br/api/v1/institutions/amostra/legal-bases/lei-473-1999",
           "name":"Lei nº 473/99","legislationType":"lei","legislationIdentifier":"urn:lex:br;minas.gerais;exemplo:municipal:lei:1999;473","datePublished":"1999","legislationLegalForce":"https://schema.org/InForce"}]}
        """);

    public static readonly AlternativeRepresentation InstitutionRepresentation = AlternativeRepresentation.Of<InstitutionResponse>(MediaRepresentation.JsonLd,
        (institution, baseUrl) => Serialize(Institution(institution, baseUrl)), """
        {"@context":"https://schema.org","@type":"GovernmentOrganization","@id":"https://paco.example.gov.br/api/v1/institutions/amostra",
         "url":"https://paco.example.gov.br/api/v1/institutions/amostra","name":"Município de Exemplo","sameAs":"https://www.exemplo.mg.gov.br",
         "address":{"@type":"PostalAddress","addressLocality":"Exemplo","addressRegion":"MG","addressCountry":"BR"},
         "identifier":{"@type":"PropertyValue","propertyID":"IBGE","value":"3100000"}}
        """);

    public static readonly AlternativeRepresentation TreeRepresentation = AlternativeRepresentation.Of<OrganTree>(MediaRepresentation.JsonLd,
        (tree, baseUrl) => Serialize(Tree(tree, baseUrl)), """
        {"@context":"https://schema.org","@type":"GovernmentOrganization","@id":"https://paco.example.gov.br/api/v1/institutions/amostra",
         "url":"https://paco.example.gov.br/api/v1/institutions/amostra","name":"Município de Exemplo",
         "subOrganization":[{"@type":"GovernmentOrganization","@id":"https://paco.example.gov.br/api/v1/institutions/amostra/organs/gabinete-do-prefeito",
           "url":"https://paco.example.gov.br/api/v1/institutions/amostra/organs/gabinete-do-prefeito","name":"Gabinete do Prefeito"}]}
        """);

    public static byte[] Serialize(JsonObject node) => JsonSerializer.SerializeToUtf8Bytes(node, Written);

    public static JsonObject Organ(OrganResponse organ, string baseUrl)
    {
        var institution = organ.Institution.Slug;
        var node = Organization(ResourceUrls.Organ(baseUrl, institution, organ.Slug), organ.Name, organ.Acronym, context: true);
        node.Set("description", organ.Statements.About ?? organ.Statements.Mission);
        node["parentOrganization"] = organ.Parent is { } parent
            ? Organization(ResourceUrls.Organ(baseUrl, institution, parent.Slug), parent.Name, null)
            : Organization(ResourceUrls.Institution(baseUrl, institution), organ.Institution.Name, null);
        if (organ.Head is { } head)
        {
            var role = new JsonObject { ["@type"] = "EmployeeRole", ["roleName"] = head.Title };
            role.Set("startDate", head.Since is { } since ? Iso(since) : null);
            if (head.Name is { } name)
            {
                role["employee"] = new JsonObject { ["@type"] = "Person", ["name"] = name, ["jobTitle"] = head.Title };
            }
            node["employee"] = role;
        }
        if (organ.Contact is { } contact)
        {
            node.Set("sameAs", contact.Website);
            node.SetList("address", contact.Addresses.Select(a => (JsonNode)PostalAddress(a)));
            node.SetList("telephone", contact.Phones.Select(p => (JsonNode)p.Number));
            node.SetList("email", contact.Emails.Select(e => (JsonNode)e));
            node.SetList("location", contact.Addresses.Where(HasHours).Select(a => (JsonNode)Place(a)));
        }
        node.Set("foundingDate", organ.Effective?.CreatedOn is { } created ? Iso(created) : null);
        node.Set("dissolutionDate", organ.Effective?.ExtinctOn is { } extinct ? Iso(extinct) : null);
        var legislation = organ.LegalBases.Select(l => l.LegalBasis)
            .Concat(organ.Competences.SelectMany(c => c.Citations).Select(c => c.LegalBasis))
            .DistinctBy(l => l.Id);
        node.SetList("subjectOf", legislation.Select(l => (JsonNode)Legislation(l, institution, baseUrl)));
        return node;
    }

    public static JsonObject Institution(InstitutionResponse institution, string baseUrl)
    {
        var node = Organization(ResourceUrls.Institution(baseUrl, institution.Slug), institution.Name, null, context: true);
        node.Set("description", institution.Statements.About ?? institution.Statements.Mission);
        node.Set("sameAs", institution.Website);
        if (institution.Municipality is not null || institution.Uf is not null)
        {
            var address = new JsonObject { ["@type"] = "PostalAddress" };
            address.Set("addressLocality", institution.Municipality);
            address.Set("addressRegion", institution.Uf);
            address["addressCountry"] = "BR";
            node["address"] = address;
        }
        if (institution.IbgeCode is { } ibge)
        {
            node["identifier"] = new JsonObject { ["@type"] = "PropertyValue", ["propertyID"] = "IBGE", ["value"] = ibge };
        }
        return node;
    }

    /// <summary>The institution with its organs nested as subOrganization, in display order.</summary>
    public static JsonObject Tree(OrganTree tree, string baseUrl)
    {
        var node = Organization(ResourceUrls.Institution(baseUrl, tree.Institution.Slug), tree.Institution.Name, null, context: true);
        node.SetList("subOrganization", SubOrganizations(tree.Organs, tree.Institution.Slug, baseUrl));
        return node;
    }

    public static JsonObject Legislation(LegalBasisSummary legalBasis, string institution, string baseUrl)
    {
        var url = ResourceUrls.LegalBasis(baseUrl, institution, legalBasis.Slug);
        var node = new JsonObject { ["@type"] = "Legislation", ["@id"] = url, ["url"] = url, ["name"] = legalBasis.Title, ["legislationType"] = legalBasis.Kind };
        node.Set("legislationIdentifier", legalBasis.Urn);
        node.Set("sameAs", Html.SafeHref(legalBasis.Url));
        node.Set("datePublished", legalBasis.Year?.ToString("0000", CultureInfo.InvariantCulture));
        node["legislationLegalForce"] = Context + "/" + (legalBasis.Status == LegalBasisStatuses.InForce ? "InForce" : "NotInForce");
        return node;
    }

    private static IEnumerable<JsonNode> SubOrganizations(IReadOnlyList<OrganTreeNode> organs, string institution, string baseUrl) =>
        organs.Select(o =>
        {
            var node = Organization(ResourceUrls.Organ(baseUrl, institution, o.Slug), o.Name, o.Acronym);
            node.SetList("subOrganization", SubOrganizations(o.Children, institution, baseUrl));
            return (JsonNode)node;
        });

    private static JsonObject Organization(string id, string name, string? acronym, bool context = false)
    {
        var node = new JsonObject();
        if (context)
        {
            node["@context"] = Context;
        }
        node["@type"] = "GovernmentOrganization";
        node["@id"] = id;
        node["url"] = id;
        node["name"] = name;
        node.Set("alternateName", acronym);
        return node;
    }

    private static JsonObject PostalAddress(Address address)
    {
        var street = string.Join(", ", new[] { address.Street, address.Number, address.Complement }.Where(p => !string.IsNullOrWhiteSpace(p)));
        var node = new JsonObject { ["@type"] = "PostalAddress", ["streetAddress"] = address.District is { } district ? $"{street} – {district}" : street };
        node.Set("addressLocality", address.City);
        node.Set("addressRegion", address.Uf);
        node.Set("postalCode", address.PostalCode);
        node["addressCountry"] = "BR";
        return node;
    }

    private static bool HasHours(Address address) =>
        address.OpeningHours is not null || address.OpeningHoursSpecification is { Count: > 0 } || address.SpecialOpeningHoursSpecification is { Count: > 0 };

    /// <summary>Where the organ serves the public: Organization has no opening hours in schema.org, a Place has.</summary>
    private static JsonObject Place(Address address)
    {
        var node = new JsonObject { ["@type"] = "Place", ["address"] = PostalAddress(address) };
        node.Set("description", address.OpeningHours); // free text in Portuguese, not openingHours' "Mo-Fr 08:00-17:00" syntax
        node.SetList("openingHoursSpecification", (address.OpeningHoursSpecification ?? []).Select(h => (JsonNode)Hours(h)));
        node.SetList("specialOpeningHoursSpecification", (address.SpecialOpeningHoursSpecification ?? []).Select(h => (JsonNode)Hours(h)));
        return node;
    }

    private static JsonObject Hours(OpeningHoursSpecification hours)
    {
        var node = new JsonObject { ["@type"] = "OpeningHoursSpecification" };
        node.SetList("dayOfWeek", hours.DayOfWeek.Select(d => (JsonNode)$"{Context}/{d}"));
        node["opens"] = hours.Opens;
        node["closes"] = hours.Closes;
        node.Set("validFrom", hours.ValidFrom is { } from ? Iso(from) : null);
        node.Set("validThrough", hours.ValidThrough is { } through ? Iso(through) : null);
        node.Set("description", hours.Description);
        return node;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Set(this JsonObject node, string property, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            node[property] = value;
        }
    }

    private static void SetList(this JsonObject node, string property, IEnumerable<JsonNode> values)
    {
        var list = new JsonArray([.. values]);
        if (list.Count > 0)
        {
            node[property] = list;
        }
    }
}
