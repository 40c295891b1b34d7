using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paco.Api.Tests.Editorial;

namespace Paco.Api.Tests.Hardening;

/// <summary>Input that used to answer 500 or to leak what only editors may see; each answer is now a 4xx problem, or the right 200.</summary>
public sealed class BadInputTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/entradas/organs";
    private string _publisher = "";
    private string _admin = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Changes:SettleDelay"] = "00:00:00" };

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("entradas");
        _publisher = await Content.KeyAsync("publisher", "entradas");
        _admin = await Content.KeyAsync("admin", "entradas");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body = null, string? ifMatch = null,
        string mediaType = "application/json", string? key = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if ((key ?? _publisher) is { Length: > 0 } secret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await Client.SendAsync(request);
    }

    private async Task<string> CreateAsync(string slug)
    {
        using var created = await SendAsync(HttpMethod.Post, Organs, EditorialTests.OrganBody(slug, $"Órgão {slug}", ("I", "x;")).ToJsonString());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return created.Headers.ETag!.Tag;
    }

    private async Task<string> PublishAsync(string slug, string etag, string body = "{}")
    {
        using var published = await SendAsync(HttpMethod.Post, $"{Organs}/{slug}/publish", body, etag);
        Assert.That((int)published.StatusCode, Is.LessThan(300), await published.Content.ReadAsStringAsync());
        return published.Headers.ETag!.Tag;
    }

    [Test]
    public async Task Dates_with_a_brazilian_offset_are_read_as_the_instants_they_name()
    {
        var etag = await PublishAsync("fuso", await CreateAsync("fuso"));
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-3));

        using var at = await Client.GetAsync($"{Organs}/fuso?at={Uri.EscapeDataString(now.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"))}");
        using var since = await Client.GetAsync($"/api/v1/institutions/entradas/changes?since={Uri.EscapeDataString(now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:sszzz"))}");
        using var scheduled = await SendAsync(HttpMethod.Post, $"{Organs}/fuso/publish", $$"""{"at":"{{now.AddDays(1):yyyy-MM-ddTHH:mm:sszzz}}"}""", etag);
        using var key = await SendAsync(HttpMethod.Post, "/api/v1/keys", $$"""{"name":"Portal","role":"editor","institution":"entradas","expiresAt":"{{now.AddDays(30):yyyy-MM-ddTHH:mm:sszzz}}"}""", key: _admin);

        Assert.That(at.StatusCode, Is.EqualTo(HttpStatusCode.OK), await at.Content.ReadAsStringAsync());
        Assert.That(since.StatusCode, Is.EqualTo(HttpStatusCode.OK), await since.Content.ReadAsStringAsync());
        Assert.That((await ReadJsonAsync(since))["items"]!.AsArray(), Is.Not.Empty, "the publication an hour after 'since' is listed");
        Assert.That(scheduled.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await scheduled.Content.ReadAsStringAsync());
        var due = (await ReadJsonAsync(scheduled))["state"]!["scheduled"]![0]!["dueAt"]!.GetValue<DateTimeOffset>();
        Assert.That(due, Is.EqualTo(now.AddDays(1)).Within(TimeSpan.FromSeconds(1)), "the same instant, given back in UTC");
        Assert.That(key.StatusCode, Is.EqualTo(HttpStatusCode.Created), await key.Content.ReadAsStringAsync());
    }

    [TestCase("text/html")]
    [TestCase("application/xml")]
    public async Task Errors_are_problem_json_whatever_the_client_accepts(string accept)
    {
        using var unauthorized = await SendAsync(HttpMethod.Post, Organs, "{}", key: "", accept: accept);
        using var forbidden = await SendAsync(HttpMethod.Post, "/api/v1/institutions/amostra/organs", "{}", accept: accept);
        using var badRequest = await SendAsync(HttpMethod.Get, $"{Organs}?page=abc", key: "", accept: accept);
        using var unsupported = await SendAsync(HttpMethod.Post, Organs, "x", mediaType: "text/plain", accept: accept);
        using var missing = await SendAsync(HttpMethod.Get, "/nowhere", key: "", accept: accept);

        await AssertProblemAsync(unauthorized, 401);
        await AssertProblemAsync(forbidden, 403);
        await AssertProblemAsync(badRequest, 400, "page");
        await AssertProblemAsync(unsupported, 415);
        await AssertProblemAsync(missing, 404);
    }

    [Test]
    public async Task A_merge_patch_with_invalid_utf8_in_a_property_name_answers_400()
    {
        var etag = await CreateAsync("utf8");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Organs}/utf8")
        {
            Content = new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]), // {"\xC3(":1}
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        request.Headers.TryAddWithoutValidation("If-Match", etag);

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, 400);
    }

    [Test]
    public async Task Error_details_speak_of_json_fields_not_of_dotnet_types()
    {
        var body = EditorialTests.OrganBody("tipos", "Tipos");
        body["displayOrder"] = "primeiro";
        using var wrongType = await SendAsync(HttpMethod.Post, Organs, body.ToJsonString());
        using var unknownField = await SendAsync(HttpMethod.Post, Organs, """{"slug":"x","color":"azul"}""");
        using var publishBody = await SendAsync(HttpMethod.Post, $"{Organs}/tipos/publish", """{"revision":"um"}""", "\"x\"");

        foreach (var response in new[] { wrongType, unknownField, publishBody })
        {
            var problem = await AssertProblemAsync(response, 400);
            var text = problem.ToJsonString();
            Assert.That(text, Does.Not.Contain("Paco.Api").And.Not.Contain("System."), text);
        }
        Assert.That((await ReadJsonAsync(wrongType))["detail"]!.GetValue<string>(), Does.Contain("$.displayOrder").And.Contain("number"));
    }

    [Test]
    public async Task A_slug_tried_in_a_draft_after_unpublishing_never_reaches_the_public()
    {
        var etag = await PublishAsync("publicado", await CreateAsync("publicado"));
        using (var unpublished = await SendAsync(HttpMethod.Post, $"{Organs}/publicado/unpublish", null, etag))
        {
            etag = unpublished.Headers.ETag!.Tag;
        }
        using (await SendAsync(HttpMethod.Put, $"{Organs}/publicado", EditorialTests.OrganBody("rascunho-secreto", "Nome em estudo", ("I", "x;")).ToJsonString(), etag))
        {
        }

        var feed = await GetJsonAsync("/api/v1/institutions/entradas/changes?after=0");
        using var draftRevisions = await Client.GetAsync($"{Organs}/rascunho-secreto/revisions");
        using var draftRead = await Client.GetAsync($"{Organs}/rascunho-secreto");
        using var publicRevisions = await Client.GetAsync($"{Organs}/publicado/revisions");

        var slugs = feed["items"]!.AsArray().Select(i => i!["slug"]!.GetValue<string>()).ToList();
        Assert.That(slugs, Does.Not.Contain("rascunho-secreto"));
        Assert.That(slugs, Does.Contain("publicado"));
        await AssertProblemAsync(draftRevisions, 404);
        await AssertProblemAsync(draftRead, 404);
        Assert.That(publicRevisions.StatusCode, Is.EqualTo(HttpStatusCode.OK), "its published revisions stay readable where the public knew them");
    }

    [Test]
    public async Task An_archived_organ_answers_410_at_its_public_slug_and_its_draft_slug_stays_unknown()
    {
        var etag = await PublishAsync("arquivado", await CreateAsync("arquivado"));
        using (var archived = await SendAsync(HttpMethod.Post, $"{Organs}/arquivado/archive", """{"reason":"Extinto pela Lei 9/2026."}""", etag))
        {
            etag = archived.Headers.ETag!.Tag;
        }
        using (await SendAsync(HttpMethod.Put, $"{Organs}/arquivado", EditorialTests.OrganBody("sucessor-em-estudo", "Sucessor", ("I", "x;")).ToJsonString(), etag))
        {
        }

        using var atPublic = await Client.GetAsync($"{Organs}/arquivado");
        using var atDraft = await Client.GetAsync($"{Organs}/sucessor-em-estudo");
        using var draftRevisions = await Client.GetAsync($"{Organs}/sucessor-em-estudo/revisions");

        await AssertProblemAsync(atPublic, 410, "Extinto");
        await AssertProblemAsync(atDraft, 404);
        await AssertProblemAsync(draftRevisions, 404);
    }

    [Test]
    public async Task A_point_in_time_read_of_a_draft_that_was_never_published_looks_like_nothing_there()
    {
        await CreateAsync("nunca-publicado");
        var at = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        using var draft = await Client.GetAsync($"{Organs}/nunca-publicado?at={at}");
        using var nothing = await Client.GetAsync($"{Organs}/nao-existe?at={at}");

        var draftDetail = (await AssertProblemAsync(draft, 404))["detail"]!.GetValue<string>().Replace("nunca-publicado", "X");
        var nothingDetail = (await AssertProblemAsync(nothing, 404))["detail"]!.GetValue<string>().Replace("nao-existe", "X");
        Assert.That(draftDetail, Is.EqualTo(nothingDetail));
    }

    [Test]
    public async Task Unknown_query_parameters_of_a_first_reader_never_reach_the_cached_links_of_later_ones()
    {
        await PublishAsync("lista-a", await CreateAsync("lista-a"));
        await PublishAsync("lista-b", await CreateAsync("lista-b"));

        using var first = await Client.GetAsync($"{Organs}?pageSize=1&utm_source=campanha");
        using var second = await Client.GetAsync($"{Organs}?pageSize=1");

        await AssertProblemAsync(first, 400, "'utm_source'");
        var links = second.Headers.GetValues("Link").Single();
        Assert.That(links, Does.Not.Contain("utm_source"));
        Assert.That(links, Does.Contain("pageSize=1"));
    }
}
