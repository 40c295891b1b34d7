using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.Common;
using Paco.Api.LegalBases;
using Paco.Api.Organs;
using Paco.Api.Tests.Representations;

namespace Paco.Api.Tests.OpenData;

/// <summary>The organs as one JSON-LD graph, per institution and nationally, over content the fixture creates (a draft, a re-publication, two states).</summary>
public sealed class OpenDataJsonLdTests : ApiFixture
{
    private const string Mine = "/api/v1/institutions/grafo-aberto";
    private const string Organs = Mine + "/open-data/organs.jsonld";
    private DateTimeOffset _beforeRename;

    [OneTimeSetUp]
    public async Task CreateContentAsync()
    {
        var institution = await Content.InstitutionAsync("grafo-aberto", "PR", "Grafo do Sul");
        var law = await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "lei-12-2010", [TestContent.Law("lei-12-2010", "12", 2010, "Lei nº 12/2010")], publish: 1);
        var cabinet = await Content.ResourceAsync(institution, OrganModule.TypeName, "gabinete", [TestContent.Organ("gabinete", "Gabinete do Prefeito", kind: "gabinete")], publish: 1);
        var finance = TestContent.Organ("fazenda", "Secretaria da Fazenda", parentId: cabinet, legalBases: [new LegalBasisLink(law, "structures")]) with
        {
            Head = new Head("Secretária da Fazenda", "Ana Lima", new DateOnly(2025, 1, 2)),
            Contact = new Contact([new Address("Rua XV", "10", null, "Centro", "Grafo do Sul", "PR", "80000-000", null,
                [new OpeningHoursSpecification(["Monday", "Tuesday"], "09:00", "16:00")])], [new Phone("(41) 3000-0000", null)], ["fazenda@grafo.pr.gov.br"], null),
        };
        var financeId = await Content.ResourceAsync(institution, OrganModule.TypeName, "fazenda", [finance], publish: 1);
        await Content.ResourceAsync(institution, OrganModule.TypeName, "rascunho", [TestContent.Organ("rascunho", "Secretaria Ainda em Rascunho")]);
        await Task.Delay(20);
        _beforeRename = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Content.AppendAsync(financeId, finance with { Name = "Secretaria da Fazenda e Planejamento" }, publish: true);
        var other = await Content.InstitutionAsync("grafo-outro", "AM", "Outro Grafo");
        await Content.ResourceAsync(other, OrganModule.TypeName, "educacao", [TestContent.Organ("educacao", "Secretaria de Educação")], publish: 1);
    }

    private async Task<(HttpResponseMessage Response, JsonObject Document)> GraphAsync(string url)
    {
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return (response, JsonNode.Parse(body)!.AsObject());
    }

    private static List<JsonObject> Nodes(JsonObject document) => [.. document["@graph"]!.AsArray().Select(n => n!.AsObject())];

    private static string Id(JsonNode? node) => node!["@id"]!.GetValue<string>();

    private static string Name(JsonObject node) => node["name"]!.GetValue<string>();

    [Test]
    public async Task The_graph_has_one_government_organization_per_published_organ_with_parents_as_id_references()
    {
        var (response, document) = await GraphAsync(Organs);
        var nodes = Nodes(document);

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/ld+json"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("grafo-aberto-organs.jsonld"));
        Assert.That(document["@context"]!.GetValue<string>(), Is.EqualTo("https://schema.org"));
        Assert.That(nodes.Select(Name), Is.EquivalentTo(new[] { "Secretaria da Fazenda e Planejamento", "Gabinete do Prefeito" }), "the draft is absent");
        Assert.That(nodes.All(n => n["@type"]!.GetValue<string>() == "GovernmentOrganization" && n["@context"] is null));
        var cabinet = nodes.Single(n => Name(n) == "Gabinete do Prefeito");
        var finance = nodes.Single(n => Name(n) != "Gabinete do Prefeito");
        Assert.That(Id(cabinet), Does.EndWith($"{Mine}/organs/gabinete"));
        Assert.That(Id(finance["parentOrganization"]), Is.EqualTo(Id(cabinet)));
        Assert.That(Id(cabinet["parentOrganization"]), Does.EndWith(Mine), "a top organ belongs to the institution");
        Assert.That(finance["employee"]!["employee"]!["name"]!.GetValue<string>(), Is.EqualTo("Ana Lima"));
        Assert.That(finance["subjectOf"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("Lei nº 12/2010"));
    }

    [Test]
    public async Task Each_node_is_the_organs_own_json_ld_and_passes_the_schema_org_vocabulary_check()
    {
        var (_, document) = await GraphAsync(Organs);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Mine}/organs/fazenda");
        request.Headers.Accept.ParseAdd("application/ld+json");
        using var single = await Client.SendAsync(request);
        var own = JsonNode.Parse(await single.Content.ReadAsStringAsync())!.AsObject();
        own.Remove("@context");

        Assert.That(SchemaOrgVocabulary.Check(document), Is.Empty, document.ToJsonString());
        var finance = Nodes(document).Single(n => Id(n).EndsWith("/fazenda", StringComparison.Ordinal));
        Assert.That(JsonNode.DeepEquals(finance, own), Is.True, $"{finance.ToJsonString()}\n{own.ToJsonString()}");
    }

    [Test]
    public async Task Only_the_organs_table_has_a_json_ld_form()
    {
        using var competences = await Client.GetAsync($"{Mine}/open-data/competences.jsonld");
        using var national = await Client.GetAsync("/api/v1/open-data/contacts.jsonld");

        Assert.That(competences.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(competences.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(national.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task At_an_instant_the_graph_shows_what_was_published_then()
    {
        var (_, then) = await GraphAsync($"{Organs}?at={Uri.EscapeDataString(_beforeRename.ToString("O"))}");
        var (_, beforeAnything) = await GraphAsync($"{Organs}?at=2000-01-01T00:00:00Z");
        using var future = await Client.GetAsync($"{Organs}?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");

        Assert.That(Nodes(then).Select(Name), Is.EquivalentTo(new[] { "Secretaria da Fazenda", "Gabinete do Prefeito" }));
        Assert.That(Nodes(beforeAnything), Is.Empty);
        Assert.That(future.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_national_graph_has_every_institution_and_uf_keeps_one_state()
    {
        var (response, all) = await GraphAsync("/api/v1/open-data/organs.jsonld");
        var (north, state) = await GraphAsync("/api/v1/open-data/organs.jsonld?uf=AM");
        using var bad = await Client.GetAsync("/api/v1/open-data/organs.jsonld?uf=XX");

        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("brasil-organs.jsonld"));
        Assert.That(Nodes(all).Select(Id), Has.Some.EndsWith("/grafo-aberto/organs/gabinete").And.Some.EndsWith("/grafo-outro/organs/educacao"));
        Assert.That(Nodes(state).Select(Id), Has.None.Contains("/grafo-aberto/"));
        Assert.That(Nodes(state).Select(Id), Has.Some.EndsWith("/grafo-outro/organs/educacao"));
        Assert.That(north.Content.Headers.ContentDisposition!.FileName, Is.EqualTo("brasil-am-organs.jsonld"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task If_none_match_answers_304_until_the_institution_publishes_again()
    {
        using var first = await Client.GetAsync(Organs);
        using var request = new HttpRequestMessage(HttpMethod.Get, Organs);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await Client.SendAsync(request);
        using var ndjson = await Client.GetAsync($"{Mine}/open-data/organs.ndjson");
        var institution = (await GetJsonAsync(Mine))["id"]!.GetValue<Guid>();
        await Content.ResourceAsync(institution, LegalBasisModule.TypeName, "decreto-3-2021", [TestContent.Law("decreto-3-2021", "3", 2021, "Decreto nº 3/2021")], publish: 1);
        using var after = new HttpRequestMessage(HttpMethod.Get, Organs);
        after.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var changed = await Client.SendAsync(after);

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(first.Content.Headers.LastModified, Is.EqualTo(ndjson.Content.Headers.LastModified), "the same Last-Modified as the NDJSON of the same scope");
        Assert.That(first.Headers.ETag, Is.Not.EqualTo(ndjson.Headers.ETag), "each file has its own ETag");
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
