using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Paco.Api.Tests.Editorial;

/// <summary>Edge cases found in review: ordering, cycles, slugs and inputs PostgreSQL would refuse (stuck schedules: <see cref="ScheduledPublicationTests"/>).</summary>
public sealed class PublishingSafetyTests : ApiFixture
{
    private const string Organs = "/api/v1/institutions/seguranca/organs";
    private string _publisher = "";

    [OneTimeSetUp]
    public async Task CreateInstitutionAsync()
    {
        await Content.InstitutionAsync("seguranca");
        _publisher = await Content.KeyAsync("publisher", "seguranca");
    }

    private async Task<(HttpStatusCode Status, string ETag, JsonNode? Body)> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null,
        string mediaType = "application/json", string? note = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (note is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Change-Note", note);
        }
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Headers.ETag?.Tag ?? "", text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<string> PublishAsync(string slug, string etag)
    {
        var (status, newEtag, body) = await SendAsync(HttpMethod.Post, $"{Organs}/{slug}/publish", new JsonObject(), etag);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return newEtag;
    }

    private async Task<string> DraftEtagAsync(string slug)
    {
        var (status, etag, body) = await SendAsync(HttpMethod.Get, $"{Organs}/{slug}/draft");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return etag;
    }

    private async Task<(string ETag, string Id)> CreateAsync(string slug, string? parentId = null)
    {
        var body = EditorialTests.OrganBody(slug, $"Órgão {slug}", ("I", "x;"));
        body["parentId"] = parentId;
        var (status, etag, created) = await SendAsync(HttpMethod.Post, Organs, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), created?.ToJsonString());
        return (etag, created!["id"]!.GetValue<string>());
    }

    [Test]
    public async Task A_child_can_be_published_before_its_parent()
    {
        var (_, parent) = await CreateAsync("pai-rascunho");
        var (childEtag, _) = await CreateAsync("filho-publicado", parent);

        var (status, _, body) = await SendAsync(HttpMethod.Post, $"{Organs}/filho-publicado/publish", new JsonObject(), childEtag);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var tree = await GetJsonAsync("/api/v1/institutions/seguranca/organs/tree");
        Assert.That(tree["organs"]!.AsArray().Select(o => o!["slug"]!.GetValue<string>()), Does.Contain("filho-publicado"), "shown at the top until its parent is published");
    }

    [Test]
    public async Task Publishing_a_revision_that_closes_a_cycle_in_the_published_hierarchy_answers_409()
    {
        var (aEtag, a) = await CreateAsync("ciclo-a");
        var (bEtag, b) = await CreateAsync("ciclo-b", a);
        aEtag = await PublishAsync("ciclo-a", aEtag);
        bEtag = await PublishAsync("ciclo-b", bEtag);
        // B's draft goes to the top, unpublished: the published B stays under A.
        var (bStatus, _, bDraft) = await SendAsync(HttpMethod.Put, $"{Organs}/ciclo-b", EditorialTests.OrganBody("ciclo-b", "Órgão ciclo-b", ("I", "x;")), bEtag);
        Assert.That(bStatus, Is.EqualTo(HttpStatusCode.OK), bDraft?.ToJsonString());
        // Among drafts, A under B is no cycle (B's draft is at the top), so the edit is accepted...
        var moved = EditorialTests.OrganBody("ciclo-a", "Órgão ciclo-a", ("I", "x;"));
        moved["parentId"] = b;
        var (putStatus, putEtag, putBody) = await SendAsync(HttpMethod.Put, $"{Organs}/ciclo-a", moved, aEtag);
        Assert.That(putStatus, Is.EqualTo(HttpStatusCode.OK), putBody?.ToJsonString());

        // ...but publishing it would make the published hierarchy A → B → A.
        var (status, _, problem) = await SendAsync(HttpMethod.Post, $"{Organs}/ciclo-a/publish", new JsonObject(), putEtag);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict), problem?.ToJsonString());
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("cycle"));
        var published = await GetJsonAsync($"{Organs}/ciclo-a");
        Assert.That(published["revision"]!["number"]!.GetValue<int>(), Is.EqualTo(1), "the published revision is unchanged");
        Assert.That(published["parent"], Is.Null);
        Assert.That((await GetJsonAsync($"{Organs}/ciclo-b"))["parent"]!["id"]!.GetValue<string>(), Is.EqualTo(a), "and B is still published under A");
    }

    [Test]
    public async Task A_slug_another_organ_uses_in_its_draft_is_refused()
    {
        var (etag, _) = await CreateAsync("nome-atual");
        var renamed = EditorialTests.OrganBody("nome-futuro", "Órgão renomeado", ("I", "x;"));
        await SendAsync(HttpMethod.Put, $"{Organs}/nome-atual", renamed, etag);

        var (status, _, problem) = await SendAsync(HttpMethod.Post, Organs, EditorialTests.OrganBody("nome-futuro", "Outro", ("I", "y;")));

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!["slug"], Is.Not.Null);
    }

    [Test]
    public async Task Inputs_postgres_would_refuse_answer_400_not_500()
    {
        var (etag, _) = await CreateAsync("entradas");
        var nul = EditorialTests.OrganBody("entradas", "Nome com \u0000 NUL", ("I", "x;"));

        var (nulStatus, _, _) = await SendAsync(HttpMethod.Put, $"{Organs}/entradas", nul, etag);
        var (noteStatus, noteEtag, withNote) = await SendAsync(HttpMethod.Put, $"{Organs}/entradas", EditorialTests.OrganBody("entradas", "Nome", ("I", "x;")), etag, note: "nota%00com%00nul");
        var (nullItemStatus, _, nullItem) = await SendAsync(HttpMethod.Post, Organs, JsonNode.Parse("""{"slug":"nulo","name":"N","kind":"secretaria","displayOrder":1,"statements":{},"values":[],"competences":[null],"legalBases":[]}"""));
        using var duplicate = new HttpRequestMessage(HttpMethod.Patch, $"{Organs}/entradas") { Content = new StringContent("""{"name":"a","name":"b"}""", Encoding.UTF8, "application/merge-patch+json") };
        duplicate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        duplicate.Headers.TryAddWithoutValidation("If-Match", noteEtag);
        using var duplicateResponse = await Client.SendAsync(duplicate);
        using var hugePage = await Client.GetAsync($"{Organs}?page=21474838&pageSize=100");

        Assert.That((int)nulStatus, Is.EqualTo(400));
        Assert.That(noteStatus, Is.EqualTo(HttpStatusCode.OK), "control characters are dropped from the note");
        Assert.That(withNote!["note"]!.GetValue<string>(), Is.EqualTo("notacomnul"));
        Assert.That((int)nullItemStatus, Is.EqualTo(400), nullItem?.ToJsonString());
        await AssertProblemAsync(duplicateResponse, 400, "twice");
        await AssertProblemAsync(hugePage, 400, "page");
    }

    [TestCase("name")]
    [TestCase("mission")]
    public async Task Creating_an_organ_whose_body_names_a_property_twice_answers_400(string property)
    {
        var slug = $"duplicada-{property}";
        var body = EditorialTests.OrganBody(slug, "Órgão duplicado", ("I", "x;")).ToJsonString();
        var twice = body.Replace($"\"{property}\":", $"\"{property}\":\"o primeiro\",\"{property}\":");
        Assert.That(twice, Is.Not.EqualTo(body), "the body names it twice");

        using var response = await SendRawAsync(HttpMethod.Post, Organs, twice);

        await AssertProblemAsync(response, 400);
        var (status, _, _) = await SendAsync(HttpMethod.Get, $"{Organs}/{slug}/draft");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), "nothing was created");
    }

    [Test]
    public async Task Replacing_an_organ_with_a_body_that_names_a_property_twice_answers_400()
    {
        var (etag, _) = await CreateAsync("substituida");
        var body = EditorialTests.OrganBody("substituida", "Órgão substituído", ("I", "x;")).ToJsonString();
        var twice = body.Replace("\"name\":", "\"name\":\"o primeiro\",\"name\":");

        using var response = await SendRawAsync(HttpMethod.Put, $"{Organs}/substituida", twice, etag);

        await AssertProblemAsync(response, 400);
        Assert.That(await DraftEtagAsync("substituida"), Is.EqualTo(etag), "no revision was added");
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, string json, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _publisher);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await Client.SendAsync(request);
    }
}
