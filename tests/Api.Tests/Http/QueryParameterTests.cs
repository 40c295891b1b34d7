using System.Net;
using System.Net.Http.Headers;

namespace Paco.Api.Tests.Http;

/// <summary>A query parameter an endpoint does not know is answered 400 with the ones it does, never silently ignored.</summary>
public sealed class QueryParameterTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/amostra/organs";
    private const string Saude = Organs + "/secretaria-de-saude";

    [Test]
    public async Task An_unknown_parameter_of_a_list_answers_400_listing_the_allowed_ones()
    {
        using var response = await Client.GetAsync(Organs + "?knd=secretaria&pageSize=5");

        var problem = await AssertProblemAsync(response, 400, "'knd'");
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo("/api/v1/problems/unknown-query-parameter"), "a type of its own, for clients to tell it apart");
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("kind, page, pageSize, parent, q, sort, topLevel"));
        Assert.That(problem["allowed"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "kind", "page", "pageSize", "parent", "q", "sort", "topLevel" }));
        Assert.That(problem["unknown"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "knd" }));
    }

    [Test]
    public async Task An_unknown_parameter_never_gets_the_cached_answer_of_the_same_path()
    {
        await WaitUntilAnswersAreCachedAsync();
        using (var cached = await Client.GetAsync(Saude))
        {
            Assert.That(cached.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        using var get = await Client.GetAsync(Saude + "?fields=name");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Saude + "?fields=name"));

        await AssertProblemAsync(get, 400, "takes at");
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Known_parameters_are_recognised_whatever_their_case_as_binding_does()
    {
        using var response = await Client.GetAsync(Organs + "?PageSize=1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ReadJsonAsync(response))["pageSize"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task An_endpoint_without_query_parameters_says_so()
    {
        using var response = await Client.GetAsync(Organs + "/tree?depth=1");

        await AssertProblemAsync(response, 400, "takes no query parameters; remove 'depth'");
    }

    [Test]
    public async Task Parameters_bound_without_an_attribute_are_known_too()
    {
        var key = await Content.KeyAsync("editor", "amostra");
        var request = new HttpRequestMessage(HttpMethod.Get, Saude + "/diff?from=1&to=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var unknown = new HttpRequestMessage(HttpMethod.Get, Saude + "/diff?from=1&to=1&format=text");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var diff = await Client.SendAsync(request);
        using var refused = await Client.SendAsync(unknown);

        Assert.That(diff.StatusCode, Is.EqualTo(HttpStatusCode.OK), await diff.Content.ReadAsStringAsync());
        await AssertProblemAsync(refused, 400, "takes from, to");
    }

    [Test]
    public async Task Health_checks_and_the_openapi_document_take_any_query()
    {
        using var health = await Client.GetAsync("/health/live?probe=1");
        using var document = await Client.GetAsync("/swagger/v1/swagger.json?v=2");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/embed/v1/paco.js")]
    [TestCase("/console/")]
    public async Task A_shipped_file_ignores_its_query_as_cache_busting_does(string path)
    {
        using var plain = await Client.GetAsync(path);
        using var busted = await Client.GetAsync(path + "?v=2");

        Assert.That(busted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a site appending ?v= to bust its visitors' caches gets the file");
        Assert.That(busted.Headers.ETag, Is.EqualTo(plain.Headers.ETag), "the same file");
        Assert.That(await busted.Content.ReadAsByteArrayAsync(), Is.EqualTo(await plain.Content.ReadAsByteArrayAsync()));
    }
}
