using System.Net;
using System.Text.Json.Nodes;
using Paco.Api.LegalBases;
using Paco.Api.Organs;

namespace Paco.Api.Tests.Http;

/// <summary>?sort= on the lists of organs, legal bases and institutions; '-' for descending; the default order unchanged.</summary>
public sealed class SortTests : ApiFixture
{
    private const string Institution = "ordenada";
    private const string Organs = $"/api/v1/institutions/{Institution}/organs";
    private const string LegalBases = $"/api/v1/institutions/{Institution}/legal-bases";

    [OneTimeSetUp]
    public async Task PublishContentInAKnownOrderAsync()
    {
        var id = await Content.InstitutionAsync(Institution, uf: "AC");
        // Published one after the other: Gama first, then Alfa, then Beta; display order 1 Beta, 2 Gama, 3 Alfa.
        await Content.ResourceAsync(id, OrganModule.TypeName, "gama", [TestContent.Organ("gama", "Gama", displayOrder: 2)], publish: 1);
        await Content.ResourceAsync(id, OrganModule.TypeName, "alfa", [TestContent.Organ("alfa", "Alfa", displayOrder: 3)], publish: 1);
        await Content.ResourceAsync(id, OrganModule.TypeName, "beta", [TestContent.Organ("beta", "Beta", displayOrder: 1)], publish: 1);
        await Content.ResourceAsync(id, LegalBasisModule.TypeName, "lei-20-2001", [TestContent.Law("lei-20-2001", "20", 2001, "Lei nº 20/2001 (Criação)")], publish: 1);
        await Content.ResourceAsync(id, LegalBasisModule.TypeName, "lei-5-1999", [TestContent.Law("lei-5-1999", "5", 1999, "Lei nº 5/1999 (Abertura)")], publish: 1);
        await Content.ResourceAsync(id, LegalBasisModule.TypeName, "lei-7-2010", [TestContent.Law("lei-7-2010", "7", 2010, "Lei nº 7/2010 (Base)")], publish: 1);
        await Content.InstitutionAsync("zeta-ac", uf: "AC");
        await Content.InstitutionAsync("alfa-ac", uf: "AC");
    }

    private async Task<List<string>> SlugsAsync(string url)
    {
        var page = await GetJsonAsync(url);
        return page["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>()).ToList();
    }

    [TestCase("", new[] { "beta", "gama", "alfa" })]
    [TestCase("?sort=displayOrder", new[] { "beta", "gama", "alfa" })]
    [TestCase("?sort=-displayOrder", new[] { "alfa", "gama", "beta" })]
    [TestCase("?sort=name", new[] { "alfa", "beta", "gama" })]
    [TestCase("?sort=-name", new[] { "gama", "beta", "alfa" })]
    [TestCase("?sort=updated", new[] { "gama", "alfa", "beta" })]
    [TestCase("?sort=-updated", new[] { "beta", "alfa", "gama" })]
    public async Task Organs_are_listed_in_the_order_asked_for(string query, string[] expected) =>
        Assert.That(await SlugsAsync(Organs + query), Is.EqualTo(expected));

    [TestCase("", new[] { "lei-7-2010", "lei-20-2001", "lei-5-1999" })]
    [TestCase("?sort=-year", new[] { "lei-7-2010", "lei-20-2001", "lei-5-1999" })]
    [TestCase("?sort=year", new[] { "lei-5-1999", "lei-20-2001", "lei-7-2010" })]
    [TestCase("?sort=title", new[] { "lei-20-2001", "lei-5-1999", "lei-7-2010" })]
    [TestCase("?sort=-title", new[] { "lei-7-2010", "lei-5-1999", "lei-20-2001" })]
    [TestCase("?sort=updated", new[] { "lei-20-2001", "lei-5-1999", "lei-7-2010" })]
    [TestCase("?sort=-updated", new[] { "lei-7-2010", "lei-5-1999", "lei-20-2001" })]
    public async Task Legal_bases_are_listed_in_the_order_asked_for(string query, string[] expected) =>
        Assert.That(await SlugsAsync(LegalBases + query), Is.EqualTo(expected));

    [TestCase("", new[] { "alfa-ac", "ordenada", "zeta-ac" })]
    [TestCase("&sort=name", new[] { "alfa-ac", "ordenada", "zeta-ac" })]
    [TestCase("&sort=-name", new[] { "zeta-ac", "ordenada", "alfa-ac" })]
    [TestCase("&sort=updated", new[] { "ordenada", "zeta-ac", "alfa-ac" })]
    [TestCase("&sort=-updated", new[] { "alfa-ac", "zeta-ac", "ordenada" })]
    public async Task Institutions_are_listed_in_the_order_asked_for(string query, string[] expected)
    {
        var names = (await GetJsonAsync("/api/v1/institutions?uf=AC" + query))["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(expected));
    }

    [TestCase(Organs, "displayOrder, -displayOrder, name, -name, updated, -updated")]
    [TestCase(LegalBases, "-year, year, title, -title, updated, -updated")]
    [TestCase("/api/v1/institutions", "name, -name, updated, -updated")]
    public async Task An_unknown_sort_answers_400_listing_the_allowed_values(string list, string allowed)
    {
        using var response = await Client.GetAsync(list + "?sort=slug");

        await AssertProblemAsync(response, 400, $"'sort' must be one of: {allowed}.");
    }

    [Test]
    public async Task Paging_keeps_the_sort()
    {
        using var first = await Client.GetAsync(Organs + "?sort=-name&pageSize=1");
        var next = first.Headers.GetValues("Link").Single().Split(", ").Single(l => l.EndsWith("rel=\"next\""));
        var url = new Uri(next[1..next.IndexOf('>')]).PathAndQuery;

        Assert.That(url, Does.Contain("sort=-name"));
        Assert.That(await SlugsAsync(url), Is.EqualTo(new[] { "beta" }));
    }

    [TestCase("/api/v1/institutions/{institution}/organs", "displayOrder")]
    [TestCase("/api/v1/institutions/{institution}/legal-bases", "-year")]
    [TestCase("/api/v1/institutions", "name")]
    public async Task The_openapi_document_lists_the_sort_values_as_an_enum(string path, string first)
    {
        var document = await GetJsonAsync("/swagger/v1/swagger.json");

        var sort = document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => p?["name"]?.GetValue<string>() == "sort")!;
        var values = sort["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.That(values[0], Is.EqualTo(first));
        Assert.That(values, Does.Contain("-" + first.TrimStart('-')).Or.Contain(first.TrimStart('-')));
        Assert.That(values, Does.Contain("updated").And.Contain("-updated"));
    }
}
