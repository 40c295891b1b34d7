using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Contract;

/// <summary>
/// The committed OpenAPI document keeps its promises: a tour of every documented operation, over the seed content and
/// through a whole editorial cycle, each answered at least once with success and once with an error, every answer
/// checked (status, media type, body schema, headers) by <see cref="ContractCheckingHandler"/>. Any test's client checks
/// its answers the same way; this one makes sure nothing is left unvisited.
/// </summary>
public sealed class ContractTests : ApiFixture
{
    private const string Sample = "/api/v1/institutions/amostra";
    private const string Mine = "/api/v1/institutions/contrato";
    private readonly ContractCheckingHandler _checker = new(OpenApiContract.Committed);
    private HttpClient _client = null!;
    private string _admin = "";
    private string _otherEditor = "";

    [OneTimeSetUp]
    public async Task CreateKeysAsync()
    {
        _client = Factory.CreateDefaultClient(_checker);
        _admin = await Content.KeyAsync("admin", null, "Contract admin");
        await Content.InstitutionAsync("outra");
        _otherEditor = await Content.KeyAsync("editor", "outra", "Editor of another institution");
    }

    [OneTimeTearDown]
    public void DisposeClient() => _client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpStatusCode expected, string? key = null, JsonNode? body = null,
        string? ifMatch = null, string? ifNoneMatch = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        var response = await _client.SendAsync(request); // the checker has already compared it with the document
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{method} {url}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private Task<HttpResponseMessage> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK, string? key = null, string? ifNoneMatch = null) =>
        SendAsync(HttpMethod.Get, url, expected, key, ifNoneMatch: ifNoneMatch);

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Test, Order(1)]
    public async Task Public_reads_answer_as_documented()
    {
        await GetAsync("/api/v1/institutions");
        await GetAsync("/api/v1/institutions?pageSize=0", HttpStatusCode.BadRequest);
        var institution = await GetAsync(Sample);
        await GetAsync(Sample, HttpStatusCode.NotModified, ifNoneMatch: institution.Headers.ETag!.Tag);
        await GetAsync("/api/v1/institutions/nao-existe", HttpStatusCode.NotFound);

        var organs = await JsonOf(await GetAsync($"{Sample}/organs"));
        await GetAsync($"{Sample}/organs?kind=nenhum", HttpStatusCode.BadRequest);
        var organ = organs["items"]![0]!["slug"]!.GetValue<string>();
        await GetAsync($"{Sample}/organs/tree");
        await GetAsync("/api/v1/institutions/nao-existe/organs/tree", HttpStatusCode.NotFound);
        var read = await GetAsync($"{Sample}/organs/{organ}");
        await GetAsync($"{Sample}/organs/{organ}", HttpStatusCode.NotModified, ifNoneMatch: read.Headers.ETag!.Tag);
        await GetAsync($"{Sample}/organs/{organ}?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-3)).ToString("yyyy-MM-ddTHH:mm:sszzz"))}");
        await GetAsync($"{Sample}/organs/{organ}?at=ontem", HttpStatusCode.BadRequest);
        await GetAsync($"{Sample}/organs/nao-existe", HttpStatusCode.NotFound);
        foreach (var negotiated in new[] { Sample, $"{Sample}/organs/tree", $"{Sample}/organs/{organ}" })
        {
            foreach (var accept in new[] { "text/html", "application/ld+json", "application/xml" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, negotiated);
                request.Headers.TryAddWithoutValidation("Accept", accept);
                using var response = await _client.SendAsync(request); // HTML, JSON-LD (checked against its schema), and 406
                Assert.That(response.StatusCode, Is.EqualTo(accept == "application/xml" ? HttpStatusCode.NotAcceptable : HttpStatusCode.OK), $"{negotiated} as {accept}");
            }
        }
        await GetAsync($"{Sample}/organs/{organ}/competences");
        await GetAsync($"{Sample}/organs/{organ}/competences?group=nenhum", HttpStatusCode.BadRequest);
        await GetAsync($"{Sample}/organs/{organ}/values");
        await GetAsync($"{Sample}/organs/nao-existe/values", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/organs/{organ}/revisions");
        await GetAsync($"{Sample}/organs/nao-existe/revisions", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/organs/{organ}/revisions/1");
        await GetAsync($"{Sample}/organs/{organ}/revisions/999", HttpStatusCode.NotFound);

        var compliance = await GetAsync($"{Sample}/compliance");
        await GetAsync($"{Sample}/compliance", HttpStatusCode.NotModified, ifNoneMatch: compliance.Headers.ETag!.Tag);
        await GetAsync($"{Sample}/compliance?format=csv");
        await GetAsync($"{Sample}/compliance?format=html");
        await GetAsync($"{Sample}/compliance?format=xml", HttpStatusCode.BadRequest);
        await GetAsync($"{Sample}/compliance?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-3)).ToString("yyyy-MM-ddTHH:mm:sszzz"))}");
        await GetAsync($"{Sample}/compliance?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}", HttpStatusCode.BadRequest);
        await GetAsync("/api/v1/institutions/nao-existe/compliance", HttpStatusCode.NotFound);
        await GetAsync("/api/v1/compliance?uf=MG");
        await GetAsync("/api/v1/compliance?uf=Minas", HttpStatusCode.BadRequest);

        var export = await GetAsync($"{Sample}/open-data/organs.csv");
        await GetAsync($"{Sample}/open-data/organs.csv", HttpStatusCode.NotModified, ifNoneMatch: export.Headers.ETag!.Tag);
        await GetAsync($"{Sample}/open-data/pessoas.csv", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/open-data/competences.ndjson");
        await GetAsync($"{Sample}/open-data/competences.ndjson?at=ontem", HttpStatusCode.BadRequest);
        var graph = await GetAsync($"{Sample}/open-data/organs.jsonld");
        await GetAsync($"{Sample}/open-data/organs.jsonld", HttpStatusCode.NotModified, ifNoneMatch: graph.Headers.ETag!.Tag);
        await GetAsync("/api/v1/institutions/nao-existe/open-data/organs.jsonld", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/open-data.zip");
        await GetAsync("/api/v1/institutions/nao-existe/open-data.zip", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/open-data/dataset.jsonld");
        await GetAsync("/api/v1/institutions/nao-existe/open-data/dataset.jsonld", HttpStatusCode.NotFound);
        await GetAsync("/api/v1/open-data/dictionary");
        using (var refusing = new HttpRequestMessage(HttpMethod.Get, "/api/v1/open-data/dictionary"))
        {
            refusing.Headers.TryAddWithoutValidation("Accept-Encoding", "identity;q=0"); // every coding refused: the one error it can give
            using var notAcceptable = await _client.SendAsync(refusing);
            Assert.That(notAcceptable.StatusCode, Is.EqualTo(HttpStatusCode.NotAcceptable));
        }
        var catalog = await GetAsync("/api/v1/open-data/catalog.jsonld?pageSize=1");
        await GetAsync("/api/v1/open-data/catalog.jsonld?pageSize=1", HttpStatusCode.NotModified, ifNoneMatch: catalog.Headers.ETag!.Tag);
        await GetAsync("/api/v1/open-data/catalog.jsonld?page=0", HttpStatusCode.BadRequest);
        await GetAsync("/api/v1/open-data/dataset.jsonld");
        await GetAsync("/api/v1/open-data/dataset.jsonld?uf=MG", HttpStatusCode.BadRequest); // a query parameter it does not take
        await GetAsync("/api/v1/open-data/legal-bases.csv?uf=MG");
        await GetAsync("/api/v1/open-data/legal-bases.csv?uf=XX", HttpStatusCode.BadRequest);
        await GetAsync("/api/v1/open-data/organs.jsonld?uf=MG");
        await GetAsync("/api/v1/open-data/organs.jsonld?uf=XX", HttpStatusCode.BadRequest);
        await GetAsync("/api/v1/open-data/citations.ndjson");
        await GetAsync("/api/v1/open-data/pessoas.ndjson", HttpStatusCode.NotFound);
        await GetAsync("/api/v1/open-data.zip?uf=MG");
        await GetAsync("/api/v1/open-data.zip?uf=mg", HttpStatusCode.BadRequest);

        var laws = await JsonOf(await GetAsync($"{Sample}/legal-bases"));
        await GetAsync($"{Sample}/legal-bases?status=nenhum", HttpStatusCode.BadRequest);
        var law = laws["items"]![0]!["slug"]!.GetValue<string>();
        await GetAsync($"{Sample}/legal-bases/{law}");
        await GetAsync($"{Sample}/legal-bases/nao-existe", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/legal-bases/{law}/revisions");
        await GetAsync($"{Sample}/legal-bases/nao-existe/revisions", HttpStatusCode.NotFound);
        await GetAsync($"{Sample}/legal-bases/{law}/revisions/1");
        await GetAsync($"{Sample}/legal-bases/{law}/revisions/999", HttpStatusCode.NotFound);

        await GetAsync("/api/v1/search?q=sa%C3%BAde&uf=MG&kind=prefeitura");
        await GetAsync("/api/v1/search?q=sa%C3%BAde&institution=amostra");
        await GetAsync("/api/v1/search?q=", HttpStatusCode.BadRequest);
        var found = await GetAsync($"{Sample}/search?q=vigilancia%20sanit");
        await GetAsync($"{Sample}/search?q=vigilancia%20sanit", HttpStatusCode.NotModified, ifNoneMatch: found.Headers.ETag!.Tag);
        await GetAsync("/api/v1/institutions/nao-existe/search?q=saude", HttpStatusCode.NotFound);

        await GetAsync($"{Sample}/changes");
        await GetAsync($"{Sample}/changes?limit=0", HttpStatusCode.BadRequest);
        await GetAsync("/api/v1/problems");
        await GetAsync("/api/v1/problems?lang=pt", HttpStatusCode.BadRequest); // a query parameter it does not take
        await GetAsync("/api/v1/problems/precondition-failed");
        await GetAsync("/api/v1/problems/nao-existe", HttpStatusCode.NotFound);
        await GetAsync("/health/live");
        await GetAsync("/health/ready");
    }

    [Test, Order(2)]
    public async Task The_editorial_cycle_answers_as_documented()
    {
        var institution = new JsonObject
        {
            ["slug"] = "contrato", ["name"] = "Prefeitura Municipal de Contrato", ["kind"] = "prefeitura", ["ibgeCode"] = null, ["uf"] = "MG",
            ["municipality"] = "Contrato", ["website"] = null, ["statements"] = new JsonObject(), ["values"] = new JsonArray(),
        };
        var created = await SendAsync(HttpMethod.Post, "/api/v1/institutions", HttpStatusCode.Created, _admin, institution);
        await SendAsync(HttpMethod.Post, "/api/v1/institutions", HttpStatusCode.Conflict, _admin, institution);
        await SendAsync(HttpMethod.Put, Mine, HttpStatusCode.PreconditionRequired, _admin, institution);
        await SendAsync(HttpMethod.Put, Mine, HttpStatusCode.PreconditionFailed, _admin, institution, ifMatch: "\"000000000000000000000000\"");
        institution["municipality"] = "Contrato de Minas";
        await SendAsync(HttpMethod.Put, Mine, HttpStatusCode.OK, _admin, institution, ifMatch: created.Headers.ETag!.Tag);

        var law = new JsonObject
        {
            ["slug"] = "lei-10-2020", ["kind"] = "lei", ["number"] = "10", ["year"] = 2020, ["date"] = "2020-03-02", ["title"] = "Lei nº 10/2020",
            ["summary"] = "Dispõe sobre a estrutura administrativa.", ["url"] = null, ["status"] = "inForce", ["source"] = null,
        };
        await SendAsync(HttpMethod.Post, $"{Mine}/legal-bases", HttpStatusCode.Unauthorized, null, law);
        await SendAsync(HttpMethod.Post, $"{Mine}/legal-bases", HttpStatusCode.Forbidden, _otherEditor, law);
        await SendAsync(HttpMethod.Post, $"{Mine}/legal-bases", HttpStatusCode.BadRequest, _admin, new JsonObject { ["slug"] = "sem-titulo" });
        var lawDraft = await JsonOf(await SendAsync(HttpMethod.Post, $"{Mine}/legal-bases", HttpStatusCode.Created, _admin, law));
        var lawId = lawDraft["id"]!.GetValue<string>();
        await CycleAsync($"{Mine}/legal-bases/lei-10-2020", new JsonObject { ["summary"] = "Dispõe sobre a estrutura e as atribuições." },
            new JsonObject(law.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))) { ["status"] = "revoked" });

        var organ = Editorial.EditorialTests.OrganBody("secretaria-de-saude", "Secretaria Municipal de Saúde", ("I", "planejar as ações de saúde;"));
        organ["legalBases"] = new JsonArray(new JsonObject { ["legalBasisId"] = lawId, ["role"] = "structures" });
        organ["head"] = new JsonObject { ["title"] = "Secretário(a) Municipal de Saúde", ["name"] = null, ["since"] = null };
        await SendAsync(HttpMethod.Post, $"{Mine}/organs", HttpStatusCode.UnsupportedMediaType, _admin, organ, mediaType: "text/plain");
        await SendAsync(HttpMethod.Post, $"{Mine}/organs", HttpStatusCode.Created, _admin, organ);
        await GetAsync($"{Mine}/organs/secretaria-de-saude/draft/suggested-hours", key: _admin);
        await GetAsync($"{Mine}/organs/nao-existe/draft/suggested-hours", HttpStatusCode.NotFound, key: _admin);
        var replaced = new JsonObject(organ.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))) { ["displayOrder"] = 2 };
        await CycleAsync($"{Mine}/organs/secretaria-de-saude", new JsonObject { ["acronym"] = "SMS", ["head"] = new JsonObject { ["name"] = "Maria" } }, replaced);

        await ImportAsync();

        await GetAsync($"{Mine}/audit", key: _admin);
        await GetAsync($"{Mine}/audit", HttpStatusCode.Unauthorized);
        await GetAsync($"{Mine}/audit?limit=0", HttpStatusCode.BadRequest, key: _admin);

        var key = await JsonOf(await SendAsync(HttpMethod.Post, "/api/v1/keys", HttpStatusCode.Created, _admin,
            new JsonObject { ["name"] = "Editora de contrato", ["role"] = "editor", ["institution"] = "contrato", ["expiresAt"] = null }));
        await SendAsync(HttpMethod.Post, "/api/v1/keys", HttpStatusCode.BadRequest, _admin, new JsonObject { ["name"] = "", ["role"] = "rei" });
        await GetAsync("/api/v1/keys", key: _admin);
        await GetAsync("/api/v1/keys", HttpStatusCode.Unauthorized);
        await GetAsync("/api/v1/keys/me", key: _otherEditor);
        await GetAsync("/api/v1/keys/me", HttpStatusCode.Unauthorized);
        var id = key["key"]!["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{id}", HttpStatusCode.NoContent, _admin);
        await SendAsync(HttpMethod.Delete, $"/api/v1/keys/{Guid.NewGuid()}", HttpStatusCode.NotFound, _admin);
    }

    /// <summary>An import's proposal (and a PDF refused), applied once (and refused when applied again: it is stale).</summary>
    private async Task ImportAsync()
    {
        const string law = "LEI Nº 20, DE 3 DE MAIO DE 2021\n\nArt. 3º Compete à Secretaria Municipal de Obras:\nI – executar as obras públicas;\nII – conservar as estradas.\n";
        async Task<HttpResponseMessage> ProposeAsync(string mediaType, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Mine}/imports") { Content = new StringContent(law, Encoding.UTF8, mediaType) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
            var response = await _client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
            return response;
        }
        await ProposeAsync("application/pdf", HttpStatusCode.UnsupportedMediaType);
        var proposal = await JsonOf(await ProposeAsync("text/plain", HttpStatusCode.OK));
        await SendAsync(HttpMethod.Post, $"{Mine}/imports/apply", HttpStatusCode.OK, _admin, proposal);
        await SendAsync(HttpMethod.Post, $"{Mine}/imports/apply", HttpStatusCode.Conflict, _admin, proposal);
    }

    /// <summary>Every editorial operation of one resource, each with success and a refusal, ending archived (410) and restored.</summary>
    private async Task CycleAsync(string url, JsonObject patch, JsonObject replacement)
    {
        var etag = (await GetAsync($"{url}/draft", key: _admin)).Headers.ETag!.Tag;
        await GetAsync($"{url}-nao-existe/draft", HttpStatusCode.NotFound, key: _admin);
        var collection = url[..url.LastIndexOf('/')];
        await GetAsync($"{collection}/drafts", key: _admin);
        await GetAsync($"{collection}/drafts", HttpStatusCode.Forbidden, key: _otherEditor);

        await SendAsync(HttpMethod.Patch, url, HttpStatusCode.PreconditionRequired, _admin, patch, mediaType: "application/merge-patch+json");
        await SendAsync(HttpMethod.Patch, url, HttpStatusCode.UnsupportedMediaType, _admin, patch, etag);
        etag = (await SendAsync(HttpMethod.Patch, url, HttpStatusCode.OK, _admin, patch, etag, mediaType: "application/merge-patch+json")).Headers.ETag!.Tag;
        await SendAsync(HttpMethod.Put, url, HttpStatusCode.PreconditionFailed, _admin, replacement, "\"000000000000000000000000\"");
        etag = (await SendAsync(HttpMethod.Put, url, HttpStatusCode.OK, _admin, replacement, etag)).Headers.ETag!.Tag;

        await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.PreconditionRequired, _admin, new JsonObject());
        await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.Forbidden, _otherEditor, new JsonObject(), etag);
        await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.BadRequest, _admin, new JsonObject { ["revision"] = 99 }, etag);
        etag = (await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.OK, _admin, new JsonObject(), etag)).Headers.ETag!.Tag;
        await GetAsync(url);

        etag = (await SendAsync(HttpMethod.Post, $"{url}/unpublish", HttpStatusCode.OK, _admin, null, etag)).Headers.ETag!.Tag;
        await SendAsync(HttpMethod.Post, $"{url}/unpublish", HttpStatusCode.Conflict, _admin, null, etag);
        etag = (await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.Accepted, _admin,
            new JsonObject { ["at"] = DateTimeOffset.UtcNow.AddDays(1).ToOffset(TimeSpan.FromHours(-3)).ToString("o") }, etag)).Headers.ETag!.Tag;
        etag = (await SendAsync(HttpMethod.Post, $"{url}/publish", HttpStatusCode.OK, _admin, new JsonObject { ["revision"] = 1 }, etag)).Headers.ETag!.Tag;

        await SendAsync(HttpMethod.Post, $"{url}/archive", HttpStatusCode.BadRequest, _admin, new JsonObject { ["reason"] = " " }, etag);
        etag = (await SendAsync(HttpMethod.Post, $"{url}/archive", HttpStatusCode.OK, _admin, new JsonObject { ["reason"] = "Órgão extinto pela Lei nº 11/2026." }, etag)).Headers.ETag!.Tag;
        await GetAsync(url, HttpStatusCode.Gone);

        await SendAsync(HttpMethod.Post, $"{url}/restore", HttpStatusCode.BadRequest, _admin, new JsonObject { ["revision"] = 99 }, etag);
        await SendAsync(HttpMethod.Post, $"{url}/restore", HttpStatusCode.OK, _admin, new JsonObject { ["revision"] = 1 }, etag);

        await GetAsync($"{url}/history", key: _admin);
        await GetAsync($"{url}/history", HttpStatusCode.Unauthorized);
        await GetAsync($"{url}/diff?from=1&to=3", key: _admin);
        await GetAsync($"{url}/diff?from=um&to=3", HttpStatusCode.BadRequest, key: _admin);
    }

    [Test, Order(3)]
    public void Every_documented_operation_was_answered_with_success_and_with_an_error()
    {
        // An error is expected of every operation that documents one a client can cause (429 needs a flood to see).
        static bool CanRefuse(OpenApiContract.Operation o) =>
            o.Definition.GetProperty("responses").EnumerateObject().Any(r => r.Name is ['4', _, _] && r.Name != "429");
        var missing = OpenApiContract.Committed.Operations
            .SelectMany(o => new[]
            {
                _checker.Seen.TryGetValue(o.ToString(), out var s) && s.Keys.Any(c => c is >= 200 and < 300) ? null : $"{o}: no success",
                !CanRefuse(o) || (s is not null && s.Keys.Any(c => c is >= 400 and < 500)) ? null : $"{o}: no error",
            })
            .OfType<string>()
            .ToList();
        Assert.That(missing, Is.Empty, "The tour above must visit every operation the document has, with success and an error.");
    }
}
