using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.OpenData;
using Paco.Api.Organs;

namespace Paco.Api.Tests.OpenData;

/// <summary>
/// The national DCAT catalog as a harvester reads it (ckanext-dcat's RDF harvester): page 1, then hydra:next until there is
/// none, every dcat:Dataset of every page kept. The fixture adds institutions of its own beside the seeds.
/// </summary>
public sealed class OpenDataCatalogTests : ApiFixture
{
    private const string Catalog = "/api/v1/open-data/catalog.jsonld";

    [OneTimeSetUp]
    public async Task CreateInstitutionsAsync()
    {
        foreach (var slug in new[] { "catalogo-a", "catalogo-b", "catalogo-c" })
        {
            var institution = await Content.InstitutionAsync(slug, "PE", "Recife");
            await Content.ResourceAsync(institution, OrganModule.TypeName, "gabinete", [TestContent.Organ("gabinete", "Gabinete do Prefeito")], publish: 1);
        }
        await Content.InstitutionAsync("catalogo-sem-nada", "PE", "Olinda");
    }

    private static JsonObject NodeOfType(JsonNode page, string type) =>
        page["@graph"]!.AsArray().Single(n => n!["@type"]!.GetValue<string>() == type)!.AsObject();

    private static string Path(JsonNode? reference) => new Uri(reference!["@id"]!.GetValue<string>()).PathAndQuery;

    /// <summary>What the harvester does: every page from the first, following hydra:next; the datasets of all of them.</summary>
    private async Task<(List<JsonObject> Datasets, List<JsonObject> Pages)> HarvestAsync(string first)
    {
        var (datasets, pages) = (new List<JsonObject>(), new List<JsonObject>());
        for (var url = first; url is not null;)
        {
            using var response = await Client.GetAsync(url);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/ld+json"));
            var page = await ReadJsonAsync(response);
            datasets.AddRange(NodeOfType(page, "dcat:Catalog")["dcat:dataset"]!.AsArray().Select(d => d!.AsObject()));
            var paging = NodeOfType(page, "hydra:PagedCollection");
            pages.Add(paging);
            url = paging["hydra:next"] is { } next ? Path(next) : null;
            Assert.That(pages, Has.Count.LessThan(100), "hydra:next must end");
        }
        return (datasets, pages);
    }

    [Test]
    public async Task A_harvest_following_hydra_next_gets_the_national_dataset_and_one_per_institution_each_once()
    {
        var (datasets, pages) = await HarvestAsync($"{Catalog}?pageSize=2");
        var (whole, _) = await HarvestAsync(Catalog);

        var ids = datasets.Select(d => d["dct:identifier"]!.GetValue<string>()).ToList();
        Assert.That(ids[0], Is.EqualTo("paco-brasil"), "the national dataset comes first");
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Does.Contain("paco-catalogo-a").And.Contain("paco-catalogo-b").And.Contain("paco-catalogo-c").And.Contain("paco-amostra"));
        Assert.That(ids, Does.Contain("paco-catalogo-sem-nada"), "every institution has its dataset, even before it publishes");
        Assert.That(ids.Skip(1), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(pages[0]["hydra:totalItems"]!["@value"]!.GetValue<int>(), Is.EqualTo(ids.Count));
        Assert.That(pages, Has.Count.EqualTo((ids.Count + 1) / 2));
        Assert.That(pages.All(p => p["hydra:itemsPerPage"]!["@value"]!.GetValue<int>() == 2));
        Assert.That(pages.Skip(1).All(p => p["hydra:previous"] is not null && p["hydra:nextPage"] is null == (p["hydra:next"] is null)));
        Assert.That(Path(pages[^1]["hydra:last"]), Is.EqualTo(new Uri(pages[^1]["@id"]!.GetValue<string>()).PathAndQuery));
        Assert.That(whole.Select(d => d["dct:identifier"]!.GetValue<string>()), Is.EqualTo(ids), "any page size lists the same datasets");
    }

    [Test]
    public async Task Each_dataset_in_the_catalog_is_the_one_its_own_dataset_jsonld_describes_with_downloadable_distributions()
    {
        var (datasets, _) = await HarvestAsync($"{Catalog}?pageSize=100");

        foreach (var dataset in datasets.Where(d => d["dct:identifier"]!.GetValue<string>() is "paco-catalogo-b" or "paco-brasil"))
        {
            var own = (await GetJsonAsync(Path(dataset))).AsObject();
            own.Remove("@context");
            Assert.That(dataset.ToJsonString(), Is.EqualTo(own.ToJsonString()), dataset["@id"]!.GetValue<string>());
            Assert.That(dataset["dct:license"]!["@id"]!.GetValue<string>(), Is.EqualTo(Dataset.License));
            Assert.That(dataset["dct:accrualPeriodicity"]!["@id"]!.GetValue<string>(), Does.StartWith("http://purl.org/cld/freq/"));
            Assert.That(dataset["dct:modified"]!["@value"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
            var distributions = dataset["dcat:distribution"]!.AsArray();
            Assert.That(distributions.Select(d => d!["dct:format"]!.GetValue<string>()).Distinct(), Is.EquivalentTo(new[] { "CSV", "NDJSON", "JSON-LD", "ZIP" }));
            foreach (var distribution in distributions.Take(3).Append(distributions[^1]))
            {
                using var download = await Client.GetAsync(Path(distribution!["dcat:downloadURL"]));
                Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK), Path(distribution["dcat:downloadURL"]));
                Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo(distribution["dcat:mediaType"]!.GetValue<string>()));
            }
        }
        var national = datasets[0];
        Assert.That(Path(national["dcat:distribution"]![0]!["dcat:downloadURL"]), Is.EqualTo("/api/v1/open-data/organs.csv"));
        Assert.That(national["dct:publisher"]!["foaf:name"]!.GetValue<string>(), Does.StartWith("Paço"));
    }

    [Test]
    public async Task The_catalog_is_revalidated_with_its_etag_and_changes_when_an_institution_publishes()
    {
        using var first = await Client.GetAsync($"{Catalog}?pageSize=100");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{Catalog}?pageSize=100");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Client.SendAsync(again);

        var newcomer = await Content.InstitutionAsync("catalogo-novato", "PE", "Caruaru");
        await Content.ResourceAsync(newcomer, OrganModule.TypeName, "gabinete", [TestContent.Organ("gabinete", "Gabinete do Prefeito")], publish: 1);
        using var stale = new HttpRequestMessage(HttpMethod.Get, $"{Catalog}?pageSize=100");
        stale.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var changed = await Client.SendAsync(stale);
        using var badSize = await Client.GetAsync($"{Catalog}?pageSize=1000");

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var datasets = NodeOfType(await ReadJsonAsync(changed), "dcat:Catalog")["dcat:dataset"]!.AsArray();
        Assert.That(datasets.Select(d => d!["dct:identifier"]!.GetValue<string>()), Does.Contain("paco-catalogo-novato"));
        await AssertProblemAsync(badSize, 400, "pageSize");
    }
}
