using System.Net;
using System.Net.Http.Headers;

namespace Paco.Api.Tests.Hardening;

/// <summary>Clients at given addresses (the in-memory server takes the address from each client's handler).</summary>
public abstract class RateLimitFixture : ApiFixture
{
    protected const string Organ = "/api/v1/institutions/amostra/organs/secretaria-de-trabalho-e-assistencia-social";
    protected const string BadKey = "paco_0000000000_not-a-real-secret";

    private readonly List<HttpClient> _clients = [];

    protected HttpClient ClientAt(string address)
    {
        var ip = IPAddress.Parse(address);
        var client = new HttpClient(Factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = ip)) { BaseAddress = Factory.Server.BaseAddress };
        _clients.Add(client);
        return client;
    }

    [OneTimeTearDown]
    public void DisposeClients() => _clients.ForEach(c => c.Dispose());

    protected static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request);
    }

    protected static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, string detailContains)
    {
        await AssertProblemAsync(response, 429, detailContains);
        Assert.That(response.Headers.RetryAfter?.Delta?.TotalSeconds, Is.InRange(1, 60), "Retry-After: the seconds until the minute is over");
    }
}

/// <summary>The defaults: 10 failed authentications a minute per address, no limit on anonymous reads.</summary>
public sealed class FailedAuthenticationLimitTests : RateLimitFixture
{
    private string _admin = "";

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _admin = await Content.KeyAsync("admin", null, "limits admin");

    [Test]
    public async Task After_10_failed_authentications_in_a_minute_an_address_gets_429_for_any_key_until_the_minute_is_over()
    {
        var attacker = ClientAt("203.0.113.10");
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var refused = await GetAsync(attacker, "/api/v1/keys", BadKey);
            await AssertProblemAsync(refused, 401);
        }

        using var eleventh = await GetAsync(attacker, "/api/v1/keys", BadKey);
        using var evenAValidKey = await GetAsync(attacker, "/api/v1/keys", _admin);
        using var anonymousRead = await GetAsync(attacker, Organ);
        using var elsewhere = await GetAsync(ClientAt("203.0.113.11"), "/api/v1/keys", _admin);

        await AssertTooManyRequestsAsync(eleventh, "failed authentications");
        await AssertTooManyRequestsAsync(evenAValidKey, "failed authentications");
        Assert.That(anonymousRead.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads without a key are not what is limited");
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another address is not affected");
    }

    [Test]
    public async Task Failed_authentications_count_on_public_routes_too_cached_answers_included()
    {
        var attacker = ClientAt("203.0.113.20");
        using (await GetAsync(attacker, Organ)) { } // now in the cache
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var read = await GetAsync(attacker, Organ, BadKey);
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a public read needs no key, so a wrong one does not stop it");
        }

        using var eleventh = await GetAsync(attacker, Organ, BadKey);

        await AssertTooManyRequestsAsync(eleventh, "failed authentications");
    }

    [Test]
    public async Task Successful_authentications_are_not_counted()
    {
        var editor = ClientAt("203.0.113.30");
        for (var request = 1; request <= 30; request++)
        {
            using var response = await GetAsync(editor, "/api/v1/keys", _admin);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {request}");
        }
    }

    [Test]
    public async Task By_default_reads_without_a_key_are_not_limited()
    {
        var portal = ClientAt("203.0.113.40");
        for (var request = 1; request <= 100; request++)
        {
            using var response = await GetAsync(portal, Organ);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {request}");
        }
    }
}

/// <summary>RateLimiting:AnonymousPermitsPerMinute = 3.</summary>
public sealed class AnonymousRateLimitTests : RateLimitFixture
{
    private string _editor = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:AnonymousPermitsPerMinute"] = "3" };

    [OneTimeSetUp]
    public async Task CreateKeyAsync() => _editor = await Content.KeyAsync("editor", "amostra", "limits editor");

    [Test]
    public async Task The_anonymous_limit_counts_reads_per_address_cached_answers_included_and_answers_429_with_retry_after()
    {
        var reader = ClientAt("198.51.100.10");
        for (var request = 1; request <= 3; request++)
        {
            using var response = await GetAsync(reader, Organ); // from the second on, served from the cache
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {request}");
        }

        using var fourth = await GetAsync(reader, Organ);
        using var otherRoute = await GetAsync(reader, "/api/v1/institutions");
        using var elsewhere = await GetAsync(ClientAt("198.51.100.11"), Organ);

        await AssertTooManyRequestsAsync(fourth, "without an API key");
        await AssertTooManyRequestsAsync(otherRoute, "without an API key");
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another address has its own count");
    }

    [Test]
    public async Task A_valid_key_is_not_limited_a_made_up_one_is_and_health_checks_never_are()
    {
        var reader = ClientAt("198.51.100.20");
        for (var request = 1; request <= 3; request++)
        {
            using (await GetAsync(reader, Organ)) { }
        }

        using var withKey = await GetAsync(reader, Organ, _editor);
        using var madeUpKey = await GetAsync(reader, Organ, BadKey);
        using var health = await GetAsync(reader, "/health/ready");

        Assert.That(withKey.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a request with a valid key is not anonymous");
        await AssertTooManyRequestsAsync(madeUpKey, "without an API key");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
