using System.Net;
using System.Net.Http.Headers;

namespace Paco.Api.Tests.Hardening;

/// <summary>Every answer, errors and 304s included, forbids MIME sniffing, sends no referrer and has a Content-Security-Policy.</summary>
public sealed class SecurityHeadersTests : ApiFixture
{
    private const string Organ = "/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social";

    public static void AssertSecurityHeaders(HttpResponseMessage response, string policy)
    {
        Assert.That(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) ? sniff : [], Is.EqualTo(new[] { "nosniff" }), "X-Content-Type-Options");
        Assert.That(response.Headers.TryGetValues("Referrer-Policy", out var referrer) ? referrer : [], Is.EqualTo(new[] { "no-referrer" }), "Referrer-Policy");
        Assert.That(response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? csp : [], Is.EqualTo(new[] { policy }), "Content-Security-Policy");
    }

    [TestCase("/api/v1/institutions", HttpStatusCode.OK)]
    [TestCase(Organ, HttpStatusCode.OK)]
    [TestCase("/api/v1/institutions/nowhere", HttpStatusCode.NotFound)]
    [TestCase("/api/v1/keys", HttpStatusCode.Unauthorized)]
    [TestCase("/api/v1/institutions/amostra/organs?page=abc", HttpStatusCode.BadRequest)]
    [TestCase("/health/ready", HttpStatusCode.OK)]
    public async Task Every_answer_carries_the_security_headers_and_json_gets_the_restrictive_policy(string url, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        AssertSecurityHeaders(response, "default-src 'none'; frame-ancestors 'none'");
    }

    [Test]
    public async Task A_304_from_the_cache_carries_the_security_headers_too()
    {
        using var first = await Client.GetAsync(Organ);
        using var request = new HttpRequestMessage(HttpMethod.Get, Organ);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        AssertSecurityHeaders(response, "default-src 'none'; frame-ancestors 'none'");
    }
}

/// <summary>The service on Kestrel, as deployed: what the in-memory test server cannot show.</summary>
public sealed class KestrelHeadersTests : ApiFixture
{
    private ApiProcess _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _api = await ApiProcess.StartAsync(ConnectionString);

    [OneTimeTearDown]
    public async Task StopAsync() => await _api.DisposeAsync();

    [Test]
    public async Task Kestrel_answers_without_a_server_header_and_with_the_security_headers()
    {
        using var client = new HttpClient { BaseAddress = _api.BaseAddress };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.GetAsync("/api/v1/institutions");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Server"), Is.False, string.Join(", ", response.Headers.Select(h => h.Key)));
        SecurityHeadersTests.AssertSecurityHeaders(response, "default-src 'none'; frame-ancestors 'none'");
    }
}
