using System.Net;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Http;

/// <summary>Absolute URLs in Link headers and a self link in every published resource and list item, under the request's base.</summary>
public sealed class LinkTests : ApiFixture
{
    private const string Amostra = "/api/v1/institutions/amostra";
    private const string Saude = Amostra + "/organs/secretaria-de-saude";

    private async Task<HttpResponseMessage> GetAsync(string url, string? host = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await Client.SendAsync(request);
    }

    private static string SelfOf(JsonNode node) => node["links"]!["self"]!.GetValue<string>();

    [Test]
    public async Task Every_published_resource_links_to_itself_with_an_absolute_url()
    {
        var organ = await GetJsonAsync(Saude);
        var legalBasis = await GetJsonAsync(Amostra + "/legal-bases/lei-473-1999");
        var institution = await GetJsonAsync(Amostra);

        Assert.That(SelfOf(organ), Is.EqualTo("http://localhost" + Saude));
        Assert.That(SelfOf(legalBasis), Is.EqualTo("http://localhost" + Amostra + "/legal-bases/lei-473-1999"));
        Assert.That(SelfOf(institution), Is.EqualTo("http://localhost" + Amostra));
    }

    [Test]
    public async Task Every_list_item_links_to_a_resource_that_answers()
    {
        var lists = new[] { "/api/v1/institutions", Amostra + "/organs?pageSize=100", Amostra + "/legal-bases?pageSize=100" };
        var selfs = new List<string>();
        foreach (var list in lists)
        {
            var page = await GetJsonAsync(list);
            selfs.AddRange(page["items"]!.AsArray().Select(item => SelfOf(item!)));
        }
        var tree = await GetJsonAsync(Amostra + "/organs/tree");
        IEnumerable<JsonNode> Nodes(JsonNode node) => node["children"]!.AsArray().SelectMany(c => Nodes(c!)).Prepend(node);
        selfs.AddRange(tree["organs"]!.AsArray().SelectMany(n => Nodes(n!)).Select(SelfOf));

        Assert.That(selfs, Has.Count.GreaterThan(10));
        foreach (var self in selfs)
        {
            Assert.That(self, Does.StartWith("http://localhost/api/v1/institutions/"));
            var resource = await GetJsonAsync(new Uri(self).PathAndQuery);
            Assert.That(SelfOf(resource), Is.EqualTo(self), "the item links to the resource, which links to itself the same way");
        }
    }

    [Test]
    public async Task Links_follow_the_host_the_request_came_to_and_each_host_has_its_own_etag()
    {
        using var local = await GetAsync(Saude);
        using var portal = await GetAsync(Saude, host: "dados.exemplo.gov.br");
        using var portalAgain = await GetAsync(Saude, host: "dados.exemplo.gov.br");
        using var page = await GetAsync(Amostra + "/organs?pageSize=2", host: "dados.exemplo.gov.br");

        Assert.That(SelfOf(await ReadJsonAsync(portal)), Is.EqualTo("http://dados.exemplo.gov.br" + Saude));
        Assert.That(SelfOf(await ReadJsonAsync(portalAgain)), Is.EqualTo("http://dados.exemplo.gov.br" + Saude), "the cache keeps each host's answer apart");
        Assert.That(SelfOf(await ReadJsonAsync(local)), Is.EqualTo("http://localhost" + Saude));
        Assert.That(portal.Headers.ETag, Is.Not.EqualTo(local.Headers.ETag), "the ETag is over the bytes served");
        Assert.That(page.Headers.GetValues("Link").Single(), Does.Contain("<http://dados.exemplo.gov.br" + Amostra + "/organs?page=2&pageSize=2>; rel=\"next\""));
    }

    [Test]
    public async Task Forwarded_headers_are_ignored_unless_the_app_is_told_to_apply_them()
    {
        using var response = await GetAsync(Saude, forwardedProto: "https");

        Assert.That(SelfOf(await ReadJsonAsync(response)), Is.EqualTo("http://localhost" + Saude));
    }

    [Test]
    public async Task Paging_links_are_absolute_and_keep_the_filters_and_the_sort()
    {
        using var response = await GetAsync(Amostra + "/organs?pageSize=2&sort=-name&kind=nucleo");

        var links = response.Headers.GetValues("Link").Single().Split(", ");
        Assert.That(links, Has.Some.EqualTo("<http://localhost" + Amostra + "/organs?kind=nucleo&sort=-name&page=1&pageSize=2>; rel=\"first\""));
        Assert.That(links, Has.Some.EqualTo("<http://localhost" + Amostra + "/organs?kind=nucleo&sort=-name&page=2&pageSize=2>; rel=\"next\""));
    }
}

/// <summary>With Paco:PublicBaseUrl set, every absolute link uses it, whatever host the request came to.</summary>
public sealed class ConfiguredBaseUrlLinkTests : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Paco:PublicBaseUrl"] = "https://paco.exemplo.gov.br/publico/",
    };

    [Test]
    public async Task Self_and_paging_links_use_the_configured_base()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions/amostra/organs?pageSize=2");
        request.Headers.Host = "interno:8080";

        using var response = await Client.SendAsync(request);
        var page = await ReadJsonAsync(response);

        Assert.That(page["items"]![0]!["links"]!["self"]!.GetValue<string>(), Does.StartWith("https://paco.exemplo.gov.br/publico/api/v1/institutions/amostra/organs/"));
        Assert.That(response.Headers.GetValues("Link").Single(), Does.Contain("<https://paco.exemplo.gov.br/publico/api/v1/institutions/amostra/organs?page=2&pageSize=2>; rel=\"next\""));
        var organ = await GetJsonAsync("/api/v1/institutions/amostra/organs/secretaria-de-saude");
        Assert.That(organ["links"]!["self"]!.GetValue<string>(), Is.EqualTo("https://paco.exemplo.gov.br/publico/api/v1/institutions/amostra/organs/secretaria-de-saude"));
    }
}
