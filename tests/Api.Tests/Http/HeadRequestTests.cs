using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Paco.Api.Revisions;

namespace Paco.Api.Tests.Http;

/// <summary>HEAD on every GET route: the status and headers of the GET, no body, and no operation of its own in OpenAPI.</summary>
public sealed class HeadRequestTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/amostra/organs";
    private const string Saude = Organs + "/secretaria-de-saude";

    /// <summary>Headers that must be the same for HEAD and GET (Date and the like may differ).</summary>
    private static readonly string[] ComparedHeaders =
        ["ETag", "Last-Modified", "Cache-Control", "Content-Length", "Content-Type", "Content-Encoding", "Vary", "Link", "X-Total-Count", "Allow"];

    private static readonly string[] GetRoutes =
    [
        "/api/v1/institutions",
        "/api/v1/institutions?pageSize=1&sort=-name",
        "/api/v1/institutions/amostra",
        Organs,
        Organs + "?pageSize=2&page=2",
        Organs + "/tree",
        Saude,
        Saude + "/competences?group=competences",
        Saude + "/values",
        Saude + "/revisions",
        Saude + "/revisions/1",
        "/api/v1/institutions/amostra/legal-bases",
        "/api/v1/institutions/amostra/legal-bases/lei-473-1999",
        "/api/v1/institutions/amostra/changes?after=0",
        "/api/v1/institutions/nao-existe/organs",
        Organs + "/nao-existe",
        Organs + "?page=abc",
        Organs + "?unknown=1",
        "/health/live",
    ];

    private static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} " + string.Join("; ", ComparedHeaders.Select(name =>
            $"{name}: {string.Join(",", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : [])}"));

    [Test]
    public async Task Head_on_every_get_route_answers_the_status_and_headers_of_get_without_a_body()
    {
        foreach (var route in GetRoutes)
        {
            using var get = await Client.GetAsync(route);
            using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, route));

            Assert.That(Describe(head), Is.EqualTo(Describe(get)), route);
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty, route);
        }
    }

    [Test]
    public async Task Head_on_an_organ_answers_its_validators_and_length_from_the_cache_too()
    {
        await WaitUntilAnswersAreCachedAsync();
        var cache = Factory.Services.GetRequiredService<PublishedCache>();
        using var first = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Saude)); // a miss: the endpoint runs, and keeps it
        var kept = cache.Count;
        using var second = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Saude)); // a hit: served before the endpoint
        using var get = await Client.GetAsync(Saude);
        var body = await get.Content.ReadAsByteArrayAsync();

        Assert.That(kept, Is.GreaterThan(0), "the HEAD's answer was kept in the cache");
        foreach (var head in new[] { first, second })
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag));
            Assert.That(head.Content.Headers.LastModified, Is.EqualTo(get.Content.Headers.LastModified));
            Assert.That(head.Headers.CacheControl, Is.EqualTo(get.Headers.CacheControl));
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(body.Length), "Content-Length is what a GET sends");
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        }
    }

    [Test]
    public async Task Head_with_the_current_etag_answers_304()
    {
        using var get = await Client.GetAsync(Saude);
        var request = new HttpRequestMessage(HttpMethod.Head, Saude);
        request.Headers.IfNoneMatch.Add(get.Headers.ETag!);

        using var head = await Client.SendAsync(request);

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(head.Headers.ETag, Is.EqualTo(get.Headers.ETag));
    }

    [Test]
    public async Task Head_on_a_page_answers_its_link_and_total_count()
    {
        var request = new HttpRequestMessage(HttpMethod.Head, Organs + "?pageSize=2");

        using var head = await Client.SendAsync(request);

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Headers.GetValues("Link").Single(), Does.Contain("rel=\"next\""));
        Assert.That(int.Parse(head.Headers.GetValues("X-Total-Count").Single()), Is.GreaterThan(2));
    }

    [Test]
    public async Task Head_on_a_route_without_get_answers_405_like_any_other_method()
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Saude + "/publish"));

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task A_cors_preflight_for_head_is_allowed()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Saude);
        request.Headers.Add("Origin", "https://portal.example");
        request.Headers.Add("Access-Control-Request-Method", "HEAD");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("HEAD"));
    }

    [Test]
    public async Task The_openapi_document_has_no_head_operations_and_says_that_every_get_answers_head()
    {
        var document = await GetJsonAsync("/swagger/v1/swagger.json");

        var methods = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(operation => operation.Key)).ToList();
        Assert.That(methods, Does.Contain("get"));
        Assert.That(methods, Does.Not.Contain("head"));
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => operation.Value?["operationId"]?.GetValue<string>()))
            .OfType<string>().ToList();
        Assert.That(operationIds, Is.Unique);
        Assert.That(document["info"]!["description"]!.GetValue<string>(), Does.Contain("Every GET operation also answers HEAD"), "said once, for all of them");
    }
}
