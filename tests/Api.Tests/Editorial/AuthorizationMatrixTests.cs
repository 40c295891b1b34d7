using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

/// <summary>
/// Every write endpoint against every kind of caller: no key or a bad key → 401; a key of another institution → 403;
/// a role below the one needed → 403; the right role in the right institution gets past authorization.
/// </summary>
public sealed class AuthorizationMatrixTests : ApiFixture
{
    private readonly Dictionary<string, string?> _keys = [];

    // The matrix presents bad keys hundreds of times from one address; the limit on that has its own tests (RateLimitTests).
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:FailedAuthenticationsPerMinute"] = "0" };

    [OneTimeSetUp]
    public async Task CreateKeysAsync()
    {
        await Content.InstitutionAsync("matriz-a");
        await Content.InstitutionAsync("matriz-b");
        _keys["none"] = null;
        _keys["bad"] = "paco_0000000000_not-a-real-secret";
        _keys["expired"] = await Content.KeyAsync("admin", "matriz-a", expiresAt: DateTimeOffset.UtcNow.AddMilliseconds(1));
        _keys["editor-a"] = await Content.KeyAsync("editor", "matriz-a");
        _keys["publisher-a"] = await Content.KeyAsync("publisher", "matriz-a");
        _keys["admin-a"] = await Content.KeyAsync("admin", "matriz-a");
        _keys["admin-b"] = await Content.KeyAsync("admin", "matriz-b");
        _keys["admin-all"] = await Content.KeyAsync("admin", null);
        var revoked = await Content.KeyAsync("admin", "matriz-a", "revogada");
        await QueryScalarAsync<int>("update api_keys set revoked_at = now() where name = 'revogada' returning 1");
        _keys["revoked"] = revoked;
        await Task.Delay(10); // the expired key is past its time
    }

    public static IEnumerable<TestCaseData> Endpoints()
    {
        const string organs = "/api/v1/institutions/matriz-a/organs";
        const string laws = "/api/v1/institutions/matriz-a/legal-bases";
        var organ = EditorialTests.OrganBody("matriz", "Secretaria Matriz", ("I", "x;")).ToJsonString();
        var law = "{\"slug\":\"lei-1-2000\",\"kind\":\"lei\",\"number\":\"1\",\"year\":2000,\"title\":\"Lei nº 1/2000\",\"status\":\"inForce\"}";
        (string Method, string Url, string? Body, string Role)[] endpoints =
        [
            ("POST", organs, organ, "editor"),
            ("GET", $"{organs}/matriz/draft", null, "editor"),
            ("PUT", $"{organs}/matriz", organ, "editor"),
            ("PATCH", $"{organs}/matriz", "{}", "editor"),
            ("GET", $"{organs}/matriz/history", null, "editor"),
            ("GET", $"{organs}/matriz/diff?from=1&to=1", null, "editor"),
            ("POST", $"{organs}/matriz/publish", "{}", "publisher"),
            ("POST", $"{organs}/matriz/unpublish", null, "publisher"),
            ("POST", $"{organs}/matriz/archive", "{\"reason\":\"x\"}", "publisher"),
            ("POST", $"{organs}/matriz/restore", "{\"revision\":1}", "publisher"),
            ("POST", laws, law, "editor"),
            ("GET", $"{laws}/lei-1-2000/draft", null, "editor"),
            ("PUT", $"{laws}/lei-1-2000", law, "editor"),
            ("PATCH", $"{laws}/lei-1-2000", "{}", "editor"),
            ("GET", $"{laws}/lei-1-2000/history", null, "editor"),
            ("GET", $"{laws}/lei-1-2000/diff?from=1&to=1", null, "editor"),
            ("POST", $"{laws}/lei-1-2000/publish", "{}", "publisher"),
            ("POST", $"{laws}/lei-1-2000/unpublish", null, "publisher"),
            ("POST", $"{laws}/lei-1-2000/archive", "{\"reason\":\"x\"}", "publisher"),
            ("POST", $"{laws}/lei-1-2000/restore", "{\"revision\":1}", "publisher"),
            ("PUT", "/api/v1/institutions/matriz-a", "{\"slug\":\"matriz-a\",\"name\":\"A\",\"kind\":\"prefeitura\"}", "admin"),
            ("GET", "/api/v1/institutions/matriz-a/audit", null, "admin"),
        ];
        var callers = new (string Caller, string Expectation)[]
        {
            ("none", "401"), ("bad", "401"), ("expired", "401"), ("revoked", "401"),
            ("admin-b", "403"), ("editor-a", "role"), ("publisher-a", "role"), ("admin-a", "role"), ("admin-all", "role"),
        };
        foreach (var (method, url, body, role) in endpoints)
        {
            foreach (var (caller, expectation) in callers)
            {
                yield return new TestCaseData(method, url, body, role, caller, expectation).SetName($"{method} {url} as {caller}");
            }
        }
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task Write_endpoint_authorizes_by_role_and_institution(string method, string url, string? body, string role, string caller, string expectation)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (_keys[caller] is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, method == "PATCH" ? "application/merge-patch+json" : "application/json");
        }
        request.Headers.TryAddWithoutValidation("If-Match", "\"d1-000000000000\"");

        using var response = await Client.SendAsync(request);

        var status = (int)response.StatusCode;
        var callerRank = caller switch { "editor-a" => 1, "publisher-a" => 2, _ => 3 };
        var needed = role switch { "editor" => 1, "publisher" => 2, _ => 3 };
        if (expectation == "401")
        {
            await AssertProblemAsync(response, 401);
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        }
        else if (expectation == "403" || callerRank < needed)
        {
            await AssertProblemAsync(response, 403);
        }
        else
        {
            Assert.That(status, Is.Not.EqualTo(401).And.Not.EqualTo(403), await response.Content.ReadAsStringAsync());
            Assert.That(status, Is.LessThan(500), await response.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task Reads_of_published_content_stay_anonymous()
    {
        using var response = await Client.GetAsync("/api/v1/institutions/amostra/organs/secretaria-de-saude");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
