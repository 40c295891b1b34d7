using System.Text.Json.Nodes;

namespace Paco.Api.OpenData;

public sealed record DatasetPublisher(string Slug, string Name, string? Uf, string? Municipality, string? Website);

/// <summary>
/// The DCAT (W3C Data Catalog Vocabulary, v2) description of an institution's open data, in JSON-LD: what CKAN's
/// ckanext-dcat and the Portal Brasileiro de Dados Abertos harvest (dcat:Dataset with dct:title, dct:publisher, dct:license,
/// dct:accrualPeriodicity and its dcat:distribution list).
/// </summary>
public static class Dataset
{
    public const string License = "https://creativecommons.org/licenses/by/4.0/";

    public static JsonObject Describe(DatasetPublisher publisher, string baseUrl, DateTimeOffset modified)
    {
        var root = $"{baseUrl}/api/v1/institutions/{publisher.Slug}";
        var dictionary = $"{baseUrl}/api/v1/open-data/dictionary";
        var distributions = new JsonArray();
        foreach (var table in DataDictionary.Tables)
        {
            distributions.Add(Distribution($"{root}/open-data/{table.Name}.csv", $"{table.Title} (CSV)", table.Description, "CSV", "text/csv", dictionary));
            distributions.Add(Distribution($"{root}/open-data/{table.Name}.ndjson", $"{table.Title} (NDJSON)", table.Description, "NDJSON", OpenDataEndpoints.NdJson, dictionary));
        }
        distributions.Add(Distribution($"{root}/open-data.zip", "Todas as tabelas (CSV em ZIP)", "Every table as CSV, with the data dictionary.", "ZIP", OpenDataEndpoints.Zip, dictionary));
        var place = string.Join('/', new[] { publisher.Municipality, publisher.Uf }.Where(p => !string.IsNullOrWhiteSpace(p)));
        var dataset = new JsonObject
        {
            ["@context"] = new JsonObject
            {
                ["dcat"] = "http://www.w3.org/ns/dcat#",
                ["dct"] = "http://purl.org/dc/terms/",
                ["foaf"] = "http://xmlns.com/foaf/0.1/",
                ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
            },
            ["@id"] = $"{root}/open-data/dataset.jsonld",
            ["@type"] = "dcat:Dataset",
            ["dct:identifier"] = $"paco-{publisher.Slug}",
            ["dct:title"] = $"Estrutura organizacional e competências – {publisher.Name}",
            ["dct:description"] = $"Órgãos, competências, bases legais, citações e contatos publicados por {publisher.Name}"
                + (place.Length > 0 ? $" ({place})" : "") + ", conforme a Lei nº 12.527/2011, art. 8º, §1º, I.",
            ["dct:publisher"] = new JsonObject
            {
                ["@type"] = "foaf:Organization",
                ["foaf:name"] = publisher.Name,
                ["foaf:homepage"] = publisher.Website is null ? null : new JsonObject { ["@id"] = publisher.Website },
            },
            ["dct:license"] = new JsonObject { ["@id"] = License },
            ["dct:accrualPeriodicity"] = new JsonObject { ["@id"] = "http://purl.org/cld/freq/continuous" },
            ["dct:modified"] = new JsonObject { ["@value"] = modified.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["@type"] = "xsd:dateTime" },
            ["dct:language"] = "pt-BR",
            ["dct:spatial"] = place.Length > 0 ? place : null,
            ["dcat:keyword"] = new JsonArray("estrutura organizacional", "competências", "transparência", "LAI"),
            ["dcat:landingPage"] = new JsonObject { ["@id"] = root },
            ["dct:conformsTo"] = new JsonObject { ["@id"] = dictionary },
            ["dcat:distribution"] = distributions,
        };
        foreach (var key in dataset.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            dataset.Remove(key);
        }
        var organisation = dataset["dct:publisher"]!.AsObject();
        if (organisation["foaf:homepage"] is null)
        {
            organisation.Remove("foaf:homepage");
        }
        return dataset;
    }

    private static JsonObject Distribution(string url, string title, string description, string format, string mediaType, string dictionary) => new()
    {
        ["@id"] = url,
        ["@type"] = "dcat:Distribution",
        ["dct:title"] = title,
        ["dct:description"] = description,
        ["dcat:downloadURL"] = new JsonObject { ["@id"] = url },
        ["dcat:accessURL"] = new JsonObject { ["@id"] = url },
        ["dcat:mediaType"] = mediaType,
        ["dct:format"] = format,
        ["dct:license"] = new JsonObject { ["@id"] = License },
        ["dct:conformsTo"] = new JsonObject { ["@id"] = dictionary },
    };
}
