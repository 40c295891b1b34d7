using System.Net;
using Npgsql;

namespace Paco.Api.Tests.Health;

public sealed class HealthTests : ApiFixture
{
    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_endpoints_answer_200_healthy(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }
}

/// <summary>Readiness follows the database: the app is booted on a database that is then dropped under it.</summary>
public sealed class ReadinessTests
{
    [Test]
    public async Task Ready_answers_503_when_the_database_is_gone_while_live_still_answers_200()
    {
        var database = await TestPostgres.CreateDatabaseFromTemplateAsync();
        try
        {
            await using var factory = new PacoFactory(TestPostgres.ConnectionStringFor(database));
            using var client = factory.CreateClient();
            using (var ready = await client.GetAsync("/health/ready"))
            {
                Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "ready while the database answers");
            }

            await TestPostgres.DropDatabaseAsync(database);

            // The first attempt may be on a pooled connection the drop terminated; both must be 503.
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                using var notReady = await client.GetAsync("/health/ready");
                Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"attempt {attempt}");
                Assert.That(await notReady.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
            }
            using var live = await client.GetAsync("/health/live");
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process still answers");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}

/// <summary>The default: open data, any origin.</summary>
public sealed class DefaultCorsTests : ApiFixture
{
    [Test]
    public async Task Any_origin_is_allowed_by_default()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions");
        request.Headers.Add("Origin", "https://anyone.example");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "*" }));
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.That(exposed, Does.Contain("ETag").And.Contain("Link").And.Contain("X-Total-Count"));
    }

    [Test]
    public async Task A_request_without_origin_gets_no_cors_headers()
    {
        using var response = await Client.GetAsync("/api/v1/institutions");

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }
}

/// <summary>A deployment that names its portal: only that origin is allowed.</summary>
public sealed class RestrictedCorsTests : ApiFixture
{
    private const string Portal = "https://portal.example.gov.br";

    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = Portal };

    [Test]
    public async Task The_configured_origin_is_allowed_and_sees_the_caching_and_paging_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions");
        request.Headers.Add("Origin", Portal);

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Portal }));
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.That(exposed, Does.Contain("ETag").And.Contain("Link").And.Contain("Last-Modified").And.Contain("X-Total-Count"));
    }

    [Test]
    public async Task Another_origin_gets_no_allow_origin_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/institutions");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "CORS is enforced by the browser, the answer itself is public");
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task A_preflight_for_get_from_the_configured_origin_is_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/institutions/amostra");
        request.Headers.Add("Origin", Portal);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "If-None-Match");

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent).Or.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Portal }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("GET"));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), Does.Contain("If-None-Match").IgnoreCase);
        Assert.That(response.Headers.GetValues("Access-Control-Max-Age"), Is.EqualTo(new[] { "3600" }));
    }

    [Test]
    public async Task A_preflight_from_another_origin_is_not_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/institutions/amostra");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await Client.SendAsync(request);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task A_preflight_for_a_write_method_is_not_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/institutions/amostra");
        request.Headers.Add("Origin", Portal);
        request.Headers.Add("Access-Control-Request-Method", "DELETE");

        using var response = await Client.SendAsync(request);

        var methods = response.Headers.TryGetValues("Access-Control-Allow-Methods", out var values) ? string.Join(",", values) : "";
        Assert.That(methods, Does.Not.Contain("DELETE"));
    }
}
