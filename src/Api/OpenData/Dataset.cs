using System.Globalization;
using System.Text.Json.Nodes;

namespace Paco.Api.OpenData;

public sealed record DatasetPublisher(string Slug, string Name, string? Uf, string? Municipality, string? Website);

/// <summary>One page of the catalog: which datasets it holds and where the other pages are.</summary>
/// <param name="Total">Datasets in the whole catalog (the national one and one per institution that publishes).</param>
public sealed record CatalogPage(int Page, int PageSize, int Total, string PageUrl, Func<int, string> UrlOf)
{
    public int Last => Math.Max(1, (int)Math.Ceiling(Total / (double)PageSize));
}

/// <summary>
/// The DCAT (W3C Data Catalog Vocabulary, v2) descriptions of the open data, in JSON-LD: what CKAN's ckanext-dcat and the
/// Portal Brasileiro de Dados Abertos harvest. A dcat:Dataset per institution (dct:title, dct:publisher, dct:license,
/// dct:accrualPeriodicity, its dcat:distribution list), one for the country, and the dcat:Catalog listing them all, paged
/// with Hydra (hydra:PagedCollection with hydra:next, which ckanext-dcat's RDF harvester follows page after page).
/// </summary>
public static class Dataset
{
    public const string License = "https://creativecommons.org/licenses/by/4.0/";

    /// <summary>Who publishes the national dataset and the catalog: the service itself, at its base URL.</summary>
    private const string ServiceName = "Paço – estrutura organizacional dos governos municipais";

    /// <summary>The bytes served: UTF-8 as the rest of the API writes it (accents as they are, not escaped).</summary>
    public static byte[] ToUtf8(JsonObject node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(Common.PacoJson.Options));

    private static JsonObject Context(bool paged)
    {
        var context = new JsonObject
        {
            ["dcat"] = "http://www.w3.org/ns/dcat#",
            ["dct"] = "http://purl.org/dc/terms/",
            ["foaf"] = "http://xmlns.com/foaf/0.1/",
            ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
        };
        if (paged)
        {
            context["hydra"] = "http://www.w3.org/ns/hydra/core#";
        }
        return context;
    }

    /// <summary>An institution's dataset, standalone (with its @context): GET …/open-data/dataset.jsonld and the zip's dataset.jsonld.</summary>
    public static JsonObject Describe(DatasetPublisher publisher, string baseUrl, DateTimeOffset modified) =>
        WithContext(Of(publisher, baseUrl, modified));

    /// <summary>The country's dataset, standalone: GET /api/v1/open-data/dataset.jsonld.</summary>
    public static JsonObject DescribeNational(string baseUrl, DateTimeOffset modified) => WithContext(National(baseUrl, modified));

    private static JsonObject WithContext(JsonObject dataset)
    {
        var described = new JsonObject { ["@context"] = Context(paged: false) };
        foreach (var (key, value) in dataset.ToList())
        {
            dataset.Remove(key);
            described[key] = value;
        }
        return described;
    }

    /// <summary>An institution's dataset, as a node (no @context) for the catalog.</summary>
    public static JsonObject Of(DatasetPublisher publisher, string baseUrl, DateTimeOffset modified)
    {
        var root = $"{baseUrl}/api/v1/institutions/{publisher.Slug}";
        var place = string.Join('/', new[] { publisher.Municipality, publisher.Uf }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return Node(baseUrl, $"{root}/open-data", $"paco-{publisher.Slug}",
            $"Estrutura organizacional e competências – {publisher.Name}",
            $"Órgãos, competências, bases legais, citações e contatos publicados por {publisher.Name}"
                + (place.Length > 0 ? $" ({place})" : "") + ", conforme a Lei nº 12.527/2011, art. 8º, §1º, I.",
            Organisation(publisher.Name, publisher.Website), root, place.Length > 0 ? place : null, modified);
    }

    /// <summary>The country's dataset (every institution's tables in one file each), as a node for the catalog.</summary>
    public static JsonObject National(string baseUrl, DateTimeOffset modified) =>
        Node(baseUrl, $"{baseUrl}/api/v1/open-data", "paco-brasil",
            "Estrutura organizacional e competências dos governos municipais – Brasil",
            "Órgãos, competências, bases legais, citações e contatos publicados por todas as instituições no Paço (prefeituras, câmaras, "
                + "associações), uma tabela por arquivo; cada estado à parte com ?uf=. Lei nº 12.527/2011, art. 8º, §1º, I.",
            Organisation(ServiceName, baseUrl), $"{baseUrl}/api/v1/institutions", "Brasil", modified);

    /// <summary>
    /// One page of the catalog: the dcat:Catalog with the page's datasets, and the page itself as a hydra:PagedCollection
    /// (hydra:next and the deprecated hydra:nextPage alike, as ckanext-dcat writes and reads both).
    /// </summary>
    public static JsonObject Catalog(string baseUrl, DateTimeOffset modified, IEnumerable<JsonObject> datasets, CatalogPage page)
    {
        var catalog = new JsonObject
        {
            ["@id"] = $"{baseUrl}/api/v1/open-data/catalog.jsonld",
            ["@type"] = "dcat:Catalog",
            ["dct:title"] = "Paço – catálogo de dados abertos",
            ["dct:description"] = "Os dados abertos de cada instituição que publica no Paço, e os do país inteiro: estrutura organizacional, "
                + "competências, bases legais e contatos (Lei nº 12.527/2011, art. 8º, §1º, I, e §3º, III).",
            ["dct:publisher"] = Organisation(ServiceName, baseUrl),
            ["dct:license"] = new JsonObject { ["@id"] = License },
            ["dct:language"] = "pt-BR",
            ["dct:modified"] = DateTimeValue(modified),
            ["foaf:homepage"] = new JsonObject { ["@id"] = baseUrl + "/" },
            ["dcat:dataset"] = new JsonArray([.. datasets]),
        };
        JsonObject Ref(int target) => new() { ["@id"] = page.UrlOf(target) };
        var paging = new JsonObject
        {
            ["@id"] = page.PageUrl,
            ["@type"] = "hydra:PagedCollection",
            ["hydra:totalItems"] = new JsonObject { ["@value"] = page.Total, ["@type"] = "xsd:integer" },
            ["hydra:itemsPerPage"] = new JsonObject { ["@value"] = page.PageSize, ["@type"] = "xsd:integer" },
            ["hydra:first"] = Ref(1),
            ["hydra:firstPage"] = Ref(1),
            ["hydra:last"] = Ref(page.Last),
            ["hydra:lastPage"] = Ref(page.Last),
        };
        if (page.Page < page.Last)
        {
            paging["hydra:next"] = Ref(page.Page + 1);
            paging["hydra:nextPage"] = Ref(page.Page + 1);
        }
        if (page.Page > 1)
        {
            paging["hydra:previous"] = Ref(Math.Min(page.Page - 1, page.Last));
            paging["hydra:previousPage"] = Ref(Math.Min(page.Page - 1, page.Last));
        }
        return new JsonObject { ["@context"] = Context(paged: true), ["@graph"] = new JsonArray(catalog, paging) };
    }

    private static JsonObject Node(string baseUrl, string files, string identifier, string title, string description, JsonObject publisher,
        string landingPage, string? spatial, DateTimeOffset modified)
    {
        var dictionary = $"{baseUrl}/api/v1/open-data/dictionary";
        var distributions = new JsonArray();
        foreach (var table in DataDictionary.Tables)
        {
            distributions.Add(Distribution($"{files}/{table.Name}.csv", $"{table.Title} (CSV)", table.Description, "CSV", "text/csv", dictionary));
            distributions.Add(Distribution($"{files}/{table.Name}.ndjson", $"{table.Title} (NDJSON)", table.Description, "NDJSON", OpenDataEndpoints.NdJson, dictionary));
            if (table.Name == OpenDataEndpoints.LinkedTable)
            {
                // Linked data conforms to schema.org, not to the dictionary's columns.
                distributions.Add(Distribution($"{files}/{table.Name}.jsonld", $"{table.Title} (JSON-LD)",
                    "One schema.org GovernmentOrganization per published organ, in one @graph.", "JSON-LD", OpenDataEndpoints.JsonLd, LinkedData.SchemaOrg.Context));
            }
        }
        distributions.Add(Distribution($"{files}.zip", "Todas as tabelas (CSV em ZIP)", "Every table as CSV, with the data dictionary.", "ZIP", OpenDataEndpoints.Zip, dictionary));
        var dataset = new JsonObject
        {
            ["@id"] = $"{files}/dataset.jsonld",
            ["@type"] = "dcat:Dataset",
            ["dct:identifier"] = identifier,
            ["dct:title"] = title,
            ["dct:description"] = description,
            ["dct:publisher"] = publisher,
            ["dct:license"] = new JsonObject { ["@id"] = License },
            ["dct:accrualPeriodicity"] = new JsonObject { ["@id"] = "http://purl.org/cld/freq/continuous" },
            ["dct:modified"] = DateTimeValue(modified),
            ["dct:language"] = "pt-BR",
            ["dct:spatial"] = spatial,
            ["dcat:keyword"] = new JsonArray("estrutura organizacional", "competências", "transparência", "LAI"),
            ["dcat:landingPage"] = new JsonObject { ["@id"] = landingPage },
            ["dct:conformsTo"] = new JsonObject { ["@id"] = dictionary },
            ["dcat:distribution"] = distributions,
        };
        if (spatial is null)
        {
            dataset.Remove("dct:spatial");
        }
        return dataset;
    }

    private static JsonObject Organisation(string name, string? homepage)
    {
        var organisation = new JsonObject { ["@type"] = "foaf:Organization", ["foaf:name"] = name };
        if (homepage is not null)
        {
            organisation["foaf:homepage"] = new JsonObject { ["@id"] = homepage };
        }
        return organisation;
    }

    private static JsonObject DateTimeValue(DateTimeOffset value) => new()
    {
        ["@value"] = value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["@type"] = "xsd:dateTime",
    };

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
