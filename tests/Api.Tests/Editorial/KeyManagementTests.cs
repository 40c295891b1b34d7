using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

public sealed class KeyManagementTests : ApiFixture
{
    private string _globalAdmin = "";
    private string _institutionAdmin = "";

    [OneTimeSetUp]
    public async Task CreateAdminsAsync()
    {
        await Content.InstitutionAsync("chaves");
        _globalAdmin = await Content.KeyAsync("admin", null, "root");
        _institutionAdmin = await Content.KeyAsync("admin", "chaves", "admin de chaves");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task A_created_key_is_shown_once_works_and_stops_working_when_revoked()
    {
        using var created = await SendAsync(HttpMethod.Post, "/api/v1/keys", _institutionAdmin, new { name = "Portal", role = "editor", institution = "chaves" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var body = await ReadJsonAsync(created);
        var secret = body["secret"]!.GetValue<string>();
        var id = body["key"]!["id"]!.GetValue<string>();
        Assert.That(secret, Does.StartWith("paco_" + body["key"]!["prefix"]!.GetValue<string>() + "_"));
        Assert.That(await QueryScalarAsync<long>($"select count(*) from api_keys where id = '{id}' and position('{secret}' in encode(secret_hash, 'escape')) = 0"), Is.EqualTo(1),
            "only a hash is stored");

        using var list = await SendAsync(HttpMethod.Get, "/api/v1/keys", _institutionAdmin);
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Not.Contain(secret), "lists never show secrets");
        using var works = await SendAsync(HttpMethod.Get, "/api/v1/institutions/chaves/organs/x/draft", secret);
        Assert.That(works.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "authenticated: the organ just does not exist");

        using var revoked = await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{id}", _institutionAdmin);
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var refused = await SendAsync(HttpMethod.Get, "/api/v1/institutions/chaves/organs/x/draft", secret);
        await AssertProblemAsync(refused, 401, "revoked");
    }

    [Test]
    public async Task An_institution_admin_cannot_create_keys_for_another_institution_or_for_all()
    {
        using var other = await SendAsync(HttpMethod.Post, "/api/v1/keys", _institutionAdmin, new { name = "x", role = "admin", institution = "amostra" });
        using var all = await SendAsync(HttpMethod.Post, "/api/v1/keys", _institutionAdmin, new { name = "x", role = "admin", institution = (string?)null });

        await AssertProblemAsync(other, 403);
        await AssertProblemAsync(all, 403);
    }

    [Test]
    public async Task Key_requests_are_validated()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/keys", _globalAdmin, new { name = "", role = "root", institution = "nao-existe" });

        var problem = await AssertProblemAsync(response, 400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "name", "role" }));
    }

    [Test]
    public async Task Only_an_all_institutions_admin_creates_institutions()
    {
        var input = new { slug = "nova-cidade", name = "Prefeitura de Nova Cidade", kind = "prefeitura", ibgeCode = "3106200", uf = "MG", municipality = "Nova Cidade" };
        using var denied = await SendAsync(HttpMethod.Post, "/api/v1/institutions", _institutionAdmin, input);
        using var created = await SendAsync(HttpMethod.Post, "/api/v1/institutions", _globalAdmin, input);
        using var again = await SendAsync(HttpMethod.Post, "/api/v1/institutions", _globalAdmin, input);
        using var invalid = await SendAsync(HttpMethod.Post, "/api/v1/institutions", _globalAdmin, new { slug = "x", name = "X", kind = "prefeitura", ibgeCode = "12", uf = "ZZ" });

        await AssertProblemAsync(denied, 403);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That(created.Headers.Location!.ToString(), Is.EqualTo("/api/v1/institutions/nova-cidade"));
        var served = await GetJsonAsync("/api/v1/institutions/nova-cidade");
        Assert.That(served["ibgeCode"]!.GetValue<string>(), Is.EqualTo("3106200"));
        await AssertProblemAsync(again, 409);
        var problem = await AssertProblemAsync(invalid, 400);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[] { "ibgeCode", "uf" }));
    }

    [Test]
    public async Task Replacing_an_institution_needs_its_current_etag()
    {
        using var current = await Client.GetAsync("/api/v1/institutions/chaves");
        var input = new { slug = "chaves", name = "Prefeitura das Chaves", kind = "prefeitura", uf = "SP", municipality = "Chaves" };

        using var withoutEtag = await SendAsync(HttpMethod.Put, "/api/v1/institutions/chaves", _institutionAdmin, input);
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/institutions/chaves") { Content = JsonContent.Create(input) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _institutionAdmin);
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        using var replaced = await Client.SendAsync(request);
        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/institutions/chaves") { Content = JsonContent.Create(input) };
        stale.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _institutionAdmin);
        stale.Headers.IfMatch.Add(current.Headers.ETag!);
        using var staleResponse = await Client.SendAsync(stale);

        await AssertProblemAsync(withoutEtag, 428);
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK), await replaced.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(replaced))["name"]!.GetValue<string>(), Is.EqualTo("Prefeitura das Chaves"));
        await AssertProblemAsync(staleResponse, 412);
    }
}
